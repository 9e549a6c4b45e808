// programme.create, programme.update, programme.list, invite.create, member.list (PROTOCOL.md,
// "Programmes").
#include <array>

#include "protocol/wire/limits.h"
#include "protocol/wire/messages/programmes.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/views.h"
#include "server/core/programmes.h"
#include "server/policy/access.h"
#include "server/services/invites.h"
#include "server/templates/default_contract.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;

namespace {

// The optional settings fields of programme.create and programme.update.
ProgrammeSettings settings_of(const std::optional<std::int64_t>& cadence_days,
                              const std::optional<std::int64_t>& min_held_minutes) {
  ProgrammeSettings settings;
  if (cadence_days) settings.cadence_days = static_cast<int>(*cadence_days);
  if (min_held_minutes) settings.min_held_minutes = static_cast<int>(*min_held_minutes);
  return settings;
}

bool any_set(const ProgrammeSettings& s) { return s.cadence_days || s.min_held_minutes; }

Result<msg::ProgrammeResult> create_programme(Call& call, const msg::ProgrammeCreateRequest& request) {
  const std::string purpose = request.purpose.value_or("");
  const ProgrammeSettings settings = settings_of(request.cadence_days, request.min_held_minutes);

  auto actor = call.server.store.member_by_id(call.member());
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_create_programme(actor.value()); !s.is_ok()) return s;

  const TemplateDraft first_template{std::string(kDefaultContractName), std::string(default_contract_text())};
  Result<ProgrammeRecord> programme = Status::error(wire::ErrorCode::internal, "programme not created");
  auto& store = call.server.store;
  const auto created = store.all_or_nothing([&]() -> Status {
    programme = server::create_programme(store, request.name, purpose, call.member(), call.server.clock.now_ms(),
                                         first_template);
    if (programme.is_ok() && any_set(settings)) programme = store.update_programme(programme.value().id, settings);
    return programme.is_ok() ? Status::ok() : programme.status();
  });
  if (!created.is_ok()) return created;
  return msg::ProgrammeResult{programme_view(programme.value(), ProgrammeRole::coordinator)};
}

Result<msg::ProgrammeResult> update_programme(Call& call, const msg::ProgrammeUpdateRequest& request) {
  const ProgrammeId programme = request.programme;
  const ProgrammeSettings settings = settings_of(request.cadence_days, request.min_held_minutes);
  if (!any_set(settings)) {
    return Status::error(wire::ErrorCode::missing_field, "name at least one setting: cadence_days or min_held_minutes",
                         "min_held_minutes");
  }
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_change_programme(actor.value()); !s.is_ok()) return s;
  auto updated = call.server.store.update_programme(programme, settings);
  if (!updated.is_ok()) return updated.status();
  return msg::ProgrammeResult{programme_view(updated.value(), ProgrammeRole::coordinator)};
}

Result<msg::ProgrammeListResult> list_programmes(Call& call, const msg::ProgrammeListRequest&) {
  auto list = caller_programmes(call);
  if (!list.is_ok()) return list.status();
  return msg::ProgrammeListResult{std::move(list.value())};
}

Result<msg::InviteCreateResult> create_invite(Call& call, const msg::InviteCreateRequest& request) {
  const ProgrammeId programme = request.programme;
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_invite(actor.value()); !s.is_ok()) return s;

  auto issued = issue_invite(call.server.store, call.server.clock, programme, *programme_role_from_string(request.role),
                             request.name, call.member(), request.valid_days.value_or(wire::kDefaultInviteDays));
  if (!issued.is_ok()) return issued.status();
  return msg::InviteCreateResult{issued.value().code, programme, request.role, request.name,
                                 issued.value().record.expires_at};
}

Result<msg::MemberListResult> list_members(Call& call, const msg::MemberListRequest& request) {
  const ProgrammeId programme = request.programme;
  if (auto s = caller_may_view(call, programme); !s.is_ok()) return s;

  auto enrolments = call.server.store.enrolments_in(programme);
  if (!enrolments.is_ok()) return enrolments.status();
  msg::MemberListResult out;
  out.programme = programme;
  for (const auto& e : enrolments.value()) out.members.push_back(enrolment_view(e));
  return out;
}

constexpr std::array kRoutes{
    typed_route<msg::ProgrammeCreateRequest, &create_programme>(Access::member),
    typed_route<msg::ProgrammeUpdateRequest, &update_programme>(Access::member),
    typed_route<msg::ProgrammeListRequest, &list_programmes>(Access::member),
    typed_route<msg::InviteCreateRequest, &create_invite>(Access::member),
    typed_route<msg::MemberListRequest, &list_members>(Access::member),
};

}  // namespace

std::span<const Route> programme_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
