#include "bench/loadgen/world.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "client-cli/lib/account.h"
#include "client-cli/lib/connection.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/messages/pairs.h"
#include "protocol/wire/messages/programmes.h"
#include "protocol/wire/messages/session.h"
#include "protocol/wire/signatures.h"

namespace mentorlink::bench {
namespace json = boost::json;
namespace msg = wire::messages;

device::IdentityKeyPair BenchMember::identity() const {
  if (seed.size() != device::kIdentitySeedBytes) throw std::runtime_error("world file: bad identity seed");
  return device::IdentityKeyPair::from_seed(std::span<const std::uint8_t, device::kIdentitySeedBytes>(seed.data(),
                                                                                                      seed.size()));
}

namespace {

template <class T>
T must(client::Result<T> r, const std::string& step) {
  if (!r.is_ok()) throw std::runtime_error(step + ": " + r.status().message());
  return std::move(r.value());
}

// Enrols a new identity with invite on a fresh connection; returns (member id, seed).
BenchMember enrol(const client::ServerAddress& address, const std::string& ca_file, const std::string& invite) {
  auto opened = client::Connection::open(address, ca_file);
  if (!opened.is_ok()) throw std::runtime_error("connect: " + opened.status().message());
  auto& conn = *opened.value();
  auto challenge = client::say_hello(conn);
  if (!challenge.is_ok()) throw std::runtime_error("hello: " + challenge.status().message());
  auto identity = device::IdentityKeyPair::generate();
  const auto message = wire::enroll_message(challenge.value(), conn.exporter(), identity.public_key(),
                                            wire::invite_code_hash(invite));
  auto result =
      must(conn.call(msg::EnrollRequest{invite, identity.public_key(), identity.sign(message), std::nullopt}), "enroll");
  BenchMember m;
  m.id = result.member.id;
  m.seed.assign(identity.seed().begin(), identity.seed().end());
  conn.close();
  return m;
}

}  // namespace

World make_world(const std::string& server_url, const std::string& ca_file, const std::string& invite,
                 std::size_t pairs) {
  auto address = client::parse_server_url(server_url);
  if (!address.is_ok()) throw std::runtime_error(address.status().message());
  const auto coordinator = enrol(address.value(), ca_file, invite);
  auto opened = client::Connection::open(address.value(), ca_file);
  if (!opened.is_ok()) throw std::runtime_error("connect: " + opened.status().message());
  auto& conn = *opened.value();
  must(client::log_in(conn, coordinator.identity()), "coordinator login");
  const auto programme =
      must(conn.call(msg::ProgrammeCreateRequest{"Benchmark", std::nullopt, std::nullopt, std::nullopt}), "programme.create").programme.id;
  World world;
  world.server_url = server_url;
  for (std::size_t i = 0; i < 2 * pairs; ++i) {
    const auto name = "Member " + std::to_string(i);
    auto invite_result =
        must(conn.call(msg::InviteCreateRequest{programme, "participant", name, std::nullopt}), "invite.create");
    world.members.push_back(enrol(address.value(), ca_file, invite_result.code));
  }
  for (std::size_t k = 0; k < pairs; ++k) {
    auto& mentor = world.members[2 * k];
    auto& mentee = world.members[2 * k + 1];
    auto pair = must(conn.call(msg::PairCreateRequest{programme, mentor.id, mentee.id}), "pair.create");
    mentor.pair = mentee.pair = pair.pair.id;
  }
  conn.close();
  return world;
}

World synthetic_world(std::size_t pairs) {
  World world;
  for (std::size_t i = 0; i < 2 * pairs; ++i) {
    BenchMember m;
    m.id = static_cast<std::int64_t>(2 + i);
    m.pair = static_cast<std::int64_t>(1 + i / 2);
    auto identity = device::IdentityKeyPair::generate();
    m.seed.assign(identity.seed().begin(), identity.seed().end());
    world.members.push_back(std::move(m));
  }
  return world;
}

void save_world(const World& world, const std::string& path) {
  json::array members;
  for (const auto& m : world.members) {
    members.push_back(json::object{{"id", m.id}, {"pair", m.pair}, {"seed", wire::base64url_encode(m.seed)}});
  }
  std::ofstream out(path);
  out << json::serialize(json::object{{"server", world.server_url}, {"members", std::move(members)}}) << "\n";
  if (!out) throw std::runtime_error("cannot write " + path);
}

World load_world(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw std::runtime_error("cannot read " + path);
  const auto root = json::parse(text.str()).as_object();
  World world;
  world.server_url = std::string(root.at("server").as_string());
  for (const auto& v : root.at("members").as_array()) {
    const auto& o = v.as_object();
    BenchMember m;
    m.id = o.at("id").as_int64();
    m.pair = o.at("pair").as_int64();
    auto seed = wire::base64url_decode(o.at("seed").as_string());
    if (!seed) throw std::runtime_error(path + ": bad seed");
    m.seed = std::move(*seed);
    world.members.push_back(std::move(m));
  }
  return world;
}

}  // namespace mentorlink::bench
