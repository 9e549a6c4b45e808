#include "protocol/wire/messages/reports.h"

#include "protocol/wire/access_log.h"
#include "protocol/wire/base64url.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxMonthBytes = 7;  // "YYYY-MM"
constexpr std::size_t kMaxRuleBytes = 64;
constexpr std::size_t kMaxWhatBytes = 200;

json::value nullable_number(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::array split_fields(const std::string& text) {
  json::array out;
  for (auto& name : access_field_names(text)) out.push_back(json::string(name));
  return out;
}

// Whether o["fields"] is an array of strings that is fields_text split at commas.
bool fields_agree(const json::object& o, const std::string& fields_text) {
  const auto* fields = o.if_contains("fields");
  if (fields == nullptr || !fields->is_array()) return false;
  const auto expected = split_fields(fields_text);
  const auto& got = fields->get_array();
  if (got.size() != expected.size()) return false;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!got[i].is_string() || got[i].get_string() != expected[i].get_string()) return false;
  }
  return true;
}

}  // namespace

json::object ReportRow::Month::encode() const { return {{"month", month}, {"held", held}}; }

Result<ReportRow::Month> ReportRow::Month::decode(const json::object& o) {
  FieldReader in(o);
  Month v;
  v.month = in.text("month", kMaxMonthBytes);
  v.held = in.integer("held", 0, kMaxCount);
  return finish(in, std::move(v));
}

json::object ReportRow::Risk::encode() const { return {{"rule", rule}, {"why", why}}; }

Result<ReportRow::Risk> ReportRow::Risk::decode(const json::object& o) {
  FieldReader in(o);
  Risk v;
  v.rule = in.text("rule", kMaxRuleBytes);
  v.why = in.text("why", kMaxRiskTextBytes);
  return finish(in, std::move(v));
}

json::object ReportRow::encode() const {
  json::object o{{"pair", pair},           {"mentor", mentor.encode()}, {"mentee", mentee.encode()},
                 {"coordinator_is_member", coordinator_is_member}, {"formed_at", formed_at}, {"status", status}};
  o["ended_at"] = nullable(ended_at);
  o["meetings_held"] = meetings_held;
  o["held_last_30_days"] = held_last_30_days;
  o["held_last_90_days"] = held_last_90_days;
  o["held_per_month"] = encode_all(held_per_month);
  o["last_meeting_at"] = nullable(last_meeting_at);
  o["days_since_last_meeting"] = nullable(days_since_last_meeting);
  o["mean_interval_days"] = nullable_number(mean_interval_days);
  o["mean_duration_minutes"] = nullable_number(mean_duration_minutes);
  o["contract_status"] = contract_status;
  o["contract_signed_at"] = nullable(contract_signed_at);
  o["agenda_ahead_rate"] = nullable_number(agenda_ahead_rate);
  o["feedback_rate"] = nullable_number(feedback_rate);
  o["messages_last_30_days"] = messages_last_30_days;
  o["at_risk"] = at_risk;
  o["risk_reasons"] = encode_all(risk_reasons);
  return o;
}

