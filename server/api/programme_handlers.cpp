// programme.create, programme.list, invite.create, member.list (PROTOCOL.md, "Programmes").
#include <array>

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/views.h"
#include "server/policy/access.h"
#include "server/services/invites.h"
#include "server/templates/default_contract.h"

namespace mentorlink::server::api {
namespace json = boost::json;

namespace {

Result<json::object> create_programme(Call& call) {
  wire::FieldReader in(call.request.body);
  const std::string name = in.text("name", wire::kMaxProgrammeNameBytes);
  const std::string purpose = in.optional_text("purpose", wire::kMaxPurposeBytes).value_or("");
  if (!in.ok()) return in.status();

  auto actor = call.server.store.member_by_id(call.member());
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_create_programme(actor.value()); !s.is_ok()) return s;

  const TemplateDraft first_template{std::string(kDefaultContractName), std::string(default_contract_text())};
  auto programme =
      call.server.store.create_programme(name, purpose, call.member(), call.server.clock.now_ms(), first_template);
  if (!programme.is_ok()) return programme.status();
  json::object out;
  out["programme"] = programme_view(programme.value(), ProgrammeRole::coordinator);
  return out;
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
    Route{"programme.list", Access::member, &list_programmes},
    Route{"invite.create", Access::member, &create_invite},
    Route{"member.list", Access::member, &list_members},
};

}  // namespace

std::span<const Route> programme_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
