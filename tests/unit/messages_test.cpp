// protocol/wire/messages: every decoder round-trips what its encoder wrote, and names the exact
// field (its path for nested values) of anything out of bounds, without throwing.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "protocol/wire/messages/envelopes.h"
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
