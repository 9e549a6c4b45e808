#include "server/api/report_views.h"

#include <boost/json/array.hpp>
#include <cmath>

#include "protocol/wire/access_log.h"
#include "protocol/wire/base64url.h"
#include "server/api/views.h"

namespace mentorlink::server::api {
namespace json = boost::json;

namespace {

// Rounded for display: rates to 2 decimals, days and minutes to 1.
json::value rounded(const std::optional<double>& v, double scale) {
  return v ? json::value(std::round(*v * scale) / scale) : json::value(nullptr);
}

json::object person(MemberId id, const std::unordered_map<MemberId, std::string>& names) {
  auto it = names.find(id);
  return json::object{{"id", id}, {"name", it != names.end() ? it->second : std::string()}};
}

}  // namespace

std::string report_row_field_list() {
  std::string out;
  for (const auto f : kReportRowFields) out += (out.empty() ? "" : ",") + std::string(f);
  return out;
}

json::object report_row_view(const PairReport& r, const std::unordered_map<MemberId, std::string>& names) {
  json::object o;
  o["pair"] = r.pair;
  o["mentor"] = person(r.mentor, names);
  o["mentee"] = person(r.mentee, names);
  o["coordinator_is_member"] = r.coordinator_is_member;
  o["formed_at"] = r.formed_at;
  o["status"] = r.active ? "active" : "ended";
  o["ended_at"] = optional_int(r.ended_at);
  o["meetings_held"] = r.held_total;
  o["held_last_30_days"] = r.held_last_30_days;
  o["held_last_90_days"] = r.held_last_90_days;
  json::array months;
  for (const auto& m : r.held_per_month) months.push_back(json::object{{"month", m.month}, {"held", m.held}});
  o["held_per_month"] = std::move(months);
  o["last_meeting_at"] = optional_int(r.last_meeting_at);
  o["days_since_last_meeting"] = optional_int(r.days_since_last_meeting);
  o["mean_interval_days"] = rounded(r.mean_interval_days, 10);
  o["mean_duration_minutes"] = rounded(r.mean_duration_minutes, 10);
  o["contract_status"] = to_string(r.contract);
  o["contract_signed_at"] = optional_int(r.contract_signed_at);
  o["agenda_ahead_rate"] = rounded(r.agenda_ahead_rate, 100);
  o["feedback_rate"] = rounded(r.feedback_rate, 100);
  o["messages_last_30_days"] = r.messages_last_30_days;
  o["at_risk"] = !r.risks.empty();
  json::array reasons;
  for (const auto& risk : r.risks) reasons.push_back(json::object{{"rule", risk.rule}, {"why", risk.why}});
  o["risk_reasons"] = std::move(reasons);
  return o;
}

json::object access_entry_view(const AccessRecord& e, const std::unordered_map<MemberId, std::string>& names) {
  json::array fields;
  for (auto& name : wire::access_field_names(e.fields)) fields.push_back(json::string(name));
  return json::object{{"pair", e.pair},
                      {"seq", e.seq},
                      {"coordinator", person(e.coordinator, names)},
                      {"at", e.at},
                      {"what", e.what},
                      {"fields", std::move(fields)},
                      {"fields_text", e.fields},
                      {"previous_hash", wire::base64url_encode(e.previous)},
                      {"hash", wire::base64url_encode(e.hash)}};
}

}  // namespace mentorlink::server::api
