#pragma once
// What a coordinator may see of a pair (PRODUCT.md, "Content and metadata"), as JSON. Every
// field a report row can carry is in kReportRowFields; report_row_view builds exactly these and
// nothing else, and the same list is what the pair's access log records.

#include <array>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/core/pair_report.h"

namespace mentorlink::server::api {

inline constexpr std::array<std::string_view, 22> kReportRowFields{
    "pair",          "mentor",           "mentee",            "coordinator_is_member",
    "formed_at",     "status",           "ended_at",
    "meetings_held", "held_last_30_days", "held_last_90_days",
    "held_per_month", "last_meeting_at", "days_since_last_meeting",
    "mean_interval_days", "mean_duration_minutes", "contract_status",
    "contract_signed_at", "agenda_ahead_rate", "feedback_rate",
    "messages_last_30_days", "at_risk", "risk_reasons"};

// "pair,mentor,..." for the access log.
std::string report_row_field_list();

boost::json::object report_row_view(const PairReport& r, const std::unordered_map<MemberId, std::string>& names);

// One access-log entry (PROTOCOL.md §6 "entry"), the same shape for access_log.list and the
// dashboard: fields as an array of names, fields_text as hashed (§15).
boost::json::object access_entry_view(const AccessRecord& e, const std::unordered_map<MemberId, std::string>& names);

}  // namespace mentorlink::server::api
