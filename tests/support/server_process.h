#pragma once
// The real mentorlink-server on an ephemeral port with its own data folder, for integration tests.
// Construction returns once the server has printed its "listening on" line (read from its stdout
// pipe: no polling, no sleeps). With MENTORLINK_TEST_STORE=postgresql in the environment, each
// server stores in a fresh schema of the test binary's own PostgreSQL (postgres_instance.h) through
// --store, unless extra_args name a --store already.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/test_server.h"

namespace mentorlink::test {

// Certificate sets made by tests/CMakeLists.txt: "trusted" (what the server uses) and "other"
// (an unrelated CA).
std::string test_ca_file(const std::string& set = "trusted");

// Whether MENTORLINK_TEST_STORE=postgresql: the integration suite's PostgreSQL run.
bool testing_on_postgresql();

class ServerProcess final : public TestServer {
 public:
  ServerProcess(const std::filesystem::path& data_dir, std::vector<std::string> extra_args = {});
  ~ServerProcess() override;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return child_->pid(); }
  std::string url() const override { return "wss://localhost:" + std::to_string(port_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // The --store URL the server was given; empty when it stores in SQLite in data_dir.
  const std::string& store_url() const { return store_url_; }

  // SIGTERM (graceful) by default; returns the exit code.
  int stop(int signal = 15);
  std::string log() const;  // everything the server wrote to stderr

  // Restarts a stopped server on the same data folder and the same port.
  void start();

  // `mentorlink-server bootstrap` on this server's data folder; returns the invite code.
  std::string bootstrap(const std::string& name) const override;

 private:
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  std::vector<std::string> extra_args_;
  std::string store_url_;
  std::unique_ptr<ChildProcess> child_;
  std::uint16_t port_ = 0;
};

}  // namespace mentorlink::test
