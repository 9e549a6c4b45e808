#pragma once
// A private redis-server for tests: on a free loopback port, in a temporary folder, nothing saved
// (--save '' --appendonly no). Construction returns once Redis says it accepts connections (read
// from its stdout, no polling); destruction stops it.

#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace mentorlink::test {

class RedisInstance {
 public:
  RedisInstance();
  ~RedisInstance();
  RedisInstance(const RedisInstance&) = delete;
  RedisInstance& operator=(const RedisInstance&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // Stops Redis (SIGKILL: every connection drops at once); start() brings it back on the same port.
  void stop();
  void start();
  bool running() const { return child_ != nullptr; }

 private:
  TempDir dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<ChildProcess> child_;
};

// A loopback TCP port that was free a moment ago (bound, then released).
std::uint16_t free_loopback_port();

}  // namespace mentorlink::test
