#include "server/api/report_builder.h"

#include <set>

#include "server/api/report_views.h"
#include "server/api/views.h"
#include "server/core/access_chain.h"
#include "server/core/contracts.h"
#include "server/core/meeting_facts.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;
using wire::Result;

Result<msg::ReportProgrammeResult> programme_report(ServerContext& server, MemberId coordinator, ProgrammeId programme_id,
                                      std::optional<TimeMs> since, std::string_view what) {
  const TimeMs now = server.clock.now_ms();
  // One store call: every row and total below comes from the same read of the programme.
  auto snapshot = server.store.programme_snapshot(programme_id, now - 30 * kDayMs);
  if (!snapshot.is_ok()) return snapshot.status();
  const ProgrammeRecord& programme = snapshot.value().programme;
  const auto& enrolments = snapshot.value().enrolments;
  const auto names = names_of(enrolments);
  std::set<MemberId> coordinators_enrolled;
  for (const auto& e : enrolments) {
    if (e.role == ProgrammeRole::coordinator) coordinators_enrolled.insert(e.member);
  }
  const int min_held = programme.min_held_minutes;
  const TimeMs weeks_start = now - kReportWeeks * 7 * kDayMs;

  msg::ReportProgrammeResult out;
  std::vector<AccessRecord> reads;
  const std::string fields = report_row_field_list();
  std::vector<std::int64_t> per_week(kReportWeeks, 0);
  std::set<MemberId> matched;
  int active_pairs = 0;
  for (const auto& [pair, meetings, contract_record, messages] : snapshot.value().pairs) {
    const bool coordinator_is_member =
        coordinators_enrolled.count(pair.mentor) != 0 || coordinators_enrolled.count(pair.mentee) != 0;
    const ContractStatus contract = contract_status_of(contract_record);
    const auto row = build_pair_report(
        {pair, meetings, contract, messages, now, since, programme.cadence_days, min_held, coordinator_is_member});
    out.pairs.push_back(report_row_view(row, names));
    reads.push_back(AccessRecord{pair.id, 0, coordinator, now, std::string(what), fields, {}, {}});
    for (const auto& m : meetings) {
      if (!m.started_at || *m.started_at < weeks_start) continue;
      if (!meeting_facts(m, pair.mentor, pair.mentee, now, min_held).held) continue;
      const auto week = static_cast<std::size_t>((*m.started_at - weeks_start) / (7 * kDayMs));
      if (week < per_week.size()) ++per_week[week];
    }
    if (pair.active()) {
      ++active_pairs;
      matched.insert(pair.mentor);
      matched.insert(pair.mentee);
    }
  }
  // The pairs' access logs are written before any of their metadata leaves.
  if (auto s = append_access(server.store, reads); !s.is_ok()) return s;

  int participants = 0;
  int coordinators = 0;
  int unmatched = 0;
  for (const auto& e : enrolments) {
    if (e.role == ProgrammeRole::coordinator) {
      ++coordinators;
    } else {
      ++participants;
      unmatched += matched.count(e.member) == 0 ? 1 : 0;
    }
  }
  auto& totals = out.totals;
  for (int i = 0; i < kReportWeeks; ++i) {
    totals.held_per_week.push_back({weeks_start + i * 7 * kDayMs, per_week[static_cast<std::size_t>(i)]});
  }
  const auto last_four = per_week[kReportWeeks - 1] + per_week[kReportWeeks - 2] + per_week[kReportWeeks - 3] +
                         per_week[kReportWeeks - 4];
  totals.participants = participants;
  totals.coordinators = coordinators;
  totals.matched = participants - unmatched;
  totals.unmatched = unmatched;
  totals.active_pairs = active_pairs;
  totals.ended_pairs = static_cast<std::int64_t>(snapshot.value().pairs.size()) - active_pairs;
  totals.meetings_per_week = static_cast<double>(last_four) / 4.0;
  out.programme = {programme_id, programme.name, programme.cadence_days, min_held};
  out.generated_at = now;
  out.since = since;
  return out;
}

}  // namespace mentorlink::server::api
