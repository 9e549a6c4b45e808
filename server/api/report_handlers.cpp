// report.programme, report.watch, access_log.list, dashboard.link (PROTOCOL.md, "Coordinator
// reports"). Coordinators get metadata only, built from an allow-list (report_views.h), and every
// pair whose metadata a response carries gets an access-log entry before the response leaves.
#include <array>

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
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
namespace json = boost::json;
using wire::ErrorCode;

namespace {

inline constexpr std::int64_t kMaxAccessEntriesPerRead = 500;

Status must_coordinate(Call& call, ProgrammeId programme) {
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  return policy::may_read_reports(actor.value());
}

Result<json::object> report(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  const auto since = in.optional_integer("since", 0, wire::kMaxId);
  if (!in.ok()) return in.status();
  if (auto s = must_coordinate(call, programme); !s.is_ok()) return s;
  return programme_report(call.server, call.member(), programme, since, "report");
}

Result<json::object> watch(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  if (auto s = must_coordinate(call, programme); !s.is_ok()) return s;
  call.session.watch_requests.push_back(programme);
  return json::object{{"programme", programme}, {"watching", true}};
}

// A one-time sign-in link for the web dashboard (server/dashboard/); the client builds the URL.
Result<json::object> dashboard_link(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  if (auto s = must_coordinate(call, programme); !s.is_ok()) return s;
  const std::string token = wire::base64url_encode(wire::random_nonce());
  const TimeMs now = call.server.clock.now_ms();
  const TimeMs expires_at = now + call.server.limits.dashboard_link_ttl.count();
  if (auto s = call.server.store.insert_dashboard_link(wire::context_hash(dashboard::kLinkContext, token), call.member(),
                                                       programme, now, expires_at);
      !s.is_ok()) {
    return s;
  }
  return json::object{{"token", token},
                      {"programme", programme},
                      {"expires_at", expires_at},
                      {"valid_seconds", call.server.limits.dashboard_link_ttl.count() / 1000}};
}

Result<json::object> access_log(Call& call) {
  wire::FieldReader in(call.request.body);
  const PairId pair_id = in.integer("pair", 1, wire::kMaxId);
  const auto from = in.optional_integer("from", 1, wire::kMaxId).value_or(1);
  if (!in.ok()) return in.status();
  auto pair = pair_for_content(call, pair_id, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  auto entries = call.server.store.access_log(pair_id, from, static_cast<std::size_t>(kMaxAccessEntriesPerRead) + 1);
  if (!entries.is_ok()) return entries.status();
  auto enrolments = call.server.store.enrolments_in(pair.value().programme);
  if (!enrolments.is_ok()) return enrolments.status();
  const auto names = names_of(enrolments.value());
  auto& list = entries.value();
  const bool more = list.size() > static_cast<std::size_t>(kMaxAccessEntriesPerRead);
  if (more) list.pop_back();
  json::array out;
  for (const auto& e : list) out.push_back(access_entry_view(e, names));
  return json::object{{"pair", pair_id}, {"entries", std::move(out)}, {"more", more}};
}

constexpr std::array kRoutes{
    Route{"report.programme", Access::member, &report},
    Route{"report.watch", Access::member, &watch},
    Route{"access_log.list", Access::member, &access_log},
    Route{"dashboard.link", Access::member, &dashboard_link},
};

}  // namespace

std::span<const Route> report_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
