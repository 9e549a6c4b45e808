// Attack 29 over real TLS against the real server: every quota is a named server option, and
// going beyond it is quota_exceeded (not rate_limited) and changes nothing. Also the message
// rules that go with it: client_id reuse, and message.sync paging past a pair left unacknowledged.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/keys.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli_world.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;
namespace msg = wire::messages;

namespace {

wire::Status error_of(client::Connection& c, std::string_view type, json::object body) {
  auto r = c.request(type, std::move(body));
  REQUIRE_FALSE(r.is_ok());
  return r.status();
}

// A keys.publish body for `device` with one-time prekeys [first, first + count), signed by id.
json::object keys_body(const device::IdentityKeyPair& id, std::int64_t device, std::uint32_t first, std::uint32_t count) {
  msg::KeysPublishRequest publish;
  publish.device = device;
  publish.identity_dh_key.fill(7);
  publish.identity_dh_signature = id.sign(wire::identity_dh_message(publish.identity_dh_key));
  publish.signed_prekey.id = 1;
  publish.signed_prekey.key.fill(8);
  publish.signed_prekey.signature = id.sign(wire::signed_prekey_message(1, publish.signed_prekey.key));
  for (std::uint32_t i = first; i < first + count; ++i) {
    wire::OneTimePrekey k{i, {}};
    k.key.fill(static_cast<std::uint8_t>(i));
    publish.one_time_prekeys.push_back(k);
  }
  return publish.encode();
}

// A message.send body: client_id n (16 bytes, little-endian n then zeros) and 64 bytes of fill.
json::object send_body(std::int64_t pair, std::uint16_t n, std::uint8_t fill) {
  wire::Bytes client_id(16, 0);
  client_id[0] = static_cast<std::uint8_t>(n);
  client_id[1] = static_cast<std::uint8_t>(n >> 8);
  return msg::MessageSendRequest{pair, std::nullopt, std::move(client_id), wire::Bytes(64, fill)}.encode();
}

// Jo, a new participant, mentors p's mentee (Tom) in a second pair of the programme.
struct SecondPair {
  std::unique_ptr<client::Connection> jo;  // logged in as Jo
  std::int64_t pair = 0;
};

SecondPair jo_mentors_tom(const ServerProcess& server, const PairFixture& p) {
  auto ada = login(server, p.coordinator_key);
  const auto jo_key = device::IdentityKeyPair::generate();
  SecondPair second;
  second.jo = enroll(server, jo_key,
                     std::string(ok(*ada, "invite.create",
                                    json::object{{"programme", p.programme}, {"role", "participant"}, {"name", "Jo"}})
                                     .at("code")
                                     .as_string()));
  const auto jo_id = ok(*second.jo, "whoami").at("member").at("id").as_int64();
  second.pair = ok(*ada, "pair.create", json::object{{"programme", p.programme}, {"mentor", jo_id}, {"mentee", p.mentee_id}})
                    .at("pair")
                    .at("id")
                    .as_int64();
  return second;
}

}  // namespace

TEST_CASE("29: device ids per member are a quota (--max-devices-per-member)", "[attack][quota]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-devices-per-member", "2"});
  PairFixture p(server);
  auto maria = login(server, p.mentor_key);
  CHECK(ok(*maria, "keys.publish", keys_body(p.mentor_key, 1, 1, 5)).at("device").as_int64() == 1);
  CHECK(ok(*maria, "keys.publish", keys_body(p.mentor_key, 7, 1, 5)).at("device").as_int64() == 7);
  const auto third = error_of(*maria, "keys.publish", keys_body(p.mentor_key, 3, 1, 5));
  CHECK(third.code() == wire::ErrorCode::quota_exceeded);
  CHECK(third.field() == "device");
  CHECK(ok(*maria, "keys.status", json::object{{"device", 3}}).at("one_time_prekeys").as_int64() == 0);
  // A device already known may publish again.
  CHECK(ok(*maria, "keys.publish", keys_body(p.mentor_key, 1, 6, 5)).at("one_time_prekeys").as_int64() == 10);
}

TEST_CASE("29: one-time prekeys stored per device are a quota; keys.publish adds to them", "[attack][quota]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-one-time-prekeys-per-device", "60"});
  PairFixture p(server);
  auto maria = login(server, p.mentor_key);
  CHECK(ok(*maria, "keys.publish", keys_body(p.mentor_key, 1, 1, 50)).at("one_time_prekeys").as_int64() == 50);
  const auto over = error_of(*maria, "keys.publish", keys_body(p.mentor_key, 1, 51, 50));
  CHECK(over.code() == wire::ErrorCode::quota_exceeded);
  CHECK(over.field() == "one_time_prekeys");
  CHECK(ok(*maria, "keys.status").at("one_time_prekeys").as_int64() == 50);  // nothing of it was kept
  // A retry of what is stored adds nothing and is no quota problem; ten new ones fit exactly.
  CHECK(ok(*maria, "keys.publish", keys_body(p.mentor_key, 1, 1, 50)).at("one_time_prekeys").as_int64() == 50);
  CHECK(ok(*maria, "keys.publish", keys_body(p.mentor_key, 1, 41, 20)).at("one_time_prekeys").as_int64() == 60);
}

