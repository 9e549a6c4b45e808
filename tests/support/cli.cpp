#include "tests/support/cli.h"

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace mentorlink::test {

ProcessResult Cli::run(const std::vector<std::string>& args, const Environment& extra_env) const {
  std::vector<std::string> full{"--home", home_.string()};
  full.insert(full.end(), args.begin(), args.end());
  Environment env{{"MENTORLINK_PASSPHRASE", kTestPassphrase}, {"MENTORLINK_KDF_COST", "minimum"}};
  for (const auto& [name, value] : extra_env) env[name] = value;
  return run_process(MENTORLINK_CLI_BIN, full, env);
}

boost::json::object Cli::json(const std::vector<std::string>& args) const {
  std::vector<std::string> full{"--json"};
  full.insert(full.end(), args.begin(), args.end());
  const auto r = run(full);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    throw std::runtime_error("mentorlink " + cmd + "failed (" + std::to_string(r.exit_code) + "): " + r.out + r.err);
  }
  return boost::json::parse(r.out).as_object();
}

boost::json::object Cli::json_or_error(const std::vector<std::string>& args) const {
  std::vector<std::string> full{"--json"};
  full.insert(full.end(), args.begin(), args.end());
  return boost::json::parse(run(full).out).as_object();
}

ProcessResult Cli::enroll(const std::string& server_url, const std::string& code, const std::string& ca_file) const {
  return run({"enroll", "--server", server_url, "--ca", ca_file}, {{"MENTORLINK_INVITE", code}});
}

}  // namespace mentorlink::test
