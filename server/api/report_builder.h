#pragma once
// The programme report a coordinator sees (report.programme and the dashboard): rows built from
// the allow-list in report_views.h, programme totals, and one access-log entry per pair written
// before anything is returned. The caller has checked that member coordinates the programme.

#include <optional>

#include "protocol/wire/messages/reports.h"
#include "server/api/context.h"

namespace mentorlink::server::api {

// Weeks in the totals' held_per_week series.
inline constexpr int kReportWeeks = 12;

wire::Result<wire::messages::ReportProgrammeResult> programme_report(ServerContext& server, MemberId coordinator, ProgrammeId programme,
                                                                   std::optional<TimeMs> since, std::string_view what);

}  // namespace mentorlink::server::api