Result<ReportRow> ReportRow::decode(const json::object& o) {
  FieldReader in(o);
  ReportRow v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.mentor = in.object<PersonView>("mentor");
  v.mentee = in.object<PersonView>("mentee");
  v.coordinator_is_member = in.boolean("coordinator_is_member");
  v.formed_at = in.integer("formed_at", 0, kMaxTime);
  v.status = in.choice("status", {"active", "ended"});
  v.ended_at = in.optional_integer("ended_at", 0, kMaxTime);
  v.meetings_held = in.integer("meetings_held", 0, kMaxCount);
  v.held_last_30_days = in.integer("held_last_30_days", 0, kMaxCount);
  v.held_last_90_days = in.integer("held_last_90_days", 0, kMaxCount);
  v.held_per_month = in.list<Month>("held_per_month", kMaxReportMonths);
  v.last_meeting_at = in.optional_integer("last_meeting_at", 0, kMaxTime);
  v.days_since_last_meeting = in.optional_integer("days_since_last_meeting", 0, kMaxCount);
  v.mean_interval_days = in.optional_number("mean_interval_days", 0, kMaxMean);
  v.mean_duration_minutes = in.optional_number("mean_duration_minutes", 0, kMaxMean);
  v.contract_status = in.choice("contract_status", {"none", "draft", "signed_by_one", "signed"});
  v.contract_signed_at = in.optional_integer("contract_signed_at", 0, kMaxTime);
  v.agenda_ahead_rate = in.optional_number("agenda_ahead_rate", 0, kMaxRate);
  v.feedback_rate = in.optional_number("feedback_rate", 0, kMaxRate);
  v.messages_last_30_days = in.choice("messages_last_30_days", {"0", "1-9", "10-49", "50-99", "100+"});
  v.at_risk = in.boolean("at_risk");
  v.risk_reasons = in.list<Risk>("risk_reasons", kMaxRiskReasons);
  return finish(in, std::move(v));
}

json::object ReportTotals::Week::encode() const { return {{"week_start", week_start}, {"held", held}}; }

Result<ReportTotals::Week> ReportTotals::Week::decode(const json::object& o) {
  FieldReader in(o);
  Week v;
  v.week_start = in.integer("week_start", 0, kMaxTime);
  v.held = in.integer("held", 0, kMaxCount);
  return finish(in, v);
}

json::object ReportTotals::encode() const {
  return {{"participants", participants},
          {"coordinators", coordinators},
          {"matched", matched},
          {"unmatched", unmatched},
          {"active_pairs", active_pairs},
          {"ended_pairs", ended_pairs},
          {"meetings_per_week", meetings_per_week},
          {"held_per_week", encode_all(held_per_week)}};
}

Result<ReportTotals> ReportTotals::decode(const json::object& o) {
  FieldReader in(o);
  ReportTotals v;
  v.participants = in.integer("participants", 0, kMaxCount);
  v.coordinators = in.integer("coordinators", 0, kMaxCount);
  v.matched = in.integer("matched", 0, kMaxCount);
  v.unmatched = in.integer("unmatched", 0, kMaxCount);
  v.active_pairs = in.integer("active_pairs", 0, kMaxCount);
  v.ended_pairs = in.integer("ended_pairs", 0, kMaxCount);
  v.meetings_per_week = in.number("meetings_per_week", 0, kMaxMean);
  v.held_per_week = in.list<Week>("held_per_week", kMaxReportWeeks);
  return finish(in, std::move(v));
}

json::object ReportProgrammeResult::Programme::encode() const {
  return {{"id", id}, {"name", name}, {"cadence_days", cadence_days}, {"min_held_minutes", min_held_minutes}};
}

Result<ReportProgrammeResult::Programme> ReportProgrammeResult::Programme::decode(const json::object& o) {
  FieldReader in(o);
  Programme v;
  v.id = in.integer("id", 1, kMaxId);
  v.name = in.text("name", kMaxProgrammeNameBytes);
  v.cadence_days = in.integer("cadence_days", 1, kMaxCadenceDays);
  v.min_held_minutes = in.integer("min_held_minutes", 1, kMaxMinHeldMinutes);
  return finish(in, std::move(v));
}

json::object ReportProgrammeResult::encode() const {
  json::object o{{"programme", programme.encode()}, {"generated_at", generated_at}};
  o["since"] = nullable(since);
  o["totals"] = totals.encode();
  o["pairs"] = encode_all(pairs);
  return o;
}

Result<ReportProgrammeResult> ReportProgrammeResult::decode(const json::object& o) {
  FieldReader in(o);
  ReportProgrammeResult v;
  v.programme = in.object<Programme>("programme");
  v.generated_at = in.integer("generated_at", 0, kMaxTime);
  v.since = in.optional_integer("since", 0, kMaxTime);
  v.totals = in.object<ReportTotals>("totals");
  v.pairs = in.list<ReportRow>("pairs", kMaxReportRows);
  return finish(in, std::move(v));
}

