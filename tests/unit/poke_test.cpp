#include <catch2/catch.hpp>

#include "server/bus/poke.h"
#include "server/bus/redis_bus.h"

using namespace mentorlink::server;
using bus::Poke;
using bus::PokeKind;

TEST_CASE("every kind of poke survives encode and decode", "[bus]") {
  std::vector<Poke> pokes{
      Poke{.kind = PokeKind::envelopes, .node = 3, .members = {4}, .pair = 5, .seq = 6},
      Poke{.kind = PokeKind::event, .node = 3, .members = {4}, .frame = "{\"event\":\"presence\"}"},
      Poke{.kind = PokeKind::online, .node = 3, .members = {4, 8}},
      Poke{.kind = PokeKind::offline, .node = 3, .members = {4}},
      Poke{.kind = PokeKind::activity, .node = 3, .frame = "{}", .programme = 9},
      Poke{.kind = PokeKind::lease_ended, .node = 3, .session = {1, 2, 3}, .close_code = 4001},
      Poke{.kind = PokeKind::resync, .node = 3},
  };
  for (const auto& p : pokes) {
    auto back = bus::decode(bus::encode(p));
    REQUIRE(back.is_ok());
    CHECK(back.value().kind == p.kind);
    CHECK(back.value().node == p.node);
    CHECK(back.value().members == p.members);
    CHECK(back.value().pair == p.pair);
    CHECK(back.value().seq == p.seq);
    CHECK(back.value().frame == p.frame);
    CHECK(back.value().programme == p.programme);
    CHECK(back.value().session == p.session);
    CHECK(back.value().close_code == p.close_code);
  }
}

TEST_CASE("a poke that is not well formed is refused", "[bus]") {
  for (const char* text : {"", "[]", "{\"v\":2,\"k\":\"resync\",\"n\":1,\"m\":[]}", "{\"v\":1,\"k\":\"nope\",\"n\":1,\"m\":[]}",
                           "{\"v\":1,\"k\":\"resync\",\"n\":0,\"m\":[]}", "{\"v\":1,\"k\":\"envelopes\",\"n\":1,\"m\":[1],\"p\":2}",
                           "{\"v\":1,\"k\":\"online\",\"n\":1,\"m\":[]}", "{\"v\":1,\"k\":\"online\",\"n\":1,\"m\":[-1]}",
                           "{\"v\":1,\"k\":\"event\",\"n\":1,\"m\":[1,2],\"f\":\"x\"}",
                           "{\"v\":1,\"k\":\"lease_ended\",\"n\":1,\"m\":[],\"h\":\"AA\",\"c\":4001}"}) {
    CHECK_FALSE(bus::decode(text).is_ok());
  }
  CHECK_FALSE(bus::decode(std::string(bus::kMaxPokeBytes + 1, ' ')).is_ok());
}

TEST_CASE("the --bus option takes redis://HOST:PORT and nothing else", "[bus]") {
  auto a = bus::parse_redis_url("redis://127.0.0.1:6380");
  REQUIRE(a);
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 6380);
  auto b = bus::parse_redis_url("redis://cache.internal");
  REQUIRE(b);
  CHECK(b->port == 6379);
  for (const char* bad : {"", "http://x:1", "redis://", "redis://x:0", "redis://x:70000", "redis://x:1a", "redis://a b:1"}) {
    CHECK_FALSE(bus::parse_redis_url(bad));
  }
}
