#pragma once
// What a coordinator may see of a pair (PRODUCT.md, "Content and metadata"), as the typed
// messages of protocol/wire/messages/reports.h. Every field a report row can carry is in
// kReportRowFields; ReportRow::encode writes exactly these and nothing else (a unit test holds
// the two together), and the same list is what the pair's access log records.

#include <array>
#include <string>
#include <string_view>

#include "protocol/wire/messages/reports.h"
#include "server/api/views.h"
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

// Rates rounded to 0.01, means to 0.1 (PROTOCOL.md §6 "row").
wire::messages::ReportRow report_row_view(const PairReport& r, const Names& names);

// One access-log entry (PROTOCOL.md §6 "entry"), the same shape for access_log.list and the
// dashboard: fields as an array of names, fields_text as hashed (§15).
wire::messages::AccessEntryView access_entry_view(const AccessRecord& e, const Names& names);

}  // namespace mentorlink::server::api
