#pragma once
// Lookups that several handlers share.

#include <optional>
#include <vector>

#include "protocol/wire/messages/views.h"

#include "server/api/handler.h"

namespace mentorlink::server::api {

// The caller's enrolment in programme, or nullopt if not enrolled. Errors: not_found when the
// programme does not exist; internal on storage faults.
Result<std::optional<EnrolmentRecord>> caller_enrolment(Call& call, ProgrammeId programme);

// ok if the caller is enrolled in programme (any role); forbidden otherwise, not_found if there
// is no such programme.
Status caller_may_view(Call& call, ProgrammeId programme);

// The caller's programmes, each with the caller's role in it (programme views).
Result<std::vector<wire::messages::ProgrammeView>> caller_programmes(Call& call);

}  // namespace mentorlink::server::api
