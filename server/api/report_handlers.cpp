// report.programme, report.watch, access_log.list, dashboard.link (PROTOCOL.md, "Coordinator
// reports"). Coordinators get metadata only, built from an allow-list (report_views.h), and every
// pair whose metadata a response carries gets an access-log entry before the response leaves.
#include <array>

#include "protocol/wire/base64url.h"
#include "protocol/wire/messages/reports.h"
#include "protocol/wire/signatures.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/pair_content.h"
#include "server/api/report_builder.h"
#include "server/api/report_views.h"
#include "server/api/views.h"
#include "server/dashboard/dashboard_http.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

inline constexpr std::int64_t kMaxAccessEntriesPerRead = 500;
static_assert(kMaxAccessEntriesPerRead <= static_cast<std::int64_t>(msg::kMaxAccessEntriesPerList));

Status must_coordinate(Call& call, ProgrammeId programme) {
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  return policy::may_read_reports(actor.value());
}

Result<msg::ReportProgrammeResult> report(Call& call, const msg::ReportProgrammeRequest& request) {
  if (auto s = must_coordinate(call, request.programme); !s.is_ok()) return s;
  return programme_report(call.server, call.member(), request.programme, request.since, "report");
}

Result<msg::ReportWatchResult> watch(Call& call, const msg::ReportWatchRequest& request) {
  if (auto s = must_coordinate(call, request.programme); !s.is_ok()) return s;
  call.session.watch_requests.push_back(request.programme);
  return msg::ReportWatchResult{request.programme, true};
}

// A one-time sign-in link for the web dashboard (server/dashboard/); the client builds the URL.
Result<msg::DashboardLinkResult> dashboard_link(Call& call, const msg::DashboardLinkRequest& request) {
  const ProgrammeId programme = request.programme;
  if (auto s = must_coordinate(call, programme); !s.is_ok()) return s;
  const wire::Nonce token = wire::random_nonce();
  const TimeMs now = call.server.clock.now_ms();
  const TimeMs expires_at = now + call.server.limits.dashboard_link_ttl.count();
  if (auto s = call.server.store.insert_dashboard_link(
          wire::context_hash(dashboard::kLinkContext, wire::base64url_encode(token)), call.member(), programme, now,
          expires_at);
      !s.is_ok()) {
    return s;
  }
  return msg::DashboardLinkResult{token, programme, expires_at, call.server.limits.dashboard_link_ttl.count() / 1000};
}

Result<msg::AccessLogListResult> access_log(Call& call, const msg::AccessLogListRequest& request) {
  const PairId pair_id = request.pair;
  auto pair = pair_for_content(call, pair_id, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  auto entries = call.server.store.access_log(pair_id, request.from.value_or(1),
                                              static_cast<std::size_t>(kMaxAccessEntriesPerRead) + 1);
  if (!entries.is_ok()) return entries.status();
  auto enrolments = call.server.store.enrolments_in(pair.value().programme);
  if (!enrolments.is_ok()) return enrolments.status();
  const auto names = names_of(enrolments.value());
  auto& list = entries.value();
  msg::AccessLogListResult out;
  out.pair = pair_id;
  out.more = list.size() > static_cast<std::size_t>(kMaxAccessEntriesPerRead);
  if (out.more) list.pop_back();
  for (const auto& e : list) out.entries.push_back(access_entry_view(e, names));
  return out;
}

constexpr std::array kRoutes{
    typed_route<msg::ReportProgrammeRequest, &report>(Access::member),
    typed_route<msg::ReportWatchRequest, &watch>(Access::member),
    typed_route<msg::AccessLogListRequest, &access_log>(Access::member),
    typed_route<msg::DashboardLinkRequest, &dashboard_link>(Access::member),
};

}  // namespace

std::span<const Route> report_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
