#pragma once
// Views of records as they appear in results and events (PROTOCOL.md §6 "Views used in
// results"), as the typed messages the client decodes.

#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/wire/messages/views.h"
#include "server/store/records.h"

namespace mentorlink::server::api {

// Member id → display name for one programme.
using Names = std::unordered_map<MemberId, std::string>;

wire::messages::PersonView person_view(MemberId id, const Names& names);  // name "" when unknown
wire::messages::MemberView member_view(const MemberRecord& member);
wire::messages::EnrolmentView enrolment_view(const EnrolmentRecord& enrolment);
wire::messages::ProgrammeView programme_view(const ProgrammeRecord& programme, std::optional<ProgrammeRole> your_role);
// The fields of a pair view, as a coordinator's read of them is written to the access log.
inline constexpr std::string_view kPairViewFields = "id,programme,mentor,mentee,formed_at,status,ended_at,your_role";
// names maps member id → display name for the pair's programme.
wire::messages::PairView pair_view(const PairRecord& pair, const Names& names, MemberId viewer);

Names names_of(const std::vector<EnrolmentRecord>& enrolments);

}  // namespace mentorlink::server::api
