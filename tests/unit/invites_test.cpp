// Redeeming invites (server/services/invites.h): the rules, over a real store.
#include <catch2/catch.hpp>
#include <atomic>
#include <thread>
#include <vector>

#include "protocol/wire/signatures.h"
#include "server/services/invites.h"
#include "server/core/programmes.h"
#include "tests/support/store_fixture.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::test::key;
using Fixture = mentorlink::test::StoreFixture;
using wire::ErrorCode;

TEST_CASE("an invite is redeemed once, before it expires, by a new identity", "[invites]") {
  Fixture f;
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(invite.is_ok());
  const auto hash = invite.value().record.code_hash;
  CHECK(hash == wire::invite_code_hash(invite.value().code));

  auto first = redeem_invite(f.store, hash, key(1), f.clock.now_ms());
  REQUIRE(first.is_ok());
  CHECK(first.value().member.display_name == "Ada");
  CHECK(first.value().member.may_create_programmes);
  CHECK_FALSE(first.value().enrolment.has_value());

  CHECK(redeem_invite(f.store, hash, key(2), f.clock.now_ms()).status().code() == ErrorCode::invite_used);
  CHECK(f.store.member_by_identity_key(key(2)).status().code() == ErrorCode::not_found);
  CHECK(redeem_invite(f.store, wire::invite_code_hash("nope"), key(3), f.clock.now_ms()).status().code() ==
        ErrorCode::invite_unknown);
}

TEST_CASE("an expired invite is refused and creates no member", "[invites]") {
  Fixture f;
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(invite.is_ok());
  f.clock.advance_days(7);
  CHECK(redeem_invite(f.store, invite.value().record.code_hash, key(1), f.clock.now_ms()).status().code() ==
        ErrorCode::invite_expired);
  CHECK(f.store.member_by_identity_key(key(1)).status().code() == ErrorCode::not_found);
  CHECK_FALSE(f.store.any_programme_creator().value());
}

TEST_CASE("an identity key belongs to one member, and a failed redemption leaves the invite usable", "[invites]") {
  Fixture f;
  f.enrol_bootstrap(1);
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Bo", 7);
  REQUIRE(invite.is_ok());
  CHECK(redeem_invite(f.store, invite.value().record.code_hash, key(1), f.clock.now_ms()).status().code() ==
        ErrorCode::identity_taken);
  CHECK(redeem_invite(f.store, invite.value().record.code_hash, key(2), f.clock.now_ms()).is_ok());
}

TEST_CASE("a new bootstrap invite expires the older unused ones", "[invites]") {
  Fixture f;
  auto older = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  auto newer = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(older.is_ok());
  REQUIRE(newer.is_ok());
  CHECK(redeem_invite(f.store, older.value().record.code_hash, key(1), f.clock.now_ms()).status().code() ==
        ErrorCode::invite_expired);
  CHECK(redeem_invite(f.store, newer.value().record.code_hash, key(1), f.clock.now_ms()).is_ok());
}

TEST_CASE("concurrent redemptions of one invite: exactly one wins", "[invites]") {
  Fixture f;
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(invite.is_ok());
  std::atomic<int> wins{0};
  std::atomic<int> used{0};
  std::vector<std::thread> threads;
  for (std::uint8_t i = 1; i <= 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = redeem_invite(f.store, invite.value().record.code_hash, key(i), f.clock.now_ms());
      if (r.is_ok()) ++wins;
      if (!r.is_ok() && r.status().code() == ErrorCode::invite_used) ++used;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wins == 1);
  CHECK(used == 7);
}

TEST_CASE("programmes enrol their creator, invites enrol into their programme", "[invites]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  auto programme = create_programme(f.store, "Grads", "growth", ada.id, f.clock.now_ms(), std::nullopt);
  REQUIRE(programme.is_ok());
  const auto maria = f.enrol_participant(programme.value().id, 2, "Maria");

  auto enrolments = f.store.enrolments_in(programme.value().id);
  REQUIRE(enrolments.is_ok());
  REQUIRE(enrolments.value().size() == 2);
  CHECK(enrolments.value()[0].role == ProgrammeRole::coordinator);
  CHECK(enrolments.value()[1].member == maria.id);
  CHECK(enrolments.value()[1].role == ProgrammeRole::participant);
  CHECK(f.store.programmes_of_member(maria.id).value().size() == 1);
  CHECK(f.store.enrolment(programme.value().id + 1, maria.id).status().code() == ErrorCode::not_found);
}
