#include "server/api/views.h"

#include "protocol/wire/base64url.h"

namespace mentorlink::server::api {
namespace json = boost::json;

json::value optional_int(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object member_view(const MemberRecord& member) {
  json::object o;
  o["id"] = member.id;
  o["name"] = member.display_name;
  o["identity_key"] = wire::base64url_encode(member.identity_key);
  o["may_create_programmes"] = member.may_create_programmes;
  o["created_at"] = member.created_at;
  return o;
}

json::object enrolment_view(const EnrolmentRecord& enrolment) {
  json::object o;
  o["id"] = enrolment.member;
  o["name"] = enrolment.display_name;
  o["role"] = to_string(enrolment.role);
  o["joined_at"] = enrolment.joined_at;
  return o;
}

json::object programme_view(const ProgrammeRecord& programme, std::optional<ProgrammeRole> your_role) {
  json::object o;
  o["id"] = programme.id;
  o["name"] = programme.name;
  o["purpose"] = programme.purpose;
  o["created_at"] = programme.created_at;
  o["cadence_days"] = programme.cadence_days;
  o["min_held_minutes"] = programme.min_held_minutes;
  if (your_role) {
    o["your_role"] = to_string(*your_role);
  } else {
    o["your_role"] = nullptr;
  }
  return o;
}

json::object pair_view(const PairRecord& pair, const std::unordered_map<MemberId, std::string>& names,
                       MemberId viewer) {
  auto person = [&](MemberId id) {
    json::object p;
    p["id"] = id;
    auto it = names.find(id);
    p["name"] = it != names.end() ? it->second : std::string();
    return p;
  };
  json::object o;
  o["id"] = pair.id;
  o["programme"] = pair.programme;
  o["mentor"] = person(pair.mentor);
  o["mentee"] = person(pair.mentee);
  o["formed_at"] = pair.formed_at;
  o["status"] = pair.active() ? "active" : "ended";
  o["ended_at"] = optional_int(pair.ended_at);
  if (viewer == pair.mentor) {
    o["your_role"] = "mentor";
  } else if (viewer == pair.mentee) {
    o["your_role"] = "mentee";
  } else {
    o["your_role"] = nullptr;
  }
  return o;
}

std::unordered_map<MemberId, std::string> names_of(const std::vector<EnrolmentRecord>& enrolments) {
  std::unordered_map<MemberId, std::string> out;
  for (const auto& e : enrolments) out.emplace(e.member, e.display_name);
  return out;
}

}  // namespace mentorlink::server::api
