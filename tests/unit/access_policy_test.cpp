#include <catch2/catch.hpp>

#include "server/policy/access.h"

using namespace mentorlink::server;
using mentorlink::wire::ErrorCode;

namespace {
EnrolmentRecord enrolled(ProgrammeId programme, MemberId member, ProgrammeRole role) {
  return EnrolmentRecord{programme, member, "someone", role, 0};
}
PairRecord pair(ProgrammeId programme, MemberId mentor, MemberId mentee) {
  PairRecord p;
  p.id = 1;
  p.programme = programme;
  p.mentor = mentor;
  p.mentee = mentee;
  return p;
}
}  // namespace

TEST_CASE("only bootstrap coordinators create programmes", "[policy]") {
  MemberRecord m;
  CHECK(policy::may_create_programme(m).code() == ErrorCode::forbidden);
  m.may_create_programmes = true;
  CHECK(policy::may_create_programme(m).is_ok());
}

TEST_CASE("invites and pairs come from the programme's coordinators only", "[policy]") {
  CHECK(policy::may_invite(enrolled(1, 5, ProgrammeRole::coordinator)).is_ok());
  CHECK(policy::may_invite(enrolled(1, 5, ProgrammeRole::participant)).code() == ErrorCode::forbidden);
  CHECK(policy::may_invite(std::nullopt).code() == ErrorCode::forbidden);
  CHECK(policy::may_form_pair(enrolled(1, 5, ProgrammeRole::coordinator)).is_ok());
  CHECK(policy::may_form_pair(enrolled(1, 5, ProgrammeRole::participant)).code() == ErrorCode::forbidden);
}

TEST_CASE("any enrolment lets a member see their programme, none does not", "[policy]") {
  CHECK(policy::may_view_programme(enrolled(1, 5, ProgrammeRole::participant)).is_ok());
  CHECK(policy::may_view_programme(std::nullopt).code() == ErrorCode::forbidden);
}

TEST_CASE("a pair is ended by its members or its programme's coordinators", "[policy]") {
  const auto p = pair(1, 10, 11);
  CHECK(policy::may_end_pair(p, 10, enrolled(1, 10, ProgrammeRole::participant)).is_ok());
  CHECK(policy::may_end_pair(p, 11, enrolled(1, 11, ProgrammeRole::participant)).is_ok());
  CHECK(policy::may_end_pair(p, 12, enrolled(1, 12, ProgrammeRole::coordinator)).is_ok());
  CHECK(policy::may_end_pair(p, 13, enrolled(1, 13, ProgrammeRole::participant)).code() == ErrorCode::forbidden);
  CHECK(policy::may_end_pair(p, 14, enrolled(2, 14, ProgrammeRole::coordinator)).code() == ErrorCode::forbidden);
  CHECK(policy::may_end_pair(p, 15, std::nullopt).code() == ErrorCode::forbidden);
}

TEST_CASE("a programme's settings are changed by its coordinators only", "[policy]") {
  CHECK(policy::may_change_programme(enrolled(1, 5, ProgrammeRole::coordinator)).is_ok());
  CHECK(policy::may_change_programme(enrolled(1, 5, ProgrammeRole::participant)).code() == ErrorCode::forbidden);
  CHECK(policy::may_change_programme(std::nullopt).code() == ErrorCode::forbidden);
}

TEST_CASE("a pair's content is its members', whatever their role; other coordinators see metadata only", "[policy]") {
  const auto p = pair(1, 10, 11);  // member 10 also coordinates programme 1
  CHECK(policy::may_use_pair_content(p, 10).is_ok());
  CHECK(policy::may_use_pair_content(p, 11).is_ok());
  const auto other = policy::may_use_pair_content(p, 12);
  CHECK(other.code() == ErrorCode::forbidden);
  CHECK(other.message().find("coordinators see metadata only") != std::string::npos);
}
