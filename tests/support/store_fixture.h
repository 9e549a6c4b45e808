#pragma once
// A real SQLite store in a fresh folder with a fake clock, and members made the way the server
// makes them (issued invites, redeemed): for tests of the domain rules over a real store.

#include <catch2/catch.hpp>
#include <string>

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
};

}  // namespace mentorlink::test
