#pragma once
// A real SQLite store in a fresh folder with a fake clock, and members made the way the server
// makes them (issued invites, redeemed): for tests of the domain rules over a real store.

#include <catch2/catch.hpp>
#include <string>

#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "server/services/invites.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace mentorlink::test {

inline wire::IdentityKey key(std::uint8_t fill) {
  wire::IdentityKey k{};
  k.fill(fill);
  return k;
}

struct StoreFixture {
  explicit StoreFixture(server::Quotas quotas = {})
      : store{dir.path().string(), nullptr, server::Durability::full, quotas} {}
  TempDir dir;
  FakeClock clock;
  server::SqliteStore store;

  server::MemberRecord enrol_bootstrap(std::uint8_t fill) {
    auto invite = server::issue_bootstrap_invite(store, clock, "Coordinator", 7);
    REQUIRE(invite.is_ok());
    auto r = server::redeem_invite(store, invite.value().record.code_hash, key(fill), clock.now_ms());
    REQUIRE(r.is_ok());
    return r.value().member;
  }
  server::MemberRecord enrol_participant(server::ProgrammeId programme, std::uint8_t fill, const std::string& name) {
    auto invite = server::issue_invite(store, clock, programme, server::ProgrammeRole::participant, name, std::nullopt, 7);
    REQUIRE(invite.is_ok());
    auto r = server::redeem_invite(store, invite.value().record.code_hash, key(fill), clock.now_ms());
    REQUIRE(r.is_ok());
    return r.value().member;
  }

  // Ada coordinates programme "Grads", in which Maria mentors Tom: the start of most rule tests.
  struct Paired {
    server::MemberRecord ada;
    server::ProgrammeRecord programme;
    server::MemberRecord maria;
    server::MemberRecord tom;
    server::PairRecord pair;
  };
  Paired programme_with_pair() {
    Paired p;
    p.ada = enrol_bootstrap(1);
    auto programme = server::create_programme(store, "Grads", "", p.ada.id, clock.now_ms(), std::nullopt);
    REQUIRE(programme.is_ok());
    p.programme = programme.value();
    p.maria = enrol_participant(p.programme.id, 2, "Maria");
    p.tom = enrol_participant(p.programme.id, 3, "Tom");
    auto pair = server::create_pair(store, p.programme.id, p.maria.id, p.tom.id, p.ada.id, clock.now_ms());
    REQUIRE(pair.is_ok());
    p.pair = pair.value();
    return p;
  }
};

}  // namespace mentorlink::test
