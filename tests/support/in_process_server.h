#pragma once
// mentorlink-server's library run inside the test process, on an ephemeral port with real TLS
// and a real SQLite file, but with a clock the test moves: so a test can write an agenda two
// days before a meeting and hold a 55-minute meeting in a moment. The production binary has no
// such hook; this is the server library with a different Clock injected.

#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "tests/support/fake_clock.h"
#include "tests/support/test_server.h"

namespace mentorlink::server {
class SqliteStore;
class StoreObserver;
}  // namespace mentorlink::server

namespace mentorlink::test {

// Makes the server's store over data_dir; attack tests pass one that lies (tests/support/lying_store.h).
using StoreMaker =
    std::function<std::unique_ptr<server::SqliteStore>(const std::filesystem::path& data_dir, server::StoreObserver*)>;

class InProcessServer final : public TestServer {
 public:
  InProcessServer(const std::filesystem::path& data_dir, FakeClock& clock, const StoreMaker& make_store = {});
  ~InProcessServer() override;  // graceful stop, then joins the server thread

  std::string url() const override;
  std::uint16_t port() const;
  std::string bootstrap(const std::string& name) const override;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
  std::thread thread_;
};

}  // namespace mentorlink::test
