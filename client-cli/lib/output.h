#pragma once
// How the CLI speaks: sentences and small tables for people, or one JSON document with --json.
// Exit codes: 0 success, 1 the request failed (server said no, or a local problem), 2 usage error.

#include <boost/json/object.hpp>
#include <iosfwd>
#include <string>
#include <vector>

#include "protocol/wire/status.h"

namespace mentorlink::client {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct Output {
  std::ostream& out;
  std::ostream& err;
  bool json = false;

  // Prints body as JSON (in --json mode) and returns kExitOk.
  int json_result(const boost::json::object& body) const;
  // Prints "mentorlink: <message>" (or {"error":{...}} in --json mode) and returns kExitFailed.
  int failure(const wire::Status& status) const;
};

// "2026-11-27 12:34 UTC"
std::string format_time(std::int64_t ms_since_epoch);

// Left-aligned columns separated by two spaces; first row is the header.
std::string format_table(const std::vector<std::vector<std::string>>& rows);

}  // namespace mentorlink::client
