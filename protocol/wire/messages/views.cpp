#include "protocol/wire/messages/views.h"

#include "protocol/wire/base64url.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object PersonView::encode() const { return {{"id", id}, {"name", name}}; }

Result<PersonView> PersonView::decode(const json::object& o) {
  FieldReader in(o);
  PersonView v;
  v.id = in.integer("id", 1, kMaxId);
  v.name = in.text_or_empty("name", kMaxDisplayNameBytes);
  return finish(in, std::move(v));
}

json::object MemberView::encode() const {
  return {{"id", id},
          {"name", name},
          {"identity_key", base64url_encode(identity_key)},
          {"may_create_programmes", may_create_programmes},
          {"created_at", created_at}};
}

Result<MemberView> MemberView::decode(const json::object& o) {
  FieldReader in(o);
  MemberView v;
  v.id = in.integer("id", 1, kMaxId);
  v.name = in.text("name", kMaxDisplayNameBytes);
  v.identity_key = in.fixed<kPublicKeyBytes>("identity_key");
  v.may_create_programmes = in.boolean("may_create_programmes");
  v.created_at = in.integer("created_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

json::object EnrolmentView::encode() const {
  return {{"id", id}, {"name", name}, {"role", role}, {"joined_at", joined_at}};
}

Result<EnrolmentView> EnrolmentView::decode(const json::object& o) {
  FieldReader in(o);
  EnrolmentView v;
  v.id = in.integer("id", 1, kMaxId);
  v.name = in.text("name", kMaxDisplayNameBytes);
  v.role = in.choice("role", {"coordinator", "participant"});
  v.joined_at = in.integer("joined_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

json::object ProgrammeView::encode() const {
  json::object o{{"id", id},
                 {"name", name},
                 {"purpose", purpose},
                 {"created_at", created_at},
                 {"cadence_days", cadence_days},
                 {"min_held_minutes", min_held_minutes}};
  o["your_role"] = your_role ? json::value(*your_role) : json::value(nullptr);
  return o;
}

Result<ProgrammeView> ProgrammeView::decode(const json::object& o) {
  FieldReader in(o);
  ProgrammeView v;
  v.id = in.integer("id", 1, kMaxId);
  v.name = in.text("name", kMaxProgrammeNameBytes);
  v.purpose = in.text_or_empty("purpose", kMaxPurposeBytes);
  v.created_at = in.integer("created_at", 0, kMaxTime);
  v.cadence_days = in.integer("cadence_days", 1, kMaxCadenceDays);
  v.min_held_minutes = in.integer("min_held_minutes", 1, kMaxMinHeldMinutes);
  v.your_role = in.optional_choice("your_role", {"coordinator", "participant"});
  return finish(in, std::move(v));
}

json::object PairView::encode() const {
  json::object o{{"id", id},
                 {"programme", programme},
                 {"mentor", mentor.encode()},
                 {"mentee", mentee.encode()},
                 {"formed_at", formed_at},
                 {"status", status}};
  o["ended_at"] = nullable(ended_at);
  o["your_role"] = your_role ? json::value(*your_role) : json::value(nullptr);
  return o;
}

Result<PairView> PairView::decode(const json::object& o) {
  FieldReader in(o);
  PairView v;
  v.id = in.integer("id", 1, kMaxId);
  v.programme = in.integer("programme", 1, kMaxId);
  v.mentor = in.object<PersonView>("mentor");
  v.mentee = in.object<PersonView>("mentee");
  v.formed_at = in.integer("formed_at", 0, kMaxTime);
  v.status = in.choice("status", {"active", "ended"});
  v.ended_at = in.optional_integer("ended_at", 0, kMaxTime);
  v.your_role = in.optional_choice("your_role", {"mentor", "mentee"});
  return finish(in, std::move(v));
}

std::optional<PersonView> PairView::partner() const {
  if (!your_role) return std::nullopt;
  return *your_role == "mentor" ? mentee : mentor;
}

}  // namespace mentorlink::wire::messages
