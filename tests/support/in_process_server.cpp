#include "tests/support/in_process_server.h"

#include <spdlog/spdlog.h>

#include <stdexcept>

#include "server/api/commit_batcher.h"
#include "server/api/dispatcher.h"
#include "server/core/hub.h"
#include "server/net/net_server.h"
#include "server/observability/metrics.h"
#include "server/services/invites.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/server_process.h"

namespace mentorlink::test {

struct InProcessServer::Parts {
  Parts(const std::filesystem::path& data_dir, FakeClock& fake_clock, const StoreMaker& make_store)
      : clock(fake_clock),
        store(make_store ? make_store(data_dir, &metrics)
                         : std::make_unique<server::SqliteStore>(data_dir.string(), &metrics, server::Durability::full,
                                                                 limits.quotas)),
        address_limiter(limits.max_connections_per_address, limits.auth_attempts_per_address_per_minute),
        context{*store, clock, hub, metrics, limits, address_limiter},
        dispatcher(context),
        net(net_config(), context, dispatcher),
        batcher(context, dispatcher, limits.max_commit_batch) {
    context.batcher = &batcher;
  }

  static server::NetConfig net_config() {
    const auto certs = std::filesystem::path(test_ca_file()).parent_path();
    server::NetConfig c;
    c.listen_address = "127.0.0.1";
    c.port = 0;
    c.cert_file = (certs / "server.crt").string();
    c.key_file = (certs / "server.key").string();
    c.threads = 2;
    return c;
  }

  FakeClock& clock;
  server::Metrics metrics;
  server::Hub hub;
  server::Limits limits;
  std::unique_ptr<server::SqliteStore> store;
  server::AddressLimiter address_limiter;
  server::ServerContext context;
  server::api::Dispatcher dispatcher;
  server::NetServer net;
  server::api::CommitBatcher batcher;  // after net: drained before net goes
};

InProcessServer::InProcessServer(const std::filesystem::path& data_dir, FakeClock& clock, const StoreMaker& make_store)
    : parts_((spdlog::set_level(spdlog::level::warn), std::make_unique<Parts>(data_dir, clock, make_store))) {
  // The port is bound in the constructor, so clients may connect as soon as this returns.
  thread_ = std::thread([this] { parts_->net.run(); });
}

InProcessServer::~InProcessServer() {
  parts_->net.stop();
  thread_.join();
}

std::string InProcessServer::url() const { return "wss://localhost:" + std::to_string(parts_->net.port()); }

std::uint16_t InProcessServer::port() const { return parts_->net.port(); }

std::string InProcessServer::bootstrap(const std::string& name) const {
  auto issued = server::issue_bootstrap_invite(*parts_->store, parts_->clock, name, 7);
  if (!issued.is_ok()) throw std::runtime_error(issued.status().message());
  return issued.value().code;
}

}  // namespace mentorlink::test
