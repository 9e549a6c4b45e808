// One node with --bus redis:// (on its SQLite store): envelopes reach even this node's own
// connections through the bus and the store, and a Redis restart loses nothing.
#include <catch2/catch.hpp>
#include <set>

#include "tests/integration/cluster_helpers.h"
#include "tests/support/haproxy_instance.h"
#include "tests/support/redis_instance.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;

TEST_CASE("a node on Redis: live messages both ways, and after Redis restarts every message is pushed once",
          "[bus]") {
  TempDir tmp;
  RedisInstance redis;
  ServerProcess server(tmp / "data", {"--bus", redis.url()});
  PairFixture f(server);
  InProcessDevice tom(server, std::move(f.mentee_key));
  InProcessDevice maria(server, std::move(f.mentor_key));
  constexpr int kEach = 10;
  std::set<std::int64_t> sent;
  std::vector<std::int64_t> pushed;
  auto send = [&] {
    auto s = maria.messenger->send_text(f.pair, "message " + std::to_string(sent.size()));
    REQUIRE(s.is_ok());
    sent.insert(s.value().seq);
  };
  auto take = [&](std::size_t until) {
    while (pushed.size() < until) pushed.push_back(next_message(*tom.connection).seq);
  };

  for (int i = 0; i < kEach; ++i) send();
  take(sent.size());
  auto reply = tom.messenger->send_text(f.pair, "Got them");
  REQUIRE(reply.is_ok());
  CHECK(next_message(*maria.connection).seq == reply.value().seq);

  redis.stop();
  for (int i = 0; i < kEach; ++i) send();  // acknowledged and stored; their pokes are gone
  redis.start();
  for (int i = 0; i < kEach; ++i) send();
  take(sent.size());

  const std::set<std::int64_t> distinct(pushed.begin(), pushed.end());
  CHECK(distinct.size() == pushed.size());
  CHECK(distinct == sent);
}

TEST_CASE("behind HAProxy in TCP mode, TLS and the login's channel binding end at the node", "[bus]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  HaproxyInstance balancer({server.port()});
  PairFixture f(server);
  auto address = client::parse_server_url(balancer.url());
  REQUIRE(address.is_ok());
  auto c = client::Connection::open(address.value(), test_ca_file());
  REQUIRE(c.is_ok());
  auto logged_in = client::log_in(*c.value(), f.mentee_key);
  INFO((logged_in.is_ok() ? std::string() : logged_in.status().message()));
  REQUIRE(logged_in.is_ok());
  CHECK(ok(*c.value(), "whoami").at("member").at("id").as_int64() == f.mentee_id);
}
