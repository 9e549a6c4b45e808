// Login over the real server: challenge-response bound to the TLS connection (RFC 9266 exporter).
#include <catch2/catch.hpp>

#include "tests/integration/session_helpers.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

json::object login_body(const device::IdentityKeyPair& id, const wire::Nonce& nonce,
                        const wire::ExporterValue& exporter) {
  return wire::messages::LoginRequest{id.public_key(), id.sign(wire::login_message(nonce, exporter, id.public_key()))}
      .encode();
}

}  // namespace

TEST_CASE("both ends of a connection see the same TLS exporter, and each connection has its own", "[login]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto ada = device::IdentityKeyPair::generate();
  enroll(server, ada, server.bootstrap("Ada"));
  // A correct login proves the server computed the same exporter as this client.
  auto a = login(server, ada);
  auto b = login(server, ada);
  CHECK(a->exporter() != b->exporter());
  CHECK(ok(*a, "whoami").at("member").at("name").as_string() == "Ada");
}

TEST_CASE("a login signature cannot be used on another connection", "[login]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto ada = device::IdentityKeyPair::generate();
  enroll(server, ada, server.bootstrap("Ada"));

  auto victim = connect(server);
  auto attacker = connect(server);
  const auto victim_nonce = client::say_hello(*victim).value();
  const auto attacker_nonce = client::say_hello(*attacker).value();

  SECTION("replayed verbatim") {
    const auto body = login_body(ada, victim_nonce, victim->exporter());
    auto r = attacker->request("login", body);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == wire::ErrorCode::bad_signature);
  }
  SECTION("relayed: the attacker's challenge signed on the victim's connection") {
    // A man in the middle forwards its own challenge; the victim's signature still names the
    // victim's TLS connection, which is not the attacker's.
    const auto body = login_body(ada, attacker_nonce, victim->exporter());
    auto r = attacker->request("login", body);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == wire::ErrorCode::bad_signature);
  }
  // The attacker is still not logged in, and the victim's own login still works.
  auto whoami = attacker->request("whoami");
  CHECK(whoami.status().code() == wire::ErrorCode::not_authenticated);
  CHECK(victim->request("login", login_body(ada, victim_nonce, victim->exporter())).is_ok());
}

TEST_CASE("an identity that never enrolled cannot log in", "[login]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  auto c = connect(server);
  auto r = client::log_in(*c, device::IdentityKeyPair::generate());
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == wire::ErrorCode::unknown_identity);
}

TEST_CASE("pair members who are online are told at once when their pair is formed and ended", "[login][events]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto ada = device::IdentityKeyPair::generate();
  auto coordinator = enroll(server, ada, server.bootstrap("Ada"));
  json::object create;
  create["name"] = "Grads";
  const auto pid = ok(*coordinator, "programme.create", create).at("programme").at("id").as_int64();
  auto invite = [&](const std::string& name) {
    json::object body;
    body["programme"] = pid;
    body["role"] = "participant";
    body["name"] = name;
    return std::string(ok(*coordinator, "invite.create", body).at("code").as_string());
  };
  auto maria = enroll(server, device::IdentityKeyPair::generate(), invite("Maria"));
  auto tom = enroll(server, device::IdentityKeyPair::generate(), invite("Tom"));
  const auto maria_id = ok(*maria, "whoami").at("member").at("id").as_int64();
  const auto tom_id = ok(*tom, "whoami").at("member").at("id").as_int64();

  json::object pair;
  pair["programme"] = pid;
  pair["mentor"] = maria_id;
  pair["mentee"] = tom_id;
  const auto pair_id = ok(*coordinator, "pair.create", pair).at("pair").at("id").as_int64();

  for (auto* member : {maria.get(), tom.get()}) {
    auto frame = member->receive_text();  // blocks until the event arrives (or the 15 s deadline)
    REQUIRE(frame.is_ok());
    auto event = wire::parse_incoming(frame.value());
    REQUIRE(event.is_ok());
    CHECK(event.value().event == "pair.formed");
    CHECK(event.value().body.at("pair").at("id").as_int64() == pair_id);
    CHECK(event.value().body.at("pair").at("your_role").as_string() == (member == maria.get() ? "mentor" : "mentee"));
  }

  json::object end;
  end["pair"] = pair_id;
  ok(*tom, "pair.end", end);
  auto frame = maria->receive_text();
  REQUIRE(frame.is_ok());
  CHECK(wire::parse_incoming(frame.value()).value().event == "pair.ended");
  // Tom's own request returned first; the event for him was kept for take_events().
  auto tom_events = tom->take_events();
  const bool tom_told = (!tom_events.empty() && tom_events.front().event == "pair.ended") ||
                        wire::parse_incoming(tom->receive_text().value()).value().event == "pair.ended";
  CHECK(tom_told);
}
