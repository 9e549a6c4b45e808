#pragma once
// JSON views of records, as they appear in results and events (PROTOCOL.md lists each field).

#include <boost/json/object.hpp>
#include <unordered_map>
#include <vector>

#include "server/store/records.h"

namespace mentorlink::server::api {

boost::json::object member_view(const MemberRecord& member);
boost::json::object enrolment_view(const EnrolmentRecord& enrolment);
boost::json::object programme_view(const ProgrammeRecord& programme, std::optional<ProgrammeRole> your_role);
// The fields of a pair view, as a coordinator's read of them is written to the access log.
inline constexpr std::string_view kPairViewFields = "id,programme,mentor,mentee,formed_at,status,ended_at,your_role";
// names maps member id → display name for the pair's programme.
boost::json::object pair_view(const PairRecord& pair, const std::unordered_map<MemberId, std::string>& names,
                              MemberId viewer);

// An optional id or time as a JSON number, or null.
boost::json::value optional_int(const std::optional<std::int64_t>& v);

std::unordered_map<MemberId, std::string> names_of(const std::vector<EnrolmentRecord>& enrolments);

}  // namespace mentorlink::server::api
