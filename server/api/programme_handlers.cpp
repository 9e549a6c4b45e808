// programme.create, programme.update, programme.list, invite.create, member.list (PROTOCOL.md,
// "Programmes").
#include <array>

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/views.h"
#include "server/core/programmes.h"
#include "server/policy/access.h"
#include "server/services/invites.h"
#include "server/templates/default_contract.h"

namespace mentorlink::server::api {
namespace json = boost::json;

namespace {

// The optional settings fields of programme.create and programme.update.
ProgrammeSettings read_settings(wire::FieldReader& in) {
  ProgrammeSettings settings;
  if (auto days = in.optional_integer("cadence_days", 1, wire::kMaxCadenceDays)) settings.cadence_days = static_cast<int>(*days);
  if (auto minutes = in.optional_integer("min_held_minutes", 1, wire::kMaxMinHeldMinutes)) {
    settings.min_held_minutes = static_cast<int>(*minutes);
  }
  return settings;
}

bool any_set(const ProgrammeSettings& s) { return s.cadence_days || s.min_held_minutes; }

Result<json::object> create_programme(Call& call) {
  wire::FieldReader in(call.request.body);
  const std::string name = in.text("name", wire::kMaxProgrammeNameBytes);
  const std::string purpose = in.optional_text("purpose", wire::kMaxPurposeBytes).value_or("");
  const ProgrammeSettings settings = read_settings(in);
  if (!in.ok()) return in.status();

  auto actor = call.server.store.member_by_id(call.member());
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_create_programme(actor.value()); !s.is_ok()) return s;

  const TemplateDraft first_template{std::string(kDefaultContractName), std::string(default_contract_text())};
  Result<ProgrammeRecord> programme = Status::error(wire::ErrorCode::internal, "programme not created");
  auto& store = call.server.store;
  const auto created = store.all_or_nothing([&]() -> Status {
    programme = server::create_programme(store, name, purpose, call.member(), call.server.clock.now_ms(), first_template);
    if (programme.is_ok() && any_set(settings)) programme = store.update_programme(programme.value().id, settings);
    return programme.is_ok() ? Status::ok() : programme.status();
  });
  if (!created.is_ok()) return created;
  json::object out;
  out["programme"] = programme_view(programme.value(), ProgrammeRole::coordinator);
  return out;
}

Result<json::object> update_programme(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  const ProgrammeSettings settings = read_settings(in);
  if (!in.ok()) return in.status();
  if (!any_set(settings)) {
    return Status::error(wire::ErrorCode::missing_field, "name at least one setting: cadence_days or min_held_minutes",
                         "min_held_minutes");
  }
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_change_programme(actor.value()); !s.is_ok()) return s;
  auto updated = call.server.store.update_programme(programme, settings);
  if (!updated.is_ok()) return updated.status();
  return json::object{{"programme", programme_view(updated.value(), ProgrammeRole::coordinator)}};
}

Result<json::object> list_programmes(Call& call) {
  auto list = caller_programmes(call);
  if (!list.is_ok()) return list.status();
  json::object out;
  out["programmes"] = std::move(list.value());
  return out;
}

Result<json::object> create_invite(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  const std::string role = in.choice("role", {"participant", "coordinator"});
  const std::string name = in.text("name", wire::kMaxDisplayNameBytes);
  const auto days = in.optional_integer("valid_days", 1, wire::kMaxInviteDays).value_or(wire::kDefaultInviteDays);
  if (!in.ok()) return in.status();

  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_invite(actor.value()); !s.is_ok()) return s;

  auto issued = issue_invite(call.server.store, call.server.clock, programme,
                             *programme_role_from_string(role), name, call.member(), days);
  if (!issued.is_ok()) return issued.status();
  const auto& record = issued.value().record;
  json::object out;
  out["code"] = issued.value().code;
  out["programme"] = programme;
  out["role"] = role;
  out["name"] = name;
  out["expires_at"] = record.expires_at;
  return out;
}

Result<json::object> list_members(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  if (!in.ok()) return in.status();

  if (auto s = caller_may_view(call, programme); !s.is_ok()) return s;

  auto enrolments = call.server.store.enrolments_in(programme);
  if (!enrolments.is_ok()) return enrolments.status();
  json::array list;
  for (const auto& e : enrolments.value()) list.push_back(enrolment_view(e));
  json::object out;
  out["programme"] = programme;
  out["members"] = std::move(list);
  return out;
}

constexpr std::array kRoutes{
    Route{"programme.create", Access::member, &create_programme},
    Route{"programme.update", Access::member, &update_programme},
    Route{"programme.list", Access::member, &list_programmes},
    Route{"invite.create", Access::member, &create_invite},
    Route{"member.list", Access::member, &list_members},
};

}  // namespace

std::span<const Route> programme_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
