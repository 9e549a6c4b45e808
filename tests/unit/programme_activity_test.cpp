// Live programme activity for watching coordinators (server/api/programme_activity.h): every
// event that reaches a coordinator is in the pair's access log first, also when a coordinator
// starts watching while an event is on its way, and a dashboard's lease ends delivery.
#include <catch2/catch.hpp>
#include <functional>

#include "protocol/wire/signatures.h"
#include "server/api/programme_activity.h"
#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "server/services/invites.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/store_observer.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::server;

namespace {

struct RecordingOutbox final : Outbox {
  std::vector<std::string> frames;
  std::optional<std::uint16_t> ended_with;
  void deliver(std::shared_ptr<const std::string> frame) override { frames.push_back(*frame); }
  void end(std::uint16_t close_code, std::string /*reason*/) override { ended_with = close_code; }
};

// Runs `after` once, right after the next store call named `operation` has finished: a way to
// put something exactly between two steps of the code under test.
struct Interleaving final : StoreObserver {
  std::string operation;
  std::function<void()> after;
  void store_call(std::string_view op, double /*seconds*/, bool /*failed*/) override {
    if (after && op == operation) std::exchange(after, nullptr)();
  }
};

struct World {
  test::TempDir dir;
  test::FakeClock clock;
  Interleaving interleaving;
  SqliteStore store{dir.path().string(), &interleaving};
  Metrics metrics;
  Hub hub;
  Limits limits;
  AddressLimiter address_limiter{limits.max_connections_per_address, limits.auth_attempts_per_address_per_minute};
  ServerContext context{store, clock, hub, metrics, limits, address_limiter};
  ProgrammeId programme = 0;
  MemberId ada = 0;
  MemberId bea = 0;
  PairRecord pair;

  MemberId member(std::optional<ProgrammeId> in, ProgrammeRole role, const std::string& name, std::uint8_t key) {
    const auto issued = in ? issue_invite(store, clock, in, role, name, std::nullopt, 7)
                           : issue_bootstrap_invite(store, clock, name, 7);
    wire::IdentityKey identity{};
    identity.fill(key);
    return redeem_invite(store, wire::invite_code_hash(issued.value().code), identity, clock.now_ms()).value().member.id;
  }

  World() {
    ada = member(std::nullopt, ProgrammeRole::coordinator, "Ada", 1);
    programme = create_programme(store, "Grads", "", ada, clock.now_ms(), std::nullopt).value().id;
    bea = member(programme, ProgrammeRole::coordinator, "Bea", 2);
    const auto maria = member(programme, ProgrammeRole::participant, "Maria", 3);
    const auto tom = member(programme, ProgrammeRole::participant, "Tom", 4);
    pair = create_pair(store, programme, maria, tom, ada, clock.now_ms()).value();
  }

  std::vector<AccessRecord> log() { return store.access_log(pair.id, 1, 100).value(); }
};

}  // namespace

TEST_CASE("28: a coordinator who starts watching while an event is being logged does not get it unlogged",
          "[attack][access-log]") {
  World w;
  auto ada_socket = std::make_shared<RecordingOutbox>();
  auto bea_socket = std::make_shared<RecordingOutbox>();
  w.hub.watch(w.programme, w.ada, ada_socket);
  // Bea's report.watch lands after the watchers were taken and the log was written (the append's
  // transaction committed), before sending.
  w.interleaving.operation = "all_or_nothing";
  w.interleaving.after = [&] { w.hub.watch(w.programme, w.bea, bea_socket); };

  api::announce_activity(w.context, w.pair, "meeting.started", {});
  CHECK(ada_socket->frames.size() == 1);
  CHECK(bea_socket->frames.empty());
  auto log = w.log();
  REQUIRE(log.size() == 1);
  CHECK(log[0].coordinator == w.ada);
  CHECK(log[0].what == "event:meeting.started");

  // From the next event on Bea is a watcher: logged for her, then sent.
  api::announce_activity(w.context, w.pair, "meeting.ended", {});
  CHECK(ada_socket->frames.size() == 2);
  CHECK(bea_socket->frames.size() == 1);
  log = w.log();
  REQUIRE(log.size() == 3);
  CHECK(((log[1].coordinator == w.ada && log[2].coordinator == w.bea) ||
         (log[1].coordinator == w.bea && log[2].coordinator == w.ada)));
}

TEST_CASE("a coordinator with two watching connections is logged once per event and gets it on both", "[access-log]") {
  World w;
  auto first = std::make_shared<RecordingOutbox>();
  auto second = std::make_shared<RecordingOutbox>();
  w.hub.watch(w.programme, w.ada, first);
  w.hub.watch(w.programme, w.ada, second);
  api::announce_activity(w.context, w.pair, "pair.ended", {});
  CHECK(first->frames.size() == 1);
  CHECK(second->frames.size() == 1);
  CHECK(w.log().size() == 1);
}

TEST_CASE("28: a dashboard's lease: nothing after its session expired or ended, and a logout closes it",
          "[attack][access-log]") {
  World w;
  auto live = std::make_shared<RecordingOutbox>();
  auto other = std::make_shared<RecordingOutbox>();
  wire::Hash session{};
  session.fill(9);
  wire::Hash other_session{};
  other_session.fill(8);
  w.hub.watch(w.programme, w.ada, live, WatchLease{session, w.clock.now_ms() + 1000});
  w.hub.watch(w.programme, w.bea, other, WatchLease{other_session, w.clock.now_ms() + 1000});

  api::announce_activity(w.context, w.pair, "meeting.started", {});
  CHECK(live->frames.size() == 1);
  CHECK(w.log().size() == 2);

  // A logout ends only that session's sockets, with the code it names.
  CHECK(w.hub.end_lease(session, 4001, "signed out") == 1);
  CHECK(live->ended_with == std::optional<std::uint16_t>(4001));
  CHECK_FALSE(other->ended_with);
  api::announce_activity(w.context, w.pair, "meeting.ended", {});
  CHECK(live->frames.size() == 1);
  CHECK(other->frames.size() == 2);
  CHECK(w.log().size() == 3);

  // At its expiry, by the server's clock, the other session gets nothing more and is not logged.
  w.clock.advance_ms(1000);
  api::announce_activity(w.context, w.pair, "pair.ended", {});
  CHECK(other->frames.size() == 2);
  CHECK(w.log().size() == 3);
}
