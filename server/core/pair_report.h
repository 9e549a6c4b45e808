#pragma once
// A coordinator's view of one pair, computed from metadata alone (PRODUCT.md, "Content and
// metadata"), and the at-risk rules. Pure functions of records and the time, so every number
// can be asserted exactly.
//
// At-risk rules, checked for active pairs only (the reason strings are what the report shows):
// A meeting counts as held by meeting_facts, with the programme's min_held_minutes.
//
//   no_recent_meeting  no held meeting for more than 1.5 × the programme's cadence, counted from
//                      the last held meeting or, if none, from when the pair was formed
//   contract_unsigned  two or more meetings held and the contract not signed by both
//   agendas_late       at least one meeting held and the agenda shared ahead in under half of them

#include <optional>
#include <string>
#include <vector>

#include "server/core/contracts.h"
#include "server/store/records.h"

namespace mentorlink::server {

inline constexpr TimeMs kDayMs = 24LL * 60 * 60 * 1000;

struct MonthCount {
  std::string month;  // "2027-01", UTC
  int held = 0;
};

struct RiskReason {
  std::string rule;  // no_recent_meeting, contract_unsigned, agendas_late
  std::string why;   // a sentence with the numbers
};

struct PairReport {
  PairId pair = 0;
  MemberId mentor = 0;
  MemberId mentee = 0;
  TimeMs formed_at = 0;
  bool active = true;
  std::optional<TimeMs> ended_at;
  bool coordinator_is_member = false;  // the mentor or mentee coordinates the programme
  int held_total = 0;  // since the report's start
  int held_last_30_days = 0;
  int held_last_90_days = 0;
  std::vector<MonthCount> held_per_month;
  std::optional<TimeMs> last_meeting_at;  // start of the newest held meeting
  std::optional<std::int64_t> days_since_last_meeting;
  std::optional<double> mean_interval_days;
  std::optional<double> mean_duration_minutes;
  ContractState contract = ContractState::none;
  std::optional<TimeMs> contract_signed_at;
  std::optional<double> agenda_ahead_rate;  // of held meetings
  std::optional<double> feedback_rate;      // feedback given ÷ (2 × held meetings)
  std::string messages_last_30_days;        // a bucket: 0, 1-9, 10-49, 50-99, 100+
  std::vector<RiskReason> risks;
};

struct PairReportInput {
  const PairRecord& pair;
  const std::vector<MeetingRecord>& meetings;
  const ContractStatus& contract;
  std::int64_t messages_last_30_days = 0;
  TimeMs now = 0;
  std::optional<TimeMs> since;  // counts start here (the pair's formation if later)
  int cadence_days = kDefaultCadenceDays;
  int min_held_minutes = kDefaultMinHeldMinutes;
  bool coordinator_is_member = false;  // copied to the report: this pair's content is open to a coordinator
};

PairReport build_pair_report(const PairReportInput& in);

// "0", "1-9", "10-49", "50-99", "100+"
std::string message_bucket(std::int64_t count);

// "2027-01" for a time, UTC.
std::string month_of(TimeMs t);

}  // namespace mentorlink::server
