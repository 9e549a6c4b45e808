#include "server/api/lookups.h"

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

}  // namespace mentorlink::server::api
