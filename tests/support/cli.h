#pragma once
// Drives the real `mentorlink` binary as one member on one device (its own --home).

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace mentorlink::test {

inline constexpr const char* kTestPassphrase = "a passphrase for tests";

class Cli {
 public:
  explicit Cli(std::filesystem::path home) : home_(std::move(home)) {}

  // mentorlink --home HOME ARGS..., with the passphrase and the cheapest key store cost in the
  // environment.
  ProcessResult run(const std::vector<std::string>& args, const Environment& extra_env = {}) const;

  // Same with --json; the command must succeed, and its output is parsed.
  boost::json::object json(const std::vector<std::string>& args) const;
  // Same, whatever the exit code (commands that report problems in their JSON and exit 1).
  boost::json::object json_or_error(const std::vector<std::string>& args) const;

  // The code goes in $MENTORLINK_INVITE, off the command line.
  ProcessResult enroll(const std::string& server_url, const std::string& code,
                       const std::string& ca_file) const;

  const std::filesystem::path& home() const { return home_; }

 private:
  std::filesystem::path home_;
};

}  // namespace mentorlink::test
