#pragma once
// JSON text frames of protocol v1 (PROTOCOL.md, "Frames").
//   request:  {"id": N, "type": "...", "body": {...}}
//   result:   {"id": N, "type": "result", "body": {...}}
//   error:    {"id": N|null, "type": "error", "error": {"code": "...", "message": "...", "field"?: "..."}}
//   event:    {"type": "event", "event": "...", "body": {...}}

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/wire/status.h"

namespace mentorlink::wire {

struct Request {
  std::int64_t id = 0;
  std::string type;
  boost::json::object body;
};

// A request that could not be parsed keeps whatever id could be read, so the error can name it.
struct RequestError {
  std::optional<std::int64_t> id;
  Status status;
};

[[nodiscard]] std::variant<Request, RequestError> parse_request(std::string_view text);

[[nodiscard]] std::string serialize_request(const Request& request);
[[nodiscard]] std::string serialize_result(std::int64_t id, const boost::json::object& body);
[[nodiscard]] std::string serialize_error(std::optional<std::int64_t> id, const Status& status);
[[nodiscard]] std::string serialize_event(std::string_view event, const boost::json::object& body);

// What a client receives: exactly one of result, error or event.
struct Incoming {
  enum class Kind { result, error, event } kind = Kind::result;
  std::optional<std::int64_t> id;
  std::string event;
  boost::json::object body;
  Status error;
};

[[nodiscard]] Result<Incoming> parse_incoming(std::string_view text);

}  // namespace mentorlink::wire
