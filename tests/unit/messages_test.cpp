// protocol/wire/messages: every decoder round-trips what its encoder wrote, and names the exact
// field (its path for nested values) of anything out of bounds, without throwing.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/keys.h"
#include "protocol/wire/messages/pairs.h"
#include "protocol/wire/messages/session.h"

using namespace mentorlink::wire;
using namespace mentorlink::wire::messages;
namespace json = boost::json;

namespace {

json::object parse(std::string_view text) { return json::parse(text).as_object(); }

Envelope envelope() {
  return Envelope{7, 3, 2, 1, Bytes(kClientIdBytes, 1), Bytes{1, 2, 3}, 1'700'000'000'000};
}

}  // namespace

TEST_CASE("typed messages round-trip through their JSON", "[wire][messages]") {
  const MessageSyncResult batch{{envelope(), envelope()}, true};
  auto back = MessageSyncResult::decode(batch.encode());
  REQUIRE(back.is_ok());
  CHECK(back.value().envelopes.size() == 2);
  CHECK(back.value().envelopes[1].body == Bytes{1, 2, 3});
  CHECK(back.value().more);

  const PairView pair{4, 1, {2, "Maria"}, {3, ""}, 5, "ended", 6, "mentor"};
  auto pairs = PairListResult::decode(PairListResult{{pair}}.encode());
  REQUIRE(pairs.is_ok());
  CHECK(pairs.value().pairs[0].mentee.name.empty());
  CHECK(pairs.value().pairs[0].ended_at == 6);
  CHECK(pairs.value().pairs[0].partner()->id == 3);

  EnrollRequest enroll{"abc", IdentityKey{}, Signature{}, std::nullopt};
  CHECK_FALSE(enroll.encode().contains("name"));
  CHECK(EnrollRequest::decode(enroll.encode()).is_ok());
}

TEST_CASE("a decoder names the path to the first bad field and never throws", "[wire][messages]") {
  auto check = [](const Status& s, ErrorCode code, std::string_view field) {
    CHECK(s.code() == code);
    CHECK(s.field() == field);
    CHECK(s.message().find("\"" + std::string(field) + "\"") != std::string::npos);
  };
  auto sync = envelope();
  json::object body = MessageSyncResult{{sync}, false}.encode();
  body["envelopes"].as_array()[0].as_object()["seq"] = std::int64_t{1} << 53;
  check(MessageSyncResult::decode(body).status(), ErrorCode::invalid_field, "envelopes[0].seq");

  body["envelopes"].as_array()[0].as_object().erase("seq");
  check(MessageSyncResult::decode(body).status(), ErrorCode::missing_field, "envelopes[0].seq");

  body = MessageSyncResult{{sync}, false}.encode();
  body["envelopes"].as_array()[0] = "not an object";
  check(MessageSyncResult::decode(body).status(), ErrorCode::invalid_field, "envelopes[0]");

  body["envelopes"] = json::array(static_cast<std::size_t>(kMaxSyncEnvelopes) + 1);
  check(MessageSyncResult::decode(body).status(), ErrorCode::invalid_field, "envelopes");

  auto fetch = parse(R"({"bundle": {"member": 2, "identity_key": "AAAA", "device": 1}})");
  check(KeysFetchResult::decode(fetch).status(), ErrorCode::invalid_field, "bundle.identity_key");

  json::object hello{{"version", kProtocolVersion}, {"server", "x"}, {"challenge", 5}};
  check(HelloResult::decode(hello).status(), ErrorCode::invalid_field, "challenge");

  auto login = parse(R"({"member": {"id": 1.5}})");
  check(SignedInResult::decode(login).status(), ErrorCode::invalid_field, "member.id");

  auto sent = parse(R"({"pair": 1, "seq": 2, "sent_at": 3, "duplicate": "no"})");
  check(MessageSendResult::decode(sent).status(), ErrorCode::invalid_field, "duplicate");
}

