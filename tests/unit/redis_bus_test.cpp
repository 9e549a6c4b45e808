// RedisBus against a real redis-server of the test's own (tests/support/redis_instance.h).
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "server/bus/redis_bus.h"
#include "tests/support/redis_instance.h"

using namespace mentorlink::server;
using bus::Poke;
using bus::PokeKind;

namespace {

constexpr auto kDeadline = std::chrono::seconds(20);  // generous: two cores shared by several builds

// What one node's bus handed to its handlers; waits are bounded, and woken by the bus thread.
class Node {
 public:
  explicit Node(const mentorlink::test::RedisInstance& redis)
      : bus_(*bus::parse_redis_url(redis.url()),
             bus::RedisBusLimits{.reconnect_first = std::chrono::milliseconds(10), .reconnect_max = std::chrono::milliseconds(200)}) {
    bus_.start(bus::BusHandlers{
        .receive = [this](const Poke& p) { record([&] { received_.push_back(p); }); },
        .resync = [this] { record([&] { ++resyncs_; }); },
        .tick = [] {},
    });
  }
  bus::RedisBus& bus() { return bus_; }

  // Waits until at least n resyncs have happened; false at the deadline.
  bool wait_resyncs(int n) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, [&] { return resyncs_ >= n; });
  }
  // Waits for a poke of kind with seq (envelopes) from node; false at the deadline.
  bool wait_poke(std::int64_t node, std::int64_t seq) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kDeadline, [&] { return count_locked(node, seq) > 0; });
  }
  int count(std::int64_t node, std::int64_t seq) {
    std::lock_guard lock(mutex_);
    return count_locked(node, seq);
  }

 private:
  template <typename F>
  void record(F f) {
    {
      std::lock_guard lock(mutex_);
      f();
    }
    changed_.notify_all();
  }
  int count_locked(std::int64_t node, std::int64_t seq) const {
    return static_cast<int>(std::count_if(received_.begin(), received_.end(), [&](const Poke& p) {
      return p.kind == PokeKind::envelopes && p.node == node && p.seq == seq;
    }));
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Poke> received_;
  int resyncs_ = 0;
  bus::RedisBus bus_;  // last: its thread stops before the members above go
};

Poke envelopes(const bus::Bus& from, std::int64_t seq) {
  return Poke{.kind = PokeKind::envelopes, .node = from.node(), .members = {1}, .pair = 2, .seq = seq};
}

}  // namespace

TEST_CASE("RedisBus: a poke published by one node reaches every node, itself included, once", "[bus][redis]") {
  mentorlink::test::RedisInstance redis;
  Node a(redis), b(redis);
  REQUIRE(a.wait_resyncs(1));
  REQUIRE(b.wait_resyncs(1));
  CHECK(a.bus().node() != b.bus().node());
  a.bus().publish(envelopes(a.bus(), 1));
  b.bus().publish(envelopes(b.bus(), 2));
  CHECK(a.wait_poke(a.bus().node(), 1));
  CHECK(b.wait_poke(a.bus().node(), 1));
  CHECK(a.wait_poke(b.bus().node(), 2));
  CHECK(b.wait_poke(b.bus().node(), 2));
  a.bus().publish(envelopes(a.bus(), 3));
  REQUIRE(b.wait_poke(a.bus().node(), 3));  // pokes of one publisher arrive in order: 1 came before
  CHECK(b.count(a.bus().node(), 1) == 1);
}

TEST_CASE("RedisBus: after Redis restarts, every node resubscribes, resyncs and pokes flow again", "[bus][redis]") {
  mentorlink::test::RedisInstance redis;
  Node a(redis), b(redis);
  REQUIRE(a.wait_resyncs(1));
  REQUIRE(b.wait_resyncs(1));
  redis.stop();
  a.bus().publish(envelopes(a.bus(), 7));  // lost with Redis: the resync makes up for it
  redis.start();
  REQUIRE(a.wait_resyncs(2));
  REQUIRE(b.wait_resyncs(2));
  a.bus().publish(envelopes(a.bus(), 8));
  CHECK(b.wait_poke(a.bus().node(), 8));
  CHECK(a.wait_poke(a.bus().node(), 8));
  CHECK(b.count(a.bus().node(), 7) == 0);
}

TEST_CASE("RedisBus: a node that starts while Redis is down connects once it is up", "[bus][redis]") {
  mentorlink::test::RedisInstance redis;
  redis.stop();
  Node a(redis);
  CHECK_FALSE(a.bus().subscribed());
  redis.start();
  REQUIRE(a.wait_resyncs(1));
  a.bus().publish(envelopes(a.bus(), 1));
  CHECK(a.wait_poke(a.bus().node(), 1));
}
