// Two nodes in one process on one store, joined by a bus that hands every poke to both at once:
// what each node's BusReceiver does with them (server/api/bus_receiver.h).
#include <catch2/catch.hpp>

#include "server/api/bus_receiver.h"
#include "server/api/programme_activity.h"
#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "server/core/refusals.h"
#include "server/services/invites.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"
#include "protocol/wire/signatures.h"

using namespace mentorlink;
using namespace mentorlink::server;

namespace {

struct Connection final : Outbox {
  std::vector<std::string> frames;
  std::optional<std::uint16_t> ended_with;
  DeliveryCursor cursor;
  void deliver(std::shared_ptr<const std::string> frame) override { frames.push_back(*frame); }
  void end(std::uint16_t close_code, std::string) override { ended_with = close_code; }
  DeliveryCursor* delivery_cursor() override { return &cursor; }
  std::size_t count(std::string_view event) const {
    return static_cast<std::size_t>(std::count_if(frames.begin(), frames.end(), [&](const std::string& f) {
      return f.find("\"event\":\"" + std::string(event) + "\"") != std::string::npos;
    }));
  }
};

// Every poke reaches every node, the publisher too, at once (Redis does it a moment later).
struct Wire {
  std::vector<bus::BusHandlers> nodes;
  bool up = true;  // down: pokes are lost, as while Redis restarts
};
struct WireBus final : bus::Bus {
  WireBus(Wire& w, std::int64_t node_id) : line(w), id(node_id) {}
  bool shared() const override { return true; }
  std::int64_t node() const override { return id; }
  void publish(const bus::Poke& p) override {
    if (!line.up) return;
    for (auto& n : line.nodes) n.receive(p);
  }
  void start(bus::BusHandlers h) override { line.nodes.push_back(std::move(h)); }
  Wire& line;
  std::int64_t id;
};

struct Node {
  Node(Wire& w, std::int64_t id, Store& store, const Clock& clock) : bus(w, id), context{store, clock, hub, metrics, limits, limiter} {
    hub.set_bus(&bus);
    receiver.start();
  }
  WireBus bus;
  Hub hub;
  Metrics metrics;
  Limits limits;
  AddressLimiter limiter{limits.max_connections_per_address, limits.auth_attempts_per_address_per_minute};
  ServerContext context;
  api::BusReceiver receiver{context, bus};
};

struct World {
  test::TempDir dir;
  test::FakeClock clock;
  SqliteStore store{dir.path().string(), nullptr};
  Wire line;
  Node a{line, 1, store, clock};
  Node b{line, 2, store, clock};
  ProgrammeId programme = 0;
  MemberId ada = 0, maria = 0, tom = 0;
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
    maria = member(programme, ProgrammeRole::participant, "Maria", 3);
    tom = member(programme, ProgrammeRole::participant, "Tom", 4);
    pair = create_pair(store, programme, maria, tom, ada, clock.now_ms()).value();
  }
  // Maria's message to Tom, stored as message.send does; its poke is sent by node (if the wire is up).
  std::int64_t send(Node& node, std::uint8_t tag) {
    EnvelopeRecord e{pair.id, 0, maria, 1, tom, wire::Bytes(16, tag), wire::Bytes{tag}, clock.now_ms()};
    const auto stored = accepted(store.store_envelope(e));
    REQUIRE(stored.is_ok());
    node.hub.publish_envelope(tom, pair.id, stored.value().envelope.seq, std::make_shared<const std::string>("unused"));
    return stored.value().envelope.seq;
  }
};

}  // namespace

TEST_CASE("an envelope stored through node A is pushed from the store to the member's connection on node B, once",
          "[bus]") {
  World w;
  auto tom_on_b = std::make_shared<Connection>();
  w.b.hub.attach(w.tom, tom_on_b);
  w.send(w.a, 1);
  w.send(w.a, 2);
  CHECK(tom_on_b->count("message") == 2);
  w.b.receiver.resync();  // nothing above the cursor: nothing again
  CHECK(tom_on_b->count("message") == 2);
  CHECK(tom_on_b->frames[1].find("\"seq\":2") != std::string::npos);

  w.line.up = false;  // the pokes of the next two are lost
  w.send(w.a, 3);
  w.send(w.a, 4);
  CHECK(tom_on_b->count("message") == 2);
  w.line.up = true;
  w.b.receiver.resync();  // back on the bus: caught up from the store
  CHECK(tom_on_b->count("message") == 4);
  w.send(w.a, 5);
  CHECK(tom_on_b->count("message") == 5);
}

TEST_CASE("presence across nodes: a member on node A is online on node B until they leave", "[bus]") {
  World w;
  auto maria_on_a = std::make_shared<Connection>();
  auto tom_on_b = std::make_shared<Connection>();
  w.b.hub.attach(w.tom, tom_on_b);
  w.a.hub.attach(w.maria, maria_on_a);
  CHECK(w.b.hub.online(w.maria));
  CHECK(w.a.hub.online(w.tom));
  w.a.hub.detach(w.maria, maria_on_a.get());
  CHECK_FALSE(w.b.hub.online(w.maria));
  w.a.hub.attach(w.maria, maria_on_a);
  w.b.receiver.tick();  // heartbeats keep both known
  w.a.receiver.tick();
  CHECK(w.b.hub.online(w.maria));
}

TEST_CASE("programme activity on node A reaches watchers on both nodes, each read logged in one chain", "[bus][access-log]") {
  World w;
  auto ada_on_a = std::make_shared<Connection>();
  auto ada_on_b = std::make_shared<Connection>();
  w.a.hub.watch(w.programme, w.ada, ada_on_a);
  w.b.hub.watch(w.programme, w.ada, ada_on_b);
  api::announce_activity(w.a.context, w.pair, "meeting.started");
  CHECK(ada_on_a->count("programme.activity") == 1);
  CHECK(ada_on_b->count("programme.activity") == 1);
  const auto log = w.store.access_log(w.pair.id, 1, 100).value();
  REQUIRE(log.size() == 2);  // one read per node that delivered, in one chain
  CHECK(log[0].seq == 1);
  CHECK(log[1].seq == 2);
  CHECK(log[1].previous == log[0].hash);
  CHECK(log[0].what == "event:meeting.started");
  CHECK(log[1].what == "event:meeting.started");
}

TEST_CASE("a dashboard sign-out on node A closes that session's live sockets on node B", "[bus]") {
  World w;
  auto socket_on_b = std::make_shared<Connection>();
  wire::Hash session{};
  session.fill(7);
  w.b.hub.watch(w.programme, w.ada, socket_on_b, WatchLease{session, w.clock.now_ms() + 60'000});
  CHECK(w.a.hub.end_lease(session, 4001, "signed out") == 0);  // none on A itself
  CHECK(socket_on_b->ended_with == std::optional<std::uint16_t>(4001));
}
