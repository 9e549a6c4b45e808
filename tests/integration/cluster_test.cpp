// Several mentorlink-server nodes on one PostgreSQL store and one Redis bus, all real processes
// started by the tests: live chat, presence, documents, meetings and a coordinator's live view
// across nodes; a node killed and Redis restarted with nothing lost or delivered twice.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <set>

#include "tests/integration/cluster_helpers.h"
#include "tests/support/cli_world.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/redis_instance.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

// n nodes, each with its own data folder, on one fresh PostgreSQL schema and one Redis.
struct Cluster {
  explicit Cluster(int n) {
    for (int i = 0; i < n; ++i) {
      nodes.push_back(std::make_unique<ServerProcess>(tmp / ("node" + std::to_string(i)),
                                                      std::vector<std::string>{"--store", store, "--bus", redis.url()}));
    }
  }
  ServerProcess& operator[](std::size_t i) { return *nodes.at(i); }

  TempDir tmp;
  RedisInstance redis;
  std::string store = PostgresInstance::shared().fresh_store_url();
  std::vector<std::unique_ptr<ServerProcess>> nodes;
};

}  // namespace

TEST_CASE("cluster: the mentor on node A and the mentee on node B chat live both ways, with presence",
          "[cluster]") {
  Cluster c(2);
  PairFixture f(c[0]);
  InProcessDevice tom(c[1], std::move(f.mentee_key));
  InProcessDevice maria(c[0], std::move(f.mentor_key));

  // Tom (on B) is told that Maria came online on A; on A, Tom counts as online.
  next_event(*tom.connection, "presence", [&](const auto& e) { return presence_is(e, f.mentor_id, true); });
  CHECK(ok(*maria.connection, "presence.get", json::object{{"pair", f.pair}}).at("online").as_bool());
  CHECK(ok(*tom.connection, "presence.get", json::object{{"pair", f.pair}}).at("online").as_bool());

  client::SyncResult problems;
  for (int round = 1; round <= 3; ++round) {
    const std::string there = "Maria to Tom, " + std::to_string(round);
    const std::string back = "Tom to Maria, " + std::to_string(round);
    const auto sent = maria.messenger->send_text(f.pair, there);
    REQUIRE(sent.is_ok());
    const auto pushed = next_message(*tom.connection);
    CHECK(pushed.seq == sent.value().seq);  // the next push is this message: nothing pushed twice
    auto got = tom.messenger->receive(pushed, problems);
    REQUIRE(got.is_ok());
    REQUIRE(got.value().has_value());
    CHECK(got.value()->text == there);

    const auto replied = tom.messenger->send_text(f.pair, back);
    REQUIRE(replied.is_ok());
    const auto returned = next_message(*maria.connection);
    CHECK(returned.seq == replied.value().seq);
    auto answer = maria.messenger->receive(returned, problems);
    REQUIRE(answer.is_ok());
    REQUIRE(answer.value().has_value());
    CHECK(answer.value()->text == back);
  }
  CHECK(problems.problems.empty());

  // Tom leaves B: Maria, on A, is told at once.
  tom.messenger.reset();
  forget_events(*tom.connection);
  tom.connection.reset();
  next_event(*maria.connection, "presence", [&](const auto& e) { return presence_is(e, f.mentee_id, false); });
  CHECK_FALSE(ok(*maria.connection, "presence.get", json::object{{"pair", f.pair}}).at("online").as_bool());
}

TEST_CASE("cluster: a document through A is read through B, a meeting started on A is joined on B, the "
          "coordinator watching on C sees it live, and the access log is one chain",
          "[cluster]") {
  Cluster c(3);
  CliPairWorld w(c[0], c.tmp.path());
  use_node(w.tom, c[1]);
  use_node(w.ada, c[2]);

  REQUIRE(w.maria.run({"goals", "set", w.pair, "--text", "Lead one project review by March."}).exit_code == 0);
  const auto goals = w.tom.json({"goals", "show", w.pair}).at("documents").as_array();
  REQUIRE(goals.size() == 1);
  CHECK(goals[0].at("text").as_string().find("Lead one project review by March.") != std::string::npos);

  Watch watch(w.ada, c.tmp / "watch.stderr", 2);
  const auto started = w.maria.json({"meeting", "start", w.pair}).at("meeting");
  const auto meeting = std::to_string(started.at("id").as_int64());
  const auto live_start = watch.next();
  CHECK(live_start.at("activity").as_string() == "meeting.started");
  CHECK(live_start.at("meeting").as_int64() == started.at("id").as_int64());

  const auto joined = w.tom.json({"meeting", "join", meeting}).at("meeting");
  CHECK(joined.at("present").as_array().size() == 2);  // Maria (through A) and Tom (through B)
  const auto ended = w.tom.json({"meeting", "end", meeting}).at("meeting");
  CHECK(ended.at("status").as_string() == "ended");
  CHECK(ended.at("both_present_ms").as_int64() >= 0);
  const auto live_end = watch.next();
  CHECK(live_end.at("activity").as_string() == "meeting.ended");
  CHECK(watch.child.wait() == 0);

  // Read on B, written by the nodes that delivered to Ada: one chain, verified by the member's device.
  const auto log = w.tom.json({"access-log", w.pair});
  CHECK(log.at("verified").as_bool());
  std::vector<std::string> what;
  for (const auto& e : log.at("entries").as_array()) what.emplace_back(e.at("what").as_string());
  CHECK(what == std::vector<std::string>{"pair.create", "event:meeting.started", "event:meeting.ended"});
  std::int64_t seq = 0;
  for (const auto& e : log.at("entries").as_array()) CHECK(e.at("seq").as_int64() == ++seq);
}