TEST_CASE("29: repeated keys.fetch cannot drain the partner's one-time prekeys", "[attack][quota]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture p(server);
  auto maria = login(server, p.mentor_key);
  ok(*maria, "keys.publish", keys_body(p.mentor_key, 1, 1, 50));
  auto tom = login(server, p.mentee_key);
  const auto first = ok(*tom, "keys.fetch", json::object{{"pair", p.pair}}).at("bundle").as_object();
  CHECK(first.at("one_time_prekey").is_object());
  for (int i = 0; i < 30; ++i) {
    const auto again = ok(*tom, "keys.fetch", json::object{{"pair", p.pair}}).at("bundle").as_object();
    CHECK(again.at("one_time_prekey").is_null());  // the signed prekey alone
    CHECK(again.at("signed_prekey").at("id").as_int64() == 1);
  }
  CHECK(ok(*maria, "keys.status").at("one_time_prekeys").as_int64() == 49);
}

TEST_CASE("29: meetings per pair are a quota (--max-meetings-per-pair)", "[attack][quota]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-meetings-per-pair", "3"});
  PairFixture p(server);
  auto maria = login(server, p.mentor_key);
  const auto at = ok(*maria, "whoami").at("member").at("created_at").as_int64() + 24 * 3600 * 1000;
  std::int64_t first = 0;
  for (int i = 0; i < 3; ++i) {
    const auto m = ok(*maria, "meeting.schedule", json::object{{"pair", p.pair}, {"at", at + i}});
    if (i == 0) first = m.at("meeting").at("id").as_int64();
  }
  const auto fourth = error_of(*maria, "meeting.schedule", json::object{{"pair", p.pair}, {"at", at + 3}});
  CHECK(fourth.code() == wire::ErrorCode::quota_exceeded);
  CHECK(fourth.field() == "pair");
  // Cancelled meetings still count; starting a new one is refused, starting a scheduled one is not.
  ok(*maria, "meeting.cancel", json::object{{"meeting", first}});
  CHECK(error_of(*maria, "meeting.start", json::object{{"pair", p.pair}}).code() == wire::ErrorCode::quota_exceeded);
  CHECK(ok(*maria, "meeting.list", json::object{{"pair", p.pair}}).at("meetings").as_array().size() == 3);
  const auto started = ok(*maria, "meeting.start", json::object{{"pair", p.pair}, {"meeting", first + 1}});
  CHECK(started.at("meeting").at("status").as_string() == "started");
}

TEST_CASE("29: the pending-envelope quota is per pair: a hostile partner blocks only its own pair", "[attack][quota]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-pending-envelopes-per-pair", "5"});
  PairFixture p(server);  // Maria mentors Tom
  auto [jo, second] = jo_mentors_tom(server, p);  // Tom is also mentored by Jo in a second pair

  auto maria = login(server, p.mentor_key);
  for (std::uint8_t i = 1; i <= 5; ++i) ok(*maria, "message.send", send_body(p.pair, i, i));
  const auto sixth = error_of(*maria, "message.send", send_body(p.pair, 6, 6));
  CHECK(sixth.code() == wire::ErrorCode::quota_exceeded);
  CHECK(sixth.field() == "pair");
  // Tom's other pair is not affected, nor is the other direction of the full pair.
  CHECK(ok(*jo, "message.send", send_body(second, 1, 1)).at("seq").as_int64() == 1);
  auto tom = login(server, p.mentee_key);
  CHECK(ok(*tom, "message.send", send_body(p.pair, 1, 9)).at("seq").as_int64() == 6);
  // Once Tom has collected them, Maria may send again.
  ok(*tom, "message.ack", json::object{{"pair", p.pair}, {"up_to", 5}});
  CHECK(ok(*maria, "message.send", send_body(p.pair, 6, 6)).at("seq").as_int64() == 7);
}

TEST_CASE("a client_id reused with a different body is a conflict; the same body is a duplicate", "[protocol][messages]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture p(server);
  auto maria = login(server, p.mentor_key);
  CHECK(ok(*maria, "message.send", send_body(p.pair, 1, 1)).at("seq").as_int64() == 1);
  const auto retry = ok(*maria, "message.send", send_body(p.pair, 1, 1));
  CHECK(retry.at("seq").as_int64() == 1);
  CHECK(retry.at("duplicate").as_bool());
  const auto other = error_of(*maria, "message.send", send_body(p.pair, 1, 2));
  CHECK(other.code() == wire::ErrorCode::conflict);
  CHECK(other.field() == "client_id");
  // After delivery too, when the server no longer holds the body.
  auto tom = login(server, p.mentee_key);
  ok(*tom, "message.ack", json::object{{"pair", p.pair}, {"up_to", 1}});
  CHECK(error_of(*maria, "message.send", send_body(p.pair, 1, 2)).code() == wire::ErrorCode::conflict);
  CHECK(ok(*maria, "message.send", send_body(p.pair, 1, 1)).at("duplicate").as_bool());
  CHECK(ok(*tom, "message.sync").at("envelopes").as_array().empty());
}

