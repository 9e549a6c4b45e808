#pragma once
// HAProxy in TCP mode in front of mentorlink-server nodes, as the README configures it: TLS ends at
// the nodes. Round robin, so that consecutive connections land on consecutive nodes; a node that
// refuses connections is skipped (connect retried on another). Construction returns once HAProxy
// has bound its port (it daemonizes after binding); destruction stops it.

#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace mentorlink::test {

class HaproxyInstance {
 public:
  explicit HaproxyInstance(const std::vector<std::uint16_t>& node_ports);
  ~HaproxyInstance();
  HaproxyInstance(const HaproxyInstance&) = delete;
  HaproxyInstance& operator=(const HaproxyInstance&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "wss://localhost:" + std::to_string(port_); }

 private:
  TempDir dir_;
  std::uint16_t port_ = 0;
  int pid_ = -1;
};

}  // namespace mentorlink::test
