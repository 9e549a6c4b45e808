#pragma once
// Creating a programme: its creator coordinates it from the start, and its first contract
// template (if any) is published with it.

#include <optional>
#include <string>

#include "protocol/wire/status.h"
#include "server/store/store.h"

namespace mentorlink::server {

// One transaction: the programme, the creator's enrolment as a coordinator, first_template.
wire::Result<ProgrammeRecord> create_programme(Store& store, const std::string& name, const std::string& purpose,
                                               MemberId creator, TimeMs now,
                                               const std::optional<TemplateDraft>& first_template);

}  // namespace mentorlink::server
