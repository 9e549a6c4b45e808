// End-to-end encrypted messaging over the real server: live and offline delivery, restarts,
// ordering, idempotent retries, and what the server keeps.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <sstream>

#include "protocol/wire/messages/events.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli_world.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {



// The envelope of a pushed "message" event, decoded as the client does.
wire::messages::Envelope envelope_of(const wire::Incoming& event) {
  auto decoded = wire::messages::MessageEvent::decode(event.body);
  INFO((decoded.is_ok() ? std::string() : decoded.status().message()));
  REQUIRE(decoded.is_ok());
  return decoded.value().envelope;
}

// The pushed "message" event a connected device receives next (blocking, with the 15 s deadline).
wire::messages::Envelope next_message_event(client::Connection& c) {
  for (;;) {
    auto queued = c.take_events();
    for (auto& e : queued) {
      if (e.event == "message") return envelope_of(e);
    }
    auto frame = c.receive_text();
    REQUIRE(frame.is_ok());
    auto in = wire::parse_incoming(frame.value());
    REQUIRE(in.is_ok());
    if (in.value().kind == wire::Incoming::Kind::event && in.value().event == "message") {
      return envelope_of(in.value());
    }
  }
}

}  // namespace

TEST_CASE("both online: a message is pushed and decrypted at once, with presence", "[messaging]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  InProcessDevice tom(server, std::move(f.mentee_key));
  InProcessDevice maria(server, std::move(f.mentor_key));

  // Tom was online first, so he is told that Maria came online.
  bool saw_presence = false;
  for (const auto& e : tom.connection->take_events()) saw_presence |= e.event == "presence";
  if (!saw_presence) {
    auto frame = tom.connection->receive_text();
    REQUIRE(frame.is_ok());
    auto in = wire::parse_incoming(frame.value()).value();
    CHECK(in.event == "presence");
    CHECK(in.body.at("online").as_bool());
  }
  CHECK(ok(*maria.connection, "presence.get", json::object{{"pair", f.pair}}).at("online").as_bool());

  auto sent = maria.messenger->send_text(f.pair, "Hi Tom, shall we meet Tuesday?");
  REQUIRE(sent.is_ok());
  CHECK(sent.value().seq == 1);

  const auto envelope = next_message_event(*tom.connection);
  client::SyncResult problems;
  auto received = tom.messenger->receive(envelope, problems);
  REQUIRE(received.is_ok());
  REQUIRE(received.value().has_value());
  CHECK(received.value()->text == "Hi Tom, shall we meet Tuesday?");
  CHECK(received.value()->seq == 1);
  CHECK(problems.problems.empty());

  auto reply = tom.messenger->send_text(f.pair, "Tuesday works.");
  REQUIRE(reply.is_ok());
  auto back = maria.messenger->receive(next_message_event(*maria.connection), problems);
  REQUIRE(back.is_ok());
  CHECK(back.value()->text == "Tuesday works.");
}

TEST_CASE("offline delivery through the CLI, across a server restart", "[messaging]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  Cli& maria = w.maria;
  Cli& tom = w.tom;
  const std::string& pair = w.pair;

  // Tom is offline (no process running). Maria sends twice.
  CHECK(maria.json({"send", pair, "First, while you were away"}).at("seq").as_int64() == 1);
  CHECK(maria.json({"send", pair, "Second"}).at("seq").as_int64() == 2);

  // The server restarts before Tom comes back: the messages were acknowledged, so they are kept.
  REQUIRE(server.stop() == 0);
  server.start();

  const auto synced = tom.json({"sync"});
  const auto& received = synced.at("received").as_array();
  REQUIRE(received.size() == 2);
  CHECK(received[0].at("text").as_string() == "First, while you were away");
  CHECK(received[1].at("text").as_string() == "Second");
  CHECK(tom.json({"sync"}).at("received").as_array().empty());  // acknowledged: not delivered again

  CHECK(tom.json({"send", pair, "Got both, thanks"}).at("seq").as_int64() == 3);
  CHECK(maria.json({"sync"}).at("received").at(0).at("text").as_string() == "Got both, thanks");
  const auto history = maria.json({"history", pair}).at("messages").as_array();
  REQUIRE(history.size() == 3);
  CHECK(history[2].at("from").as_string() == "partner");
  CHECK(maria.run({"history", pair}).out.find("you: Second") != std::string::npos);
}

