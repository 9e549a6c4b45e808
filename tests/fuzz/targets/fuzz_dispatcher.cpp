// Decoder: every request type through the server's Dispatcher, as a logged-in coordinator, with
// the real SQLite store in a scratch folder.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "server/api/dispatcher.h"
#include "server/core/programmes.h"
#include "server/services/invites.h"
#include "server/store/sqlite/sqlite_store.h"

namespace {
using namespace mentorlink::server;

struct Fixture {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "mentorlink-fuzz-dispatcher";
  SystemClock clock;
  Metrics metrics;
  Hub hub;
  Limits limits;
  AddressLimiter limiter{limits.max_connections_per_address, limits.auth_attempts_per_address_per_minute};
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<ServerContext> context;
  std::unique_ptr<api::Dispatcher> dispatcher;
  MemberId member = 0;

  Fixture() {
    std::filesystem::remove_all(dir);
    store = std::make_unique<SqliteStore>(dir.string(), nullptr);
    context = std::make_unique<ServerContext>(ServerContext{*store, clock, hub, metrics, limits, limiter});
    dispatcher = std::make_unique<api::Dispatcher>(*context);
    auto invite = issue_bootstrap_invite(*store, clock, "Fuzz", 7).value();
    mentorlink::wire::IdentityKey key{};
    key.fill(7);
    member = redeem_invite(*store, invite.record.code_hash, key, clock.now_ms()).value().member.id;
    (void)create_programme(*store, "Fuzz programme", "", member, clock.now_ms(), std::nullopt);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture f;
  SessionState anonymous;
  (void)f.dispatcher->handle(anonymous, std::string_view(reinterpret_cast<const char*>(data), size));
  SessionState session;
  session.hello_done = true;
  session.member = f.member;
  session.identity_key.fill(7);  // the member's, as login sets it
  session.remote_address = "fuzz";
  (void)f.dispatcher->handle(session, std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
