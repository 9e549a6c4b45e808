#include "tests/conformance/world.h"

namespace mentorlink::conformance {
using namespace server;

wire::IdentityKey identity_key(std::uint8_t fill) {
  wire::IdentityKey k{};
  k.fill(fill);
  return k;
}

World::World(const Quotas& quotas) : harness(make_store_harness(quotas)) {
  ada.identity_key = identity_key(1);
  ada.display_name = "Ada";
  ada.may_create_programmes = true;
  ada.created_at = now;
  auto inserted = store().insert_member(ada);
  REQUIRE(inserted.is_ok());
  REQUIRE(inserted.value());
  auto p = store().insert_programme("Pilot", "Mentoring", ada.id, now);
  REQUIRE(p.is_ok());
  programme = p.value();
  REQUIRE(store().insert_enrolment(EnrolmentRecord{programme.id, ada.id, {}, ProgrammeRole::coordinator, now}).is_ok());
  maria = enrol(2, "Maria");
  tom = enrol(3, "Tom");
  pair = pair_of(maria, tom);
}

MemberRecord World::enrol(std::uint8_t fill, const std::string& name) {
  MemberRecord m;
  m.identity_key = identity_key(fill);
  m.display_name = name;
  m.created_at = now;
  auto inserted = store().insert_member(m);
  REQUIRE(inserted.is_ok());
  REQUIRE(inserted.value());
  REQUIRE(store().insert_enrolment(EnrolmentRecord{programme.id, m.id, {}, ProgrammeRole::participant, now}).is_ok());
  return m;
}

PairRecord World::pair_of(const MemberRecord& mentor, const MemberRecord& mentee) {
  return written(store().insert_pair(programme.id, mentor.id, mentee.id, ada.id, now));
}

}  // namespace mentorlink::conformance
