#include "server/core/pair_report.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "server/core/meeting_facts.h"

namespace mentorlink::server {
namespace {

struct Held {
  TimeMs started_at = 0;
  std::int64_t duration_ms = 0;
  bool agenda_ahead = false;
  std::size_t feedback = 0;
};

std::string format_days(double days) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", days);
  return buf;
}

// The next month's first day after t's month, UTC.
TimeMs next_month(TimeMs t) {
  const std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  tm.tm_mon += 1;
  return static_cast<TimeMs>(timegm(&tm)) * 1000;
}

}  // namespace

std::string message_bucket(std::int64_t count) {
  if (count <= 0) return "0";
  if (count < 10) return "1-9";
  if (count < 50) return "10-49";
  if (count < 100) return "50-99";
  return "100+";
}

std::string month_of(TimeMs t) {
  const std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m", &tm);
  return buf;
}

PairReport build_pair_report(const PairReportInput& in) {
  PairReport r;
  r.pair = in.pair.id;
  r.mentor = in.pair.mentor;
  r.mentee = in.pair.mentee;
  r.formed_at = in.pair.formed_at;
  r.active = in.pair.active();
  r.ended_at = in.pair.ended_at;
  r.coordinator_is_member = in.coordinator_is_member;
  r.contract = in.contract.state;
  r.contract_signed_at = in.contract.signed_at;
  r.messages_last_30_days = message_bucket(in.messages_last_30_days);

  const TimeMs start = std::max(in.pair.formed_at, in.since.value_or(in.pair.formed_at));
  std::vector<Held> all_held;  // every held meeting, for the risk rules
  for (const auto& m : in.meetings) {
    const auto facts = meeting_facts(m, in.pair.mentor, in.pair.mentee, in.now, in.min_held_minutes);
    if (!facts.held || !m.started_at) continue;
    all_held.push_back(Held{*m.started_at, facts.both_present_ms, facts.agenda_shared_ahead,
                            std::min<std::size_t>(m.feedback_from.size(), 2)});
  }
  std::sort(all_held.begin(), all_held.end(), [](const Held& a, const Held& b) { return a.started_at < b.started_at; });
  std::vector<Held> held;
  std::copy_if(all_held.begin(), all_held.end(), std::back_inserter(held), [&](const Held& h) { return h.started_at >= start; });

  r.held_total = static_cast<int>(held.size());
  std::int64_t duration = 0;
  int ahead = 0;
  std::size_t feedback = 0;
  for (const auto& h : held) {
    if (h.started_at > in.now - 30 * kDayMs) ++r.held_last_30_days;
    if (h.started_at > in.now - 90 * kDayMs) ++r.held_last_90_days;
    duration += h.duration_ms;
    ahead += h.agenda_ahead ? 1 : 0;
    feedback += h.feedback;
  }
  for (TimeMs month = start; month_of(month) <= month_of(in.now); month = next_month(month)) {
    MonthCount c{month_of(month), 0};
    for (const auto& h : held) c.held += month_of(h.started_at) == c.month ? 1 : 0;
    r.held_per_month.push_back(std::move(c));
  }
  if (!held.empty()) {
    const double n = static_cast<double>(held.size());
    r.last_meeting_at = held.back().started_at;
    r.days_since_last_meeting = (in.now - held.back().started_at) / kDayMs;
    r.mean_duration_minutes = static_cast<double>(duration) / n / 60'000.0;
    r.agenda_ahead_rate = ahead / n;
    r.feedback_rate = static_cast<double>(feedback) / (2.0 * n);
    if (held.size() >= 2) {
      r.mean_interval_days =
          static_cast<double>(held.back().started_at - held.front().started_at) / (n - 1.0) / static_cast<double>(kDayMs);
    }
  }

  if (!r.active) return r;
  const TimeMs last = all_held.empty() ? in.pair.formed_at : all_held.back().started_at;
  const double quiet_days = static_cast<double>(in.now - last) / static_cast<double>(kDayMs);
  if (quiet_days > 1.5 * in.cadence_days) {
    r.risks.push_back({"no_recent_meeting", (all_held.empty() ? "no meeting held in the " : "no meeting for ") +
                                                format_days(quiet_days) + " days since " +
                                                (all_held.empty() ? "the pair was formed" : "the last one") +
                                                " (cadence: every " + std::to_string(in.cadence_days) + " days)"});
  }
  if (all_held.size() >= 2 && in.contract.state != ContractState::signed_by_both) {
    r.risks.push_back({"contract_unsigned", "no signed contract after " + std::to_string(all_held.size()) + " meetings"});
  }
  const auto all_ahead = std::count_if(all_held.begin(), all_held.end(), [](const Held& h) { return h.agenda_ahead; });
  if (!all_held.empty() && 2 * all_ahead < static_cast<std::int64_t>(all_held.size())) {
    r.risks.push_back({"agendas_late", "agenda shared ahead in " + std::to_string(all_ahead) + " of " +
                                           std::to_string(all_held.size()) + " meetings"});
  }
  return r;
}

}  // namespace mentorlink::server