TEST_CASE("keys.publish: one-time prekeys may be left out and are bounded by the reader's limit", "[wire][messages]") {
  KeysPublishRequest publish;
  publish.device = 2;
  publish.identity_dh_key.fill(1);
  publish.identity_dh_signature.fill(2);
  publish.signed_prekey = SignedPrekey{7, {}, {}};
  publish.one_time_prekeys = {OneTimePrekey{8, {}}, OneTimePrekey{9, {}}};
  auto back = KeysPublishRequest::decode(publish.encode());
  REQUIRE(back.is_ok());
  CHECK(back.value().device == 2);
  CHECK(back.value().signed_prekey.id == 7);
  REQUIRE(back.value().one_time_prekeys.size() == 2);
  CHECK(back.value().one_time_prekeys[1].id == 9);

  json::object body = publish.encode();
  body.erase("one_time_prekeys");
  auto none = KeysPublishRequest::decode(body);
  REQUIRE(none.is_ok());
  CHECK(none.value().one_time_prekeys.empty());

  const auto over = KeysPublishRequest::decode(publish.encode(), 1);
  REQUIRE_FALSE(over.is_ok());
  CHECK(over.status().code() == ErrorCode::invalid_field);
  CHECK(over.status().field() == "one_time_prekeys");

  body = publish.encode();
  body["one_time_prekeys"].as_array()[1].as_object()["id"] = std::int64_t{1} << 32;
  const auto bad_id = KeysPublishRequest::decode(body);
  REQUIRE_FALSE(bad_id.is_ok());
  CHECK(bad_id.status().field() == "one_time_prekeys[1].id");

  body = publish.encode();
  body["signed_prekey"].as_object().erase("signature");
  const auto unsigned_prekey = KeysPublishRequest::decode(body);
  REQUIRE_FALSE(unsigned_prekey.is_ok());
  CHECK(unsigned_prekey.status().code() == ErrorCode::missing_field);
  CHECK(unsigned_prekey.status().field() == "signed_prekey.signature");
}

TEST_CASE("message.ack and presence.get round-trip; a malformed value is refused by name", "[wire][messages]") {
  const MessageAckRequest ack{4, 17};
  auto ack_back = MessageAckRequest::decode(ack.encode());
  REQUIRE(ack_back.is_ok());
  CHECK(ack_back.value().pair == 4);
  CHECK(ack_back.value().up_to == 17);
  auto acked = MessageAckResult::decode(MessageAckResult{3}.encode());
  REQUIRE(acked.is_ok());
  CHECK(acked.value().acknowledged == 3);

  const PresenceResult presence{4, 9, true};
  auto presence_back = PresenceResult::decode(presence.encode());
  REQUIRE(presence_back.is_ok());
  CHECK(presence_back.value().member == 9);
  CHECK(presence_back.value().online);
  CHECK(PresenceRequest::decode(PresenceRequest{4}.encode()).value().pair == 4);

  auto refused = [](const Status& s, ErrorCode code, std::string_view field) {
    CHECK(s.code() == code);
    CHECK(s.field() == field);
  };
  refused(MessageAckRequest::decode(parse(R"({"pair": 4, "up_to": 0})")).status(), ErrorCode::invalid_field, "up_to");
  refused(MessageAckRequest::decode(parse(R"({"up_to": 3})")).status(), ErrorCode::missing_field, "pair");
  refused(MessageAckResult::decode(parse(R"({"acknowledged": -1})")).status(), ErrorCode::invalid_field, "acknowledged");
  refused(PresenceResult::decode(parse(R"({"pair": 4, "member": 9, "online": "yes"})")).status(),
          ErrorCode::invalid_field, "online");
  refused(PresenceRequest::decode(parse(R"({"pair": "4"})")).status(), ErrorCode::invalid_field, "pair");
}

TEST_CASE("programme.activity sends its optional facts first, the order its access-log entry records", "[wire][messages]") {
  ProgrammeActivityEvent event;
  event.programme = 1;
  event.pair = 2;
  event.activity = "meeting.ended";
  event.at = 5;
  event.meeting = 3;
  event.held = true;
  event.both_present_ms = 600'000;
  std::string keys;
  for (const auto& [key, value] : event.encode()) keys += (keys.empty() ? "" : ",") + std::string(key);
  CHECK(keys == "meeting,held,both_present_ms,programme,pair,activity,at");
  auto back = ProgrammeActivityEvent::decode(event.encode());
  REQUIRE(back.is_ok());
  CHECK(back.value().both_present_ms == 600'000);
  CHECK_FALSE(back.value().signed_at.has_value());

  json::object body = event.encode();
  body.erase("both_present_ms");
  const auto lone_held = ProgrammeActivityEvent::decode(body);
  REQUIRE_FALSE(lone_held.is_ok());
  CHECK(lone_held.status().field() == "both_present_ms");
}
