#pragma once
// What the CLI-driven test worlds need of a server, whether it runs as the real binary
// (ServerProcess) or in the test process with an injected clock (InProcessServer).

#include <string>

namespace mentorlink::test {

class TestServer {
 public:
  virtual ~TestServer() = default;
  virtual std::string url() const = 0;
  // A one-time invite for a coordinator who may create programmes.
  virtual std::string bootstrap(const std::string& name) const = 0;
};

}  // namespace mentorlink::test
