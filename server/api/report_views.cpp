#include "server/api/report_views.h"

#include <cmath>

namespace mentorlink::server::api {
namespace msg = wire::messages;

namespace {

// Rounded for display: rates to 2 decimals, days and minutes to 1.
std::optional<double> rounded(const std::optional<double>& v, double scale) {
  if (!v) return std::nullopt;
  return std::round(*v * scale) / scale;
}

}  // namespace

std::string report_row_field_list() {
  std::string out;
  for (const auto f : kReportRowFields) out += (out.empty() ? "" : ",") + std::string(f);
  return out;
}

msg::ReportRow report_row_view(const PairReport& r, const Names& names) {
  msg::ReportRow o;
  o.pair = r.pair;
  o.mentor = person_view(r.mentor, names);
  o.mentee = person_view(r.mentee, names);
  o.coordinator_is_member = r.coordinator_is_member;
  o.formed_at = r.formed_at;
  o.status = r.active ? "active" : "ended";
  o.ended_at = r.ended_at;
  o.meetings_held = r.held_total;
  o.held_last_30_days = r.held_last_30_days;
  o.held_last_90_days = r.held_last_90_days;
  for (const auto& m : r.held_per_month) o.held_per_month.push_back(msg::ReportRow::Month{m.month, m.held});
  o.last_meeting_at = r.last_meeting_at;
  o.days_since_last_meeting = r.days_since_last_meeting;
  o.mean_interval_days = rounded(r.mean_interval_days, 10);
  o.mean_duration_minutes = rounded(r.mean_duration_minutes, 10);
  o.contract_status = std::string(to_string(r.contract));
  o.contract_signed_at = r.contract_signed_at;
  o.agenda_ahead_rate = rounded(r.agenda_ahead_rate, 100);
  o.feedback_rate = rounded(r.feedback_rate, 100);
  o.messages_last_30_days = r.messages_last_30_days;
  o.at_risk = !r.risks.empty();
  for (const auto& risk : r.risks) o.risk_reasons.push_back(msg::ReportRow::Risk{risk.rule, risk.why});
  return o;
}

msg::AccessEntryView access_entry_view(const AccessRecord& e, const Names& names) {
  return msg::AccessEntryView{e.pair,   e.seq,    person_view(e.coordinator, names), e.at, e.what, e.fields,
                              e.previous, e.hash};
}

}  // namespace mentorlink::server::api
