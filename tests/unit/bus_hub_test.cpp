// The hub with a shared bus: what it tells other nodes, when, and the per-connection envelope cursor.
#include <catch2/catch.hpp>

#include "server/core/hub.h"

using namespace mentorlink::server;
using bus::PokeKind;

namespace {
struct CursorOutbox final : Outbox {
  std::vector<std::string> frames;
  DeliveryCursor cursor;
  void deliver(std::shared_ptr<const std::string> frame) override { frames.push_back(*frame); }
  void end(std::uint16_t, std::string) override {}
  DeliveryCursor* delivery_cursor() override { return &cursor; }
};
struct RecordingBus final : bus::Bus {
  std::vector<bus::Poke> published;
  bool shared() const override { return true; }
  std::int64_t node() const override { return 7; }
  void publish(const bus::Poke& p) override { published.push_back(p); }
  void start(bus::BusHandlers) override {}
};
auto frame(std::string s) { return std::make_shared<const std::string>(std::move(s)); }
}  // namespace

TEST_CASE("alone, an envelope is pushed once to each connection whose cursor is below it", "[hub][bus]") {
  Hub hub;
  auto fresh = std::make_shared<CursorOutbox>();
  auto synced = std::make_shared<CursorOutbox>();
  hub.attach(1, fresh);
  hub.attach(1, synced);
  synced->cursor.advance(10, 5);  // fetched up to 5 by message.sync
  hub.publish_envelope(1, 10, 5, frame("e5"));
  hub.publish_envelope(1, 10, 6, frame("e6"));
  hub.publish_envelope(1, 10, 6, frame("e6 again"));
  CHECK(fresh->frames == std::vector<std::string>{"e5", "e6"});
  CHECK(synced->frames == std::vector<std::string>{"e6"});
}

TEST_CASE("shared, an envelope becomes a poke with no content, sent only once the hold is released", "[hub][bus]") {
  Hub hub;
  RecordingBus b;
  hub.set_bus(&b);
  auto out = std::make_shared<CursorOutbox>();
  hub.attach(1, out);
  b.published.clear();
  {
    Hub::Hold hold(hub);
    hub.publish_envelope(1, 10, 3, frame("{\"event\":\"message\",\"body\":\"secret\"}"));
    CHECK(b.published.empty());
    hold.release();
  }
  REQUIRE(b.published.size() == 1);
  const auto& p = b.published.front();
  CHECK(p.kind == PokeKind::envelopes);
  CHECK(p.node == 7);
  CHECK(p.members == std::vector<MemberId>{1});
  CHECK(p.pair == 10);
  CHECK(p.seq == 3);
  CHECK(p.frame.empty());
  CHECK(bus::encode(p).find("secret") == std::string::npos);
  CHECK(out->frames.empty());  // this node pushes it from the store, like every other node
}

TEST_CASE("shared, a dropped hold publishes nothing to other nodes", "[hub][bus]") {
  Hub hub;
  RecordingBus b;
  hub.set_bus(&b);
  {
    Hub::Hold hold(hub);
    hub.publish(2, frame("meta"));
    hub.publish_envelope(2, 10, 3, frame("m"));
  }
  CHECK(b.published.empty());
}

TEST_CASE("push_envelopes skips what a connection already has and keeps order", "[hub][bus]") {
  Hub hub;
  auto a = std::make_shared<CursorOutbox>();
  auto b = std::make_shared<CursorOutbox>();
  hub.attach(1, a);
  hub.attach(1, b);
  b->cursor.advance(10, 4);
  CHECK(hub.lowest_cursor(1, 10, 2) == 2);
  CHECK_FALSE(hub.lowest_cursor(9, 10, 2));
  hub.push_envelopes(1, 10, 2, {{3, frame("3")}, {4, frame("4")}, {5, frame("5")}});
  hub.push_envelopes(1, 10, 0, {{4, frame("4")}, {5, frame("5")}, {6, frame("6")}});  // a catch-up after it
  CHECK(a->frames == std::vector<std::string>{"3", "4", "5", "6"});
  CHECK(b->frames == std::vector<std::string>{"5", "6"});
}

TEST_CASE("a member online only on another node is online until that node stops announcing them", "[hub][bus]") {
  Hub hub;
  hub.online_elsewhere(5, {1, 2}, std::chrono::milliseconds(60'000));
  hub.online_elsewhere(6, {2}, std::chrono::milliseconds(0));  // already expired
  CHECK(hub.online(1));
  CHECK(hub.online(2));
  hub.offline_elsewhere(5, {2});
  CHECK_FALSE(hub.online(2));
  CHECK(hub.expire_elsewhere() == std::vector<MemberId>{2});  // node 6's entry lapsed
  CHECK(hub.online(1));
  auto here = std::make_shared<CursorOutbox>();
  hub.attach(3, here);
  hub.online_elsewhere(6, {3}, std::chrono::milliseconds(0));
  CHECK(hub.expire_elsewhere().empty());  // still online here
}

TEST_CASE("attach and detach tell other nodes; metadata events are relayed, own pokes carry the node", "[hub][bus]") {
  Hub hub;
  RecordingBus b;
  hub.set_bus(&b);
  auto out = std::make_shared<CursorOutbox>();
  hub.attach(1, out);
  hub.publish(1, frame("meta"));
  hub.detach(1, out.get());
  REQUIRE(b.published.size() == 3);
  CHECK(b.published[0].kind == PokeKind::online);
  CHECK(b.published[1].kind == PokeKind::event);
  CHECK(b.published[1].frame == "meta");
  CHECK(b.published[2].kind == PokeKind::offline);
  CHECK(out->frames == std::vector<std::string>{"meta"});
}
