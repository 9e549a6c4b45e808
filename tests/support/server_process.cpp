#include "tests/support/server_process.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "tests/support/postgres_instance.h"

namespace mentorlink::test {

std::string test_ca_file(const std::string& set) { return std::string(MENTORLINK_TEST_CERTS) + "/" + set + "/ca.crt"; }

bool testing_on_postgresql() {
  const char* store = std::getenv("MENTORLINK_TEST_STORE");
  return store != nullptr && std::string_view(store) == "postgresql";
}

ServerProcess::ServerProcess(const std::filesystem::path& data_dir, std::vector<std::string> extra_args)
    : data_dir_(data_dir), log_file_(data_dir.parent_path() / (data_dir.filename().string() + "-server.log")),
      extra_args_(std::move(extra_args)) {
  const auto named = std::find(extra_args_.begin(), extra_args_.end(), "--store");
  if (named != extra_args_.end() && named + 1 != extra_args_.end()) {
    store_url_ = *(named + 1);
  } else if (testing_on_postgresql()) {
    store_url_ = PostgresInstance::shared().fresh_store_url();
    extra_args_.insert(extra_args_.end(), {"--store", store_url_});
  }
  // The folder exists on either store, so tests that look through it find it (empty on PostgreSQL).
  std::filesystem::create_directories(data_dir_);
  start();
}

ServerProcess::~ServerProcess() {
  if (child_ && child_->running()) child_->stop(15);
}

void ServerProcess::start() {
  const std::string certs = std::string(MENTORLINK_TEST_CERTS) + "/trusted/";
  // A restart keeps the port, so clients that remember the address find the server again.
  std::vector<std::string> args{"--port",  std::to_string(port_),  "--data",     data_dir_.string(), "--cert",      certs + "server.crt",
                                "--key",   certs + "server.key", "--threads", "2", "--log-level", "debug"};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  child_ = std::make_unique<ChildProcess>(MENTORLINK_SERVER_BIN, args, log_file_);
  static const std::regex listening(R"(listening on wss://[^:]+:(\d+)/v1)");
  while (auto line = child_->read_line()) {
    std::smatch m;
    if (std::regex_search(*line, m, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
      return;
    }
  }
  child_->stop(9);
  throw std::runtime_error("mentorlink-server did not start:\n" + log());
}

int ServerProcess::stop(int signal) { return child_->stop(signal); }

std::string ServerProcess::log() const {
  std::ifstream in(log_file_);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ServerProcess::bootstrap(const std::string& name) const {
  std::vector<std::string> args{"bootstrap", "--data", data_dir_.string(), "--name", name};
  if (!store_url_.empty()) args.insert(args.end(), {"--store", store_url_});
  auto r = run_process(MENTORLINK_SERVER_BIN, args);
  static const std::regex code(R"(invite code: ([a-z2-7]+))");
  std::smatch m;
  if (r.exit_code != 0 || !std::regex_search(r.out, m, code)) {
    throw std::runtime_error("bootstrap failed: " + r.out + r.err);
  }
  return m[1].str();
}

}  // namespace mentorlink::test