json::object ReportProgrammeRequest::encode() const {
  json::object o{{"programme", programme}};
  if (since) o["since"] = *since;
  return o;
}

Result<ReportProgrammeRequest> ReportProgrammeRequest::decode(const json::object& o) {
  FieldReader in(o);
  ReportProgrammeRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.since = in.optional_integer("since", 0, kMaxTime);
  return finish(in, v);
}

json::object ReportWatchResult::encode() const { return {{"programme", programme}, {"watching", watching}}; }

Result<ReportWatchResult> ReportWatchResult::decode(const json::object& o) {
  FieldReader in(o);
  ReportWatchResult v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.watching = in.boolean("watching");
  return finish(in, v);
}

json::object ReportWatchRequest::encode() const { return {{"programme", programme}}; }

Result<ReportWatchRequest> ReportWatchRequest::decode(const json::object& o) {
  FieldReader in(o);
  ReportWatchRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  return finish(in, v);
}

json::object AccessEntryView::encode() const {
  return {{"pair", pair},
          {"seq", seq},
          {"coordinator", coordinator.encode()},
          {"at", at},
          {"what", what},
          {"fields", split_fields(fields_text)},
          {"fields_text", fields_text},
          {"previous_hash", base64url_encode(previous_hash)},
          {"hash", base64url_encode(hash)}};
}

Result<AccessEntryView> AccessEntryView::decode(const json::object& o) {
  FieldReader in(o);
  AccessEntryView v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.seq = in.integer("seq", 1, kMaxId);
  v.coordinator = in.object<PersonView>("coordinator");
  v.at = in.integer("at", 0, kMaxTime);
  v.what = in.text("what", kMaxWhatBytes);
  v.fields_text = in.text_or_empty("fields_text", kMaxAccessTextBytes);
  v.previous_hash = in.fixed<kHashBytes>("previous_hash");
  v.hash = in.fixed<kHashBytes>("hash");
  if (in.ok() && !fields_agree(o, v.fields_text)) {
    return Status::error(ErrorCode::invalid_field, "the entry's fields differ from its fields_text", "fields");
  }
  return finish(in, std::move(v));
}

json::object AccessLogListResult::encode() const {
  return {{"pair", pair}, {"entries", encode_all(entries)}, {"more", more}};
}

Result<AccessLogListResult> AccessLogListResult::decode(const json::object& o) {
  FieldReader in(o);
  AccessLogListResult v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.entries = in.list<AccessEntryView>("entries", kMaxAccessEntriesPerList);
  v.more = in.boolean("more");
  return finish(in, std::move(v));
}

json::object AccessLogListRequest::encode() const {
  json::object o{{"pair", pair}};
  if (from) o["from"] = *from;
  return o;
}

Result<AccessLogListRequest> AccessLogListRequest::decode(const json::object& o) {
  FieldReader in(o);
  AccessLogListRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.from = in.optional_integer("from", 1, kMaxId);
  return finish(in, v);
}

json::object DashboardLinkResult::encode() const {
  return {{"token", base64url_encode(token)},
          {"programme", programme},
          {"expires_at", expires_at},
          {"valid_seconds", valid_seconds}};
}

Result<DashboardLinkResult> DashboardLinkResult::decode(const json::object& o) {
  FieldReader in(o);
  DashboardLinkResult v;
  v.token = in.fixed<kNonceBytes>("token");
  v.programme = in.integer("programme", 1, kMaxId);
  v.expires_at = in.integer("expires_at", 0, kMaxTime);
  v.valid_seconds = in.integer("valid_seconds", 1, kMaxCount);
  return finish(in, v);
}

json::object DashboardLinkRequest::encode() const { return {{"programme", programme}}; }

Result<DashboardLinkRequest> DashboardLinkRequest::decode(const json::object& o) {
  FieldReader in(o);
  DashboardLinkRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
