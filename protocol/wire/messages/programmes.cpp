#include "protocol/wire/messages/programmes.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

namespace {
constexpr std::size_t kMaxInviteCodeTextBytes = 64;
}  // namespace

json::object ProgrammeResult::encode() const { return {{"programme", programme.encode()}}; }

Result<ProgrammeResult> ProgrammeResult::decode(const json::object& o) {
  FieldReader in(o);
  ProgrammeResult v;
  v.programme = in.object<ProgrammeView>("programme");
  return finish(in, std::move(v));
}

json::object ProgrammeCreateRequest::encode() const {
  json::object o{{"name", name}};
  if (purpose) o["purpose"] = *purpose;
  if (cadence_days) o["cadence_days"] = *cadence_days;
  if (min_held_minutes) o["min_held_minutes"] = *min_held_minutes;
  return o;
}

Result<ProgrammeCreateRequest> ProgrammeCreateRequest::decode(const json::object& o) {
  FieldReader in(o);
  ProgrammeCreateRequest v;
  v.name = in.text("name", kMaxProgrammeNameBytes);
  v.purpose = in.optional_text("purpose", kMaxPurposeBytes);
  v.cadence_days = in.optional_integer("cadence_days", 1, kMaxCadenceDays);
  v.min_held_minutes = in.optional_integer("min_held_minutes", 1, kMaxMinHeldMinutes);
  return finish(in, std::move(v));
}

json::object ProgrammeListResult::encode() const { return {{"programmes", encode_all(programmes)}}; }

Result<ProgrammeListResult> ProgrammeListResult::decode(const json::object& o) {
  FieldReader in(o);
  ProgrammeListResult v;
  v.programmes = in.list<ProgrammeView>("programmes", kMaxProgrammesPerList);
  return finish(in, std::move(v));
}

json::object ProgrammeUpdateRequest::encode() const {
  json::object o{{"programme", programme}};
  if (cadence_days) o["cadence_days"] = *cadence_days;
  if (min_held_minutes) o["min_held_minutes"] = *min_held_minutes;
  return o;
}

Result<ProgrammeUpdateRequest> ProgrammeUpdateRequest::decode(const json::object& o) {
  FieldReader in(o);
  ProgrammeUpdateRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.cadence_days = in.optional_integer("cadence_days", 1, kMaxCadenceDays);
  v.min_held_minutes = in.optional_integer("min_held_minutes", 1, kMaxMinHeldMinutes);
  return finish(in, v);
}

json::object InviteCreateResult::encode() const {
  return {{"code", code}, {"programme", programme}, {"role", role}, {"name", name}, {"expires_at", expires_at}};
}

Result<InviteCreateResult> InviteCreateResult::decode(const json::object& o) {
  FieldReader in(o);
  InviteCreateResult v;
  v.code = in.text("code", kMaxInviteCodeTextBytes);
  v.programme = in.integer("programme", 1, kMaxId);
  v.role = in.choice("role", {"coordinator", "participant"});
  v.name = in.text("name", kMaxDisplayNameBytes);
  v.expires_at = in.integer("expires_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

json::object InviteCreateRequest::encode() const {
  json::object o{{"programme", programme}, {"role", role}, {"name", name}};
  if (valid_days) o["valid_days"] = *valid_days;
  return o;
}

Result<InviteCreateRequest> InviteCreateRequest::decode(const json::object& o) {
  FieldReader in(o);
  InviteCreateRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.role = in.choice("role", {"coordinator", "participant"});
  v.name = in.text("name", kMaxDisplayNameBytes);
  v.valid_days = in.optional_integer("valid_days", 1, kMaxInviteDays);
  return finish(in, std::move(v));
}

json::object MemberListResult::encode() const {
  return {{"programme", programme}, {"members", encode_all(members)}};
}

Result<MemberListResult> MemberListResult::decode(const json::object& o) {
  FieldReader in(o);
  MemberListResult v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.members = in.list<EnrolmentView>("members", kMaxMembersPerProgramme);
  return finish(in, std::move(v));
}

json::object MemberListRequest::encode() const { return {{"programme", programme}}; }

Result<MemberListRequest> MemberListRequest::decode(const json::object& o) {
  FieldReader in(o);
  MemberListRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
