// Conformance: members, invites, programmes and enrolments.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::identity_key;
using mentorlink::conformance::World;

TEST_CASE("store conformance: ids are assigned, distinct and found again", "[conformance][members]") {
  World w;
  CHECK(w.ada.id > 0);
  CHECK(w.maria.id != w.ada.id);
  CHECK(w.tom.id != w.maria.id);
  CHECK(w.programme.id > 0);
  CHECK(w.pair.id > 0);

  auto maria = w.store().member_by_id(w.maria.id);
  REQUIRE(maria.is_ok());
  CHECK(maria.value().display_name == "Maria");
  CHECK(maria.value().identity_key == identity_key(2));
  CHECK_FALSE(maria.value().may_create_programmes);
  CHECK(w.store().member_by_identity_key(identity_key(3)).value().id == w.tom.id);
  CHECK(w.store().member_by_id(w.tom.id + 1000).status().code() == wire::ErrorCode::not_found);
  CHECK(w.store().member_by_identity_key(identity_key(99)).status().code() == wire::ErrorCode::not_found);
  CHECK(w.store().any_programme_creator().value());
}

TEST_CASE("store conformance: an identity key belongs to one member", "[conformance][members]") {
  World w;
  MemberRecord again;
  again.identity_key = identity_key(2);  // Maria's
  again.display_name = "Impostor";
  again.created_at = w.now;
  auto inserted = w.store().insert_member(again);
  REQUIRE(inserted.is_ok());
  CHECK_FALSE(inserted.value());
  CHECK(w.store().member_by_identity_key(identity_key(2)).value().display_name == "Maria");
}

TEST_CASE("store conformance: invites are found by hash and used once", "[conformance][members]") {
  World w;
  InviteRecord invite;
  invite.code_hash.fill(7);
  invite.programme = w.programme.id;
  invite.role = ProgrammeRole::participant;
  invite.display_name = "Lena";
  invite.created_by = w.ada.id;
  invite.created_at = w.now;
  invite.expires_at = w.now + 1000;
  REQUIRE(w.store().insert_invite(invite).is_ok());
  CHECK(invite.id > 0);

  auto found = w.store().invite_by_hash(invite.code_hash);
  REQUIRE(found.is_ok());
  CHECK(found.value().display_name == "Lena");
  CHECK(found.value().programme == w.programme.id);
  CHECK_FALSE(found.value().used_at);
  wire::Hash unknown{};
  CHECK(w.store().invite_by_hash(unknown).status().code() == wire::ErrorCode::not_found);

  CHECK(w.store().mark_invite_used(invite.id, w.tom.id, w.now + 5).value());
  CHECK_FALSE(w.store().mark_invite_used(invite.id, w.maria.id, w.now + 6).value());
  const auto used = w.store().invite_by_hash(invite.code_hash).value();
  CHECK(used.used_at == w.now + 5);
  CHECK(used.used_by == w.tom.id);
}

TEST_CASE("store conformance: only unused bootstrap invites are expired", "[conformance][members]") {
  World w;
  auto invite = [&](std::uint8_t fill, std::optional<ProgrammeId> programme) {
    InviteRecord i;
    i.code_hash.fill(fill);
    i.programme = programme;
    i.role = ProgrammeRole::coordinator;
    i.display_name = "Boot";
    i.created_at = w.now;
    i.expires_at = w.now + 10'000;
    REQUIRE(w.store().insert_invite(i).is_ok());
    return i;
  };
  const auto boot = invite(1, std::nullopt);
  const auto used_boot = invite(2, std::nullopt);
  const auto programme_invite = invite(3, w.programme.id);
  REQUIRE(w.store().mark_invite_used(used_boot.id, w.tom.id, w.now).value());

  CHECK(w.store().expire_bootstrap_invites(w.now + 1).value() == 1);
  CHECK(w.store().invite_by_hash(boot.code_hash).value().expires_at == w.now + 1);
  CHECK(w.store().invite_by_hash(used_boot.code_hash).value().expires_at == w.now + 10'000);
  CHECK(w.store().invite_by_hash(programme_invite.code_hash).value().expires_at == w.now + 10'000);
}

TEST_CASE("store conformance: programmes, enrolments and settings", "[conformance][members]") {
  World w;
  const auto bare = w.store().insert_programme("Bare", "", w.ada.id, w.now).value();
  CHECK(bare.id != w.programme.id);
  CHECK(bare.created_by == w.ada.id);
  CHECK(w.store().enrolments_in(bare.id).value().empty());  // inserting a programme enrols no one
  CHECK(w.programme.cadence_days == kDefaultCadenceDays);
  CHECK(w.programme.min_held_minutes == kDefaultMinHeldMinutes);
  const auto creator = w.store().enrolment(w.programme.id, w.ada.id);
  REQUIRE(creator.is_ok());
  CHECK(creator.value().role == ProgrammeRole::coordinator);
  CHECK(creator.value().display_name == "Ada");

  const auto enrolled = w.store().enrolments_in(w.programme.id).value();
  REQUIRE(enrolled.size() == 3);
  CHECK(enrolled[0].member == w.ada.id);  // by member id
  CHECK(enrolled[1].member == w.maria.id);
  CHECK(enrolled[2].member == w.tom.id);
  CHECK(w.store().enrolment(w.programme.id, w.tom.id + 1000).status().code() == wire::ErrorCode::not_found);
  CHECK(w.store().programmes_of_member(w.tom.id).value().size() == 1);

  ProgrammeSettings settings;
  settings.cadence_days = 14;
  const auto updated = w.store().update_programme(w.programme.id, settings);
  REQUIRE(updated.is_ok());
  CHECK(updated.value().cadence_days == 14);
  CHECK(updated.value().min_held_minutes == kDefaultMinHeldMinutes);  // not set: unchanged
  CHECK(w.store().programme_by_id(w.programme.id).value().cadence_days == 14);
  CHECK(w.store().update_programme(w.programme.id + 1000, settings).status().code() == wire::ErrorCode::not_found);
  CHECK(w.store().programme_by_id(w.programme.id + 1000).status().code() == wire::ErrorCode::not_found);
}

TEST_CASE("store conformance: template versions per name", "[conformance][members]") {
  World w;
  const auto first = w.store().publish_template(w.programme.id, {"Contract", "v1 text"}, w.ada.id, w.now).value();
  const auto second = w.store().publish_template(w.programme.id, {"Contract", "v2 text"}, w.ada.id, w.now).value();
  const auto other = w.store().publish_template(w.programme.id, {"Agreement", "a"}, w.ada.id, w.now).value();
  CHECK(first.version == 1);
  CHECK(second.version == 2);
  CHECK(other.version == 1);
  CHECK(second.id != first.id);
  const auto latest = w.store().latest_templates(w.programme.id).value();
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].name == "Agreement");  // by name
  CHECK(latest[1].text == "v2 text");
  CHECK(w.store().template_by_id(first.id).value().text == "v1 text");
  CHECK(w.store().template_by_id(first.id + 1000).status().code() == wire::ErrorCode::not_found);
}
