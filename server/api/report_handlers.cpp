// programme.cadence, report.programme, report.watch, access_log.list (PROTOCOL.md, "Coordinator
// reports"). Coordinators get metadata only, built from an allow-list (report_views.h), and every
// pair whose metadata a response carries gets an access-log entry before the response leaves.
#include <array>
#include <set>

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/pair_content.h"
#include "server/api/report_views.h"
#include "server/api/views.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

inline constexpr std::int64_t kMaxCadenceDays = 365;
inline constexpr std::int64_t kMaxAccessEntriesPerRead = 500;

Status must_coordinate(Call& call, ProgrammeId programme) {
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  return policy::may_read_reports(actor.value());
}

Result<json::object> set_cadence(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  const auto days = in.integer("days", 1, kMaxCadenceDays);
  if (!in.ok()) return in.status();
  if (auto s = must_coordinate(call, programme); !s.is_ok()) return s;
  auto p = call.server.store.set_cadence(programme, static_cast<int>(days));
  if (!p.is_ok()) return p.status();
  return json::object{{"programme", programme_view(p.value(), ProgrammeRole::coordinator)}};
}

Result<json::object> report(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme_id = in.integer("programme", 1, wire::kMaxId);
  const auto since = in.optional_integer("since", 0, wire::kMaxId);
  if (!in.ok()) return in.status();
  if (auto s = must_coordinate(call, programme_id); !s.is_ok()) return s;
  auto programme = call.server.store.programme_by_id(programme_id);
  if (!programme.is_ok()) return programme.status();
  auto enrolments = call.server.store.enrolments_in(programme_id);
  if (!enrolments.is_ok()) return enrolments.status();
  auto pairs = call.server.store.pairs_in(programme_id);
  if (!pairs.is_ok()) return pairs.status();
  const auto names = names_of(enrolments.value());
  const TimeMs now = call.server.clock.now_ms();

  json::array rows;
  std::vector<AccessRecord> reads;
  const std::string fields = report_row_field_list();
  std::int64_t held_last_28_days = 0;
  std::set<MemberId> matched;
  int active_pairs = 0;
  for (const auto& pair : pairs.value()) {
    auto meetings = call.server.store.meetings_of_pair(pair.id);
    if (!meetings.is_ok()) return meetings.status();
    auto contract = call.server.store.contract_status(pair.id);
    if (!contract.is_ok()) return contract.status();
    auto messages = call.server.store.message_count(pair.id, now - 30 * kDayMs);
    if (!messages.is_ok()) return messages.status();
    const auto row = build_pair_report({pair, meetings.value(), contract.value(), messages.value(), now, since,
                                        programme.value().cadence_days});
    rows.push_back(report_row_view(row, names));
    reads.push_back(AccessRecord{pair.id, 0, call.member(), now, "report", fields, {}, {}});
    const auto recent = build_pair_report({pair, meetings.value(), contract.value(), 0, now, now - 28 * kDayMs,
                                           programme.value().cadence_days});
    held_last_28_days += recent.held_total;
    if (pair.active()) {
      ++active_pairs;
      matched.insert(pair.mentor);
      matched.insert(pair.mentee);
    }
  }
  // The pairs' access logs are written before any of their metadata leaves.
  if (auto s = call.server.store.append_access(reads); !s.is_ok()) return s;

  int participants = 0;
  int coordinators = 0;
  int unmatched = 0;
  for (const auto& e : enrolments.value()) {
    if (e.role == ProgrammeRole::coordinator) {
      ++coordinators;
    } else {
      ++participants;
      unmatched += matched.count(e.member) == 0 ? 1 : 0;
    }
  }
  json::object totals{{"participants", participants},
                      {"coordinators", coordinators},
                      {"matched", participants - unmatched},
                      {"unmatched", unmatched},
                      {"active_pairs", active_pairs},
                      {"ended_pairs", static_cast<std::int64_t>(pairs.value().size()) - active_pairs},
                      {"meetings_per_week", static_cast<double>(held_last_28_days) / 4.0}};
  return json::object{{"programme", json::object{{"id", programme_id},
                                                 {"name", programme.value().name},
                                                 {"cadence_days", programme.value().cadence_days}}},
                      {"generated_at", now},
                      {"since", since ? json::value(*since) : json::value(nullptr)},
                      {"totals", std::move(totals)},
                      {"pairs", std::move(rows)}};
}

Result<json::object> watch(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  if (auto s = must_coordinate(call, programme); !s.is_ok()) return s;
  call.session.watch_requests.push_back(programme);
  return json::object{{"programme", programme}, {"watching", true}};
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
  for (const auto& e : list) {
    json::array fields;
    for (std::size_t start = 0; start <= e.fields.size();) {
      const auto comma = std::min(e.fields.find(',', start), e.fields.size());
      if (comma > start) fields.push_back(json::string(e.fields.substr(start, comma - start)));
      start = comma + 1;
    }
    auto name = names.find(e.coordinator);
    out.push_back(json::object{{"seq", e.seq},
                               {"coordinator", json::object{{"id", e.coordinator},
                                                            {"name", name != names.end() ? name->second : ""}}},
                               {"at", e.at},
                               {"what", e.what},
                               {"fields", std::move(fields)},
                               {"fields_text", e.fields},
                               {"previous_hash", wire::base64url_encode(e.previous)},
                               {"hash", wire::base64url_encode(e.hash)}});
  }
  return json::object{{"pair", pair_id}, {"entries", std::move(out)}, {"more", more}};
}

constexpr std::array kRoutes{
    Route{"programme.cadence", Access::member, &set_cadence},
    Route{"report.programme", Access::member, &report},
    Route{"report.watch", Access::member, &watch},
    Route{"access_log.list", Access::member, &access_log},
};

}  // namespace

std::span<const Route> report_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
