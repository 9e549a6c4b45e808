#include "server/api/views.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;

msg::PersonView person_view(MemberId id, const Names& names) {
  auto it = names.find(id);
  return msg::PersonView{id, it != names.end() ? it->second : std::string()};
}

msg::MemberView member_view(const MemberRecord& member) {
  return msg::MemberView{member.id, member.display_name, member.identity_key, member.may_create_programmes,
                         member.created_at};
}

msg::EnrolmentView enrolment_view(const EnrolmentRecord& enrolment) {
  return msg::EnrolmentView{enrolment.member, enrolment.display_name, std::string(to_string(enrolment.role)),
                            enrolment.joined_at};
}

msg::ProgrammeView programme_view(const ProgrammeRecord& programme, std::optional<ProgrammeRole> your_role) {
  msg::ProgrammeView v{programme.id,           programme.name,          programme.purpose, programme.created_at,
                       programme.cadence_days, programme.min_held_minutes, std::nullopt};
  if (your_role) v.your_role = std::string(to_string(*your_role));
  return v;
}

msg::PairView pair_view(const PairRecord& pair, const Names& names, MemberId viewer) {
  msg::PairView v;
  v.id = pair.id;
  v.programme = pair.programme;
  v.mentor = person_view(pair.mentor, names);
  v.mentee = person_view(pair.mentee, names);
  v.formed_at = pair.formed_at;
  v.status = pair.active() ? "active" : "ended";
  v.ended_at = pair.ended_at;
  if (viewer == pair.mentor) {
    v.your_role = "mentor";
  } else if (viewer == pair.mentee) {
    v.your_role = "mentee";
  }
  return v;
}

Names names_of(const std::vector<EnrolmentRecord>& enrolments) {
  Names out;
  for (const auto& e : enrolments) out.emplace(e.member, e.display_name);
  return out;
}

}  // namespace mentorlink::server::api
