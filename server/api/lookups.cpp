#include "server/api/lookups.h"

#include "server/api/views.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
using wire::ErrorCode;

Result<std::optional<EnrolmentRecord>> caller_enrolment(Call& call, ProgrammeId programme) {
  auto p = call.server.store.programme_by_id(programme);
  if (!p.is_ok()) return p.status();
  auto e = call.server.store.enrolment(programme, call.member());
  if (e.is_ok()) return std::optional<EnrolmentRecord>(std::move(e.value()));
  if (e.status().code() == ErrorCode::not_found) return std::optional<EnrolmentRecord>();
  return e.status();
}

Status caller_may_view(Call& call, ProgrammeId programme) {
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  return policy::may_view_programme(actor.value());
}

Result<std::vector<wire::messages::ProgrammeView>> caller_programmes(Call& call) {
  auto programmes = call.server.store.programmes_of_member(call.member());
  if (!programmes.is_ok()) return programmes.status();
  std::vector<wire::messages::ProgrammeView> list;
  for (const auto& p : programmes.value()) {
    auto e = call.server.store.enrolment(p.id, call.member());
    list.push_back(programme_view(p, e.is_ok() ? std::optional(e.value().role) : std::nullopt));
  }
  return list;
}

}  // namespace mentorlink::server::api
