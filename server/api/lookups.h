#pragma once
// Lookups that several handlers share.

#include <optional>

#include "server/api/handler.h"

namespace mentorlink::server::api {

// The caller's enrolment in programme, or nullopt if not enrolled. Errors: not_found when the
// programme does not exist; internal on storage faults.
Result<std::optional<EnrolmentRecord>> caller_enrolment(Call& call, ProgrammeId programme);

}  // namespace mentorlink::server::api
