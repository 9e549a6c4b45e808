#include <catch2/catch.hpp>

#include "server/core/hub.h"

using namespace mentorlink::server;

namespace {
struct RecordingOutbox final : Outbox {
  std::vector<std::string> frames;
  std::optional<std::uint16_t> ended_with;
  void deliver(std::shared_ptr<const std::string> frame) override { frames.push_back(*frame); }
  void end(std::uint16_t close_code, std::string /*reason*/) override { ended_with = close_code; }
};
auto frame(std::string s) { return std::make_shared<const std::string>(std::move(s)); }
}  // namespace

TEST_CASE("the hub delivers to every live connection of a member and to no one else", "[hub]") {
  Hub hub;
  auto a1 = std::make_shared<RecordingOutbox>();
  auto a2 = std::make_shared<RecordingOutbox>();
  auto b = std::make_shared<RecordingOutbox>();
  hub.attach(1, a1);
  hub.attach(1, a2);
  hub.attach(2, b);
  CHECK(hub.publish(1, frame("x")) == 2);
  CHECK(a1->frames == std::vector<std::string>{"x"});
  CHECK(a2->frames == std::vector<std::string>{"x"});
  CHECK(b->frames.empty());
  CHECK(hub.publish(3, frame("y")) == 0);
}

TEST_CASE("detached or destroyed connections stop receiving", "[hub]") {
  Hub hub;
  auto a = std::make_shared<RecordingOutbox>();
  hub.attach(1, a);
  CHECK(hub.online(1));
  hub.detach(1, a.get());
  CHECK_FALSE(hub.online(1));
  CHECK(hub.publish(1, frame("x")) == 0);

  {
    auto gone = std::make_shared<RecordingOutbox>();
    hub.attach(2, gone);
  }
  CHECK_FALSE(hub.online(2));
  CHECK(hub.publish(2, frame("x")) == 0);
}

#include "server/core/address_limiter.h"

TEST_CASE("per-address limits: connections are counted, attempts refill over a minute", "[limits]") {
  AddressLimiter limiter(2, 3);
  CHECK(limiter.try_connect("10.0.0.1"));
  CHECK(limiter.try_connect("10.0.0.1"));
  CHECK_FALSE(limiter.try_connect("10.0.0.1"));
  CHECK(limiter.try_connect("10.0.0.2"));  // another address has its own count
  limiter.disconnect("10.0.0.1");
  CHECK(limiter.try_connect("10.0.0.1"));

  const auto t0 = AddressLimiter::Clock::time_point{} + std::chrono::hours(1);
  CHECK(limiter.try_attempt("10.0.0.1", t0));
  CHECK(limiter.try_attempt("10.0.0.1", t0));
  CHECK(limiter.try_attempt("10.0.0.1", t0));
  CHECK_FALSE(limiter.try_attempt("10.0.0.1", t0));
  CHECK_FALSE(limiter.try_attempt("10.0.0.1", t0 + std::chrono::seconds(10)));  // 0.5 token
  CHECK(limiter.try_attempt("10.0.0.1", t0 + std::chrono::seconds(21)));         // > 1 token
  CHECK(limiter.try_attempt("10.0.0.9", t0));
}

TEST_CASE("a hold keeps this thread's publishes until release, and drops them if never released", "[hub]") {
  Hub hub;
  auto a = std::make_shared<RecordingOutbox>();
  hub.attach(1, a);
  {
    Hub::Hold hold(hub);
    CHECK(hub.publish(1, frame("x")) == 0);
    CHECK(hub.publish(1, frame("y")) == 0);
    CHECK(a->frames.empty());
    hold.release();
    CHECK(a->frames == std::vector<std::string>{"x", "y"});
    CHECK(hub.publish(1, frame("z")) == 0);  // still held after a release
  }
  CHECK(a->frames == std::vector<std::string>{"x", "y"});  // z was dropped with the hold
  CHECK(hub.publish(1, frame("w")) == 1);
  CHECK(a->frames.back() == "w");

  Hub other;
  Hub::Hold hold(other);  // a hold on another hub changes nothing here
  CHECK(hub.publish(1, frame("v")) == 1);
}