TEST_CASE("message.sync: a pair left unacknowledged does not hide the others (after cursor)", "[protocol][messages]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture p(server);
  auto [jo, second] = jo_mentors_tom(server, p);
  auto maria = login(server, p.mentor_key);
  for (std::uint16_t i = 0; i < 600; ++i) ok(*maria, "message.send", send_body(p.pair, i, 1));
  ok(*jo, "message.send", send_body(second, 1, 2));

  auto tom = login(server, p.mentee_key);
  const auto plain = ok(*tom, "message.sync");
  CHECK(plain.at("envelopes").as_array().size() == 500);
  CHECK(plain.at("envelopes").as_array().back().at("pair").as_int64() == p.pair);
  CHECK(plain.at("more").as_bool());
  // Tom leaves the first pair's envelopes (say, a key change he has not accepted yet).
  const auto after = ok(*tom, "message.sync", json::object{{"after", json::array{json::object{{"pair", p.pair}, {"seq", 500}}}}});
  const auto& rest = after.at("envelopes").as_array();
  REQUIRE(rest.size() == 101);
  CHECK(rest[0].at("seq").as_int64() == 501);
  CHECK(rest[99].at("seq").as_int64() == 600);
  CHECK(rest[100].at("pair").as_int64() == second);
  CHECK_FALSE(after.at("more").as_bool());
  const auto skip_all =
      ok(*tom, "message.sync", json::object{{"after", json::array{json::object{{"pair", p.pair}, {"seq", 600}}}}, {"limit", 1}});
  REQUIRE(skip_all.at("envelopes").as_array().size() == 1);
  CHECK(skip_all.at("envelopes").at(0).at("pair").as_int64() == second);

  const auto twice = error_of(*tom, "message.sync",
                              json::object{{"after", json::array{json::object{{"pair", 1}, {"seq", 1}},
                                                                 json::object{{"pair", 1}, {"seq", 2}}}}});
  CHECK(twice.code() == wire::ErrorCode::invalid_field);
  CHECK(twice.field() == "after");
}

TEST_CASE("sync: 600 envelopes left unacknowledged in one pair do not hide another pair's message (real CLI)",
          "[protocol][messages][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w{server, tmp.path(), {"Mallory"}};  // Ada 1, Maria 2, Tom 3, Mallory 4; pair 1: Maria mentors Tom
  Cli& mallory = w.others.at("Mallory");
  const auto second = std::to_string(
      w.ada.json({"pair", "create", "--programme", w.programme, "--mentor", "Mallory", "--mentee", "Tom"})
          .at("pair")
          .at("id")
          .as_int64());
  REQUIRE(w.maria.run({"send", w.pair, "Hello Tom"}).exit_code == 0);
  REQUIRE(w.tom.json({"sync"}).at("received").as_array().size() == 1);  // Tom now trusts Maria's key
  REQUIRE(mallory.run({"send", second, "From Mallory"}).exit_code == 0);
  {
    // 600 copies of Mallory's first message in pair 1, as if Maria had sent them. Their AD names
    // pair 2, so none opens in pair 1: each is dropped with a sentence, and none may stop the
    // delivery of pair 2's message or pin Mallory's key for pair 1.
    TamperWithRestart t(server);
    t.exec("WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 601) "
           "INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at) "
           "SELECT " + w.pair + ", i, 2, 1, 3, randomblob(16), l.size, l.sent_at FROM n, envelope_log l "
           "WHERE l.pair_id = " + second + " AND l.seq = 1");
    t.exec("INSERT INTO envelope_bodies (id, body) SELECT l.id, (SELECT b.body FROM envelope_bodies b JOIN envelope_log o "
           "ON o.id = b.id WHERE o.pair_id = " + second + " AND o.seq = 1) FROM envelope_log l WHERE l.pair_id = " +
           w.pair + " AND l.seq BETWEEN 2 AND 601");
  }
  const auto r = w.tom.run({"--json", "sync"});
  INFO(r.out << r.err);
  const auto out = json::parse(r.out).as_object();
  const auto& received = out.at("received").as_array();
  REQUIRE(received.size() == 1);
  CHECK(received[0].at("text").as_string() == "From Mallory");
  REQUIRE(out.at("problems").as_array().size() == 600);
  CHECK(out.at("problems").at(0).at("problem").as_string().find("could not be decrypted") != std::string::npos);
  CHECK(w.tom.json({"safety-number", w.pair}).at("status").as_string() != "changed");
  Tamper t(tmp / "data");
  CHECK(t.integer("SELECT count(*) FROM envelope_bodies b JOIN envelope_log l ON l.id = b.id WHERE l.pair_id = " + second) ==
        0);
}
