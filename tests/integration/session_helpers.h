#pragma once
// Protocol-level helpers for integration tests that speak to the real server directly through
// the client library's Connection (real TLS), without the CLI.

#include <catch2/catch.hpp>

#include "client-cli/lib/account.h"
#include "client-cli/lib/connection.h"
#include "protocol/device/identity.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/messages/session.h"
#include "protocol/wire/signatures.h"
#include "tests/support/server_process.h"

namespace mentorlink::test {

inline std::unique_ptr<client::Connection> connect(const ServerProcess& server) {
  auto address = client::parse_server_url(server.url());
  REQUIRE(address.is_ok());
  auto c = client::Connection::open(address.value(), test_ca_file());
  INFO((c.is_ok() ? std::string() : c.status().message()));
  REQUIRE(c.is_ok());
  return std::move(c.value());
}

// Enrolls a new identity with code on a fresh connection; returns the logged-in connection.
inline std::unique_ptr<client::Connection> enroll(const ServerProcess& server, const device::IdentityKeyPair& id,
                                                  const std::string& code) {
  auto c = connect(server);
  auto nonce = client::say_hello(*c);
  REQUIRE(nonce.is_ok());
  auto r = c->call(wire::messages::EnrollRequest{
      code, id.public_key(),
      id.sign(wire::enroll_message(nonce.value(), c->exporter(), id.public_key(), wire::invite_code_hash(code))),
      std::nullopt});
  INFO((r.is_ok() ? std::string() : r.status().message()));
  REQUIRE(r.is_ok());
  return c;
}

inline std::unique_ptr<client::Connection> login(const ServerProcess& server, const device::IdentityKeyPair& id) {
  auto c = connect(server);
  auto r = client::log_in(*c, id);
  INFO((r.is_ok() ? std::string() : r.status().message()));
  REQUIRE(r.is_ok());
  return c;
}

inline boost::json::object ok(client::Connection& c, std::string_view type, boost::json::object body = {}) {
  auto r = c.request(type, std::move(body));
  INFO(type << ": " << (r.is_ok() ? std::string() : r.status().message()));
  REQUIRE(r.is_ok());
  return std::move(r.value());
}

}  // namespace mentorlink::test

#include "client-cli/lib/messenger.h"

namespace mentorlink::test {

// A member's device run inside the test process: the real client library (sessions, ratchet,
// messenger) over a real TLS connection. Its state lives in memory.
struct InProcessDevice {
  device::IdentityKeyPair identity;
  client::DeviceState state;
  std::unique_ptr<client::Connection> connection;
  std::unique_ptr<client::Messenger> messenger;

  InProcessDevice(const ServerProcess& server, device::IdentityKeyPair id) : identity(std::move(id)) {
    connection = login(server, identity);
    messenger = std::make_unique<client::Messenger>(*connection, identity, state, [] { return wire::Status::ok(); });
    auto s = messenger->prepare_device(client::device_now_ms());
    INFO(s.message());
    REQUIRE(s.is_ok());
  }
};

// A programme with a coordinator and one pair (mentor, mentee), all enrolled through the protocol.
struct PairFixture {
  device::IdentityKeyPair coordinator_key = device::IdentityKeyPair::generate();
  device::IdentityKeyPair mentor_key = device::IdentityKeyPair::generate();
  device::IdentityKeyPair mentee_key = device::IdentityKeyPair::generate();
  std::int64_t programme = 0;
  std::int64_t pair = 0;
  std::int64_t mentor_id = 0;
  std::int64_t mentee_id = 0;

  explicit PairFixture(ServerProcess& server) {
    auto coordinator = enroll(server, coordinator_key, server.bootstrap("Ada"));
    programme = ok(*coordinator, "programme.create", boost::json::object{{"name", "Grads"}}).at("programme").at("id").as_int64();
    auto invite = [&](const std::string& name) {
      return std::string(ok(*coordinator, "invite.create",
                            boost::json::object{{"programme", programme}, {"role", "participant"}, {"name", name}})
                             .at("code")
                             .as_string());
    };
    auto mentor = enroll(server, mentor_key, invite("Maria"));
    auto mentee = enroll(server, mentee_key, invite("Tom"));
    mentor_id = ok(*mentor, "whoami").at("member").at("id").as_int64();
    mentee_id = ok(*mentee, "whoami").at("member").at("id").as_int64();
    pair = ok(*coordinator, "pair.create",
              boost::json::object{{"programme", programme}, {"mentor", mentor_id}, {"mentee", mentee_id}})
               .at("pair")
               .at("id")
               .as_int64();
  }
};

}  // namespace mentorlink::test