TEST_CASE("cluster: a node killed with kill -9: its members reconnect to another node and get everything "
          "exactly once; their partner sees them go offline",
          "[cluster][crash]") {
  Cluster c(3);
  PairFixture f(c[0]);
  auto tom = std::make_unique<InProcessDevice>(c[0], std::move(f.mentee_key));
  InProcessDevice maria(c[1], std::move(f.mentor_key));
  constexpr int kEach = 15;
  std::vector<std::string> sent_texts;
  std::vector<std::string> received;
  client::SyncResult problems;
  auto send = [&](int i) {
    sent_texts.push_back("message " + std::to_string(i));
    REQUIRE(maria.messenger->send_text(f.pair, sent_texts.back()).is_ok());
  };

  for (int i = 0; i < kEach; ++i) send(i);  // Tom takes them live on A
  for (int i = 0; i < kEach; ++i) {
    INFO("live on A, message " << i);
    auto got = tom->messenger->receive(next_message(*tom->connection), problems);
    REQUIRE(got.is_ok());
    if (got.value()) received.push_back(got.value()->text);
  }
  for (int i = kEach; i < 2 * kEach; ++i) send(i);  // some may be on their way to Tom when A dies
  REQUIRE(c[0].stop(SIGKILL) == 128 + SIGKILL);

  // A's members are online nowhere once A stops announcing them (bus::kPresenceTtl).
  next_event(*maria.connection, "presence", [&](const auto& e) { return presence_is(e, f.mentee_id, false); });

  for (int i = 2 * kEach; i < 3 * kEach; ++i) send(i);  // while Tom is away
  // Tom's device (same state) reconnects to C: sync, then live pushes.
  auto state = std::move(tom->state);
  auto identity = std::move(tom->identity);
  forget_events(*tom->connection);
  tom.reset();
  auto connection = login(c[2], identity);
  client::Messenger messenger(*connection, identity, state, [] { return wire::Status::ok(); });
  for (;;) {
    auto synced = messenger.sync();
    REQUIRE(synced.is_ok());
    for (const auto& m : synced.value().received) received.push_back(m.text);
    if (synced.value().received.empty()) break;
  }
  for (int i = 3 * kEach; i < 4 * kEach; ++i) send(i);
  for (int i = 3 * kEach; i < 4 * kEach; ++i) {
    INFO("live on C, message " << i);
    auto got = messenger.receive(next_message(*connection), problems);
    REQUIRE(got.is_ok());
    if (got.value()) received.push_back(got.value()->text);
  }
  CHECK(problems.problems.empty());
  CHECK(received == sent_texts);  // each once, in order
}

TEST_CASE("cluster: Redis restarts under load: live delivery resumes and every message is pushed exactly once",
          "[cluster]") {
  Cluster c(2);
  PairFixture f(c[0]);
  InProcessDevice tom(c[1], std::move(f.mentee_key));
  InProcessDevice maria(c[0], std::move(f.mentor_key));
  constexpr int kEach = 15;
  std::set<std::int64_t> sent;
  auto send = [&] {
    auto s = maria.messenger->send_text(f.pair, "message " + std::to_string(sent.size()));
    REQUIRE(s.is_ok());
    sent.insert(s.value().seq);
  };
  std::vector<std::int64_t> pushed;
  auto take = [&](std::size_t until) {
    while (pushed.size() < until) pushed.push_back(next_message(*tom.connection).seq);
  };

  for (int i = 0; i < kEach; ++i) send();
  take(sent.size());
  c.redis.stop();
  for (int i = 0; i < kEach; ++i) send();  // acknowledged and stored; their pokes are gone
  c.redis.start();
  for (int i = 0; i < kEach; ++i) send();
  take(sent.size());  // the nodes resync from the store once Redis is back

  const std::set<std::int64_t> distinct(pushed.begin(), pushed.end());
  CHECK(distinct.size() == pushed.size());  // no envelope pushed twice
  CHECK(distinct == sent);                  // and none lost
}