TEST_CASE("1000 messages interleaved both ways arrive once each, in order, decrypted", "[messaging][slow]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  InProcessDevice maria(server, std::move(f.mentor_key));
  InProcessDevice tom(server, std::move(f.mentee_key));
  constexpr int kEach = 500;
  for (int i = 0; i < kEach; ++i) {
    REQUIRE(maria.messenger->send_text(f.pair, "m" + std::to_string(i)).is_ok());
    REQUIRE(tom.messenger->send_text(f.pair, "t" + std::to_string(i)).is_ok());
    // Every tenth round each side catches up on what was pushed meanwhile.
    if (i % 10 == 9) {
      for (auto* d : {&maria, &tom}) d->connection->take_events();
    }
  }
  auto at_tom = tom.messenger->sync();
  auto at_maria = maria.messenger->sync();
  REQUIRE(at_tom.is_ok());
  REQUIRE(at_maria.is_ok());
  REQUIRE(at_tom.value().received.size() == kEach);
  REQUIRE(at_maria.value().received.size() == kEach);
  for (int i = 0; i < kEach; ++i) {
    CHECK(at_tom.value().received[static_cast<std::size_t>(i)].text == "m" + std::to_string(i));
    CHECK(at_maria.value().received[static_cast<std::size_t>(i)].text == "t" + std::to_string(i));
  }
  // One total order: Maria's messages took the odd sequence numbers, Tom's the even ones.
  CHECK(at_tom.value().received.front().seq == 1);
  CHECK(at_tom.value().received.back().seq == 2 * kEach - 1);
  CHECK(tom.state.pairs[f.pair].received.highest() == kEach);
  CHECK(tom.state.pairs[f.pair].received.missing_between(0, kEach + 1) == 0);
  CHECK(tom.state.pairs[f.pair].contiguous == 2 * kEach);
  CHECK(tom.messenger->sync().value().received.empty());
}

TEST_CASE("a retried send with the same client id is stored once", "[messaging]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  auto maria = login(server, f.mentor_key);
  json::object send{{"pair", f.pair}, {"client_id", "AAAAAAAAAAAAAAAAAAAAAA"}, {"body", "AQIDBAUGBwg"}};
  const auto first = ok(*maria, "message.send", send);
  const auto again = ok(*maria, "message.send", send);
  CHECK_FALSE(first.at("duplicate").as_bool());
  CHECK(again.at("duplicate").as_bool());
  CHECK(again.at("seq") == first.at("seq"));
  auto tom = login(server, f.mentee_key);
  CHECK(ok(*tom, "message.sync").at("envelopes").as_array().size() == 1);
}

TEST_CASE("coordinators and strangers get no content, keys or ciphertext", "[messaging][confidentiality]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  auto maria = login(server, f.mentor_key);
  ok(*maria, "message.send", json::object{{"pair", f.pair}, {"client_id", "AAAAAAAAAAAAAAAAAAAAAA"}, {"body", "AQID"}});
  auto coordinator = login(server, f.coordinator_key);
  for (const auto& [type, body] : std::vector<std::pair<std::string, json::object>>{
           {"keys.fetch", {{"pair", f.pair}}},
           {"keys.identity", {{"pair", f.pair}}},
           {"message.send", {{"pair", f.pair}, {"client_id", "AAAAAAAAAAAAAAAAAAAAAQ"}, {"body", "AQID"}}},
           {"message.ack", {{"pair", f.pair}, {"up_to", 1}}},
           {"presence.get", {{"pair", f.pair}}}}) {
    auto r = coordinator->request(type, body);
    INFO(type);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == wire::ErrorCode::forbidden);
  }
  CHECK(ok(*coordinator, "message.sync").at("envelopes").as_array().empty());
}

TEST_CASE("canaries: no plaintext in the server's database, WAL, logs or the devices' files", "[messaging][confidentiality][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  Cli& maria = w.maria;
  Cli& tom = w.tom;
  const std::string& pair = w.pair;

  const std::vector<std::string> canaries{"CANARY-7f3a9c-salary-negotiation", "CANARY-b81e44-confidential-conflict",
                                          "CANARY-02d5e1-reply-from-tom"};
  REQUIRE(maria.json({"send", pair, canaries[0]}).at("seq").as_int64() == 1);
  REQUIRE(maria.json({"send", pair, canaries[1]}).at("seq").as_int64() == 2);
  REQUIRE(tom.json({"sync"}).at("received").as_array().size() == 2);
  REQUIRE(tom.json({"send", pair, canaries[2]}).at("seq").as_int64() == 3);
  // Maria does not sync: canary 2 stays on the server as ciphertext, undelivered.
  CHECK(tom.run({"history", pair}).out.find(canaries[1]) != std::string::npos);  // the device can read it

  const std::string server_side = read_tree(tmp / "data") + server.log();
  const std::string devices = read_tree(maria.home()) + read_tree(tom.home());
  for (const auto& c : canaries) {
    INFO(c);
    CHECK(server_side.find(c) == std::string::npos);
    CHECK(devices.find(c) == std::string::npos);  // the history on disk is sealed too
  }
  REQUIRE(server.stop(SIGKILL) == 128 + SIGKILL);  // and not in whatever a crash leaves behind
  const std::string after_crash = read_tree(tmp / "data");
  for (const auto& c : canaries) CHECK(after_crash.find(c) == std::string::npos);
}
