// The coordinator report's numbers and at-risk rules, from records alone (server/core/pair_report.h).
#include <catch2/catch.hpp>

#include "server/core/pair_report.h"

using namespace mentorlink::server;

namespace {

constexpr TimeMs kMin = 60'000;
constexpr TimeMs kStart = 1'798'761'600'000;  // 2027-01-01T00:00Z
constexpr MemberId kMentor = 1;
constexpr MemberId kMentee = 2;

PairRecord pair_formed_at(TimeMs t) {
  PairRecord p;
  p.id = 7;
  p.mentor = kMentor;
  p.mentee = kMentee;
  p.formed_at = t;
  return p;
}

// A meeting held at `at` for `minutes`, with or without the agenda ahead and with n feedback.
MeetingRecord held(MeetingId id, TimeMs at, int minutes, bool agenda_ahead, std::size_t feedback) {
  MeetingRecord m;
  m.id = id;
  m.status = MeetingStatus::ended;
  m.scheduled_at = at;
  m.started_at = at;
  m.ended_at = at + minutes * kMin;
  m.presence = {{kMentor, at, *m.ended_at}, {kMentee, at, *m.ended_at}};
  if (agenda_ahead) m.agenda_first_version_at = at - kDayMs;
  for (std::size_t i = 0; i < feedback; ++i) m.feedback_from.push_back(static_cast<MemberId>(i + 1));
  return m;
}

ContractStatus contract(ContractState state, std::optional<TimeMs> at = std::nullopt) {
  ContractStatus c;
  c.state = state;
  c.signed_at = at;
  return c;
}

}  // namespace

TEST_CASE("a pair meeting every three weeks: exact counts, means, rates, no risk", "[report]") {
  const auto pair = pair_formed_at(kStart);
  std::vector<MeetingRecord> meetings;
  for (int i = 0; i < 5; ++i) meetings.push_back(held(i + 1, kStart + (1 + 21 * i) * kDayMs, 50 + 5 * i, true, i == 4 ? 1 : 2));
  MeetingRecord cancelled;
  cancelled.status = MeetingStatus::cancelled;
  cancelled.scheduled_at = kStart + 3 * kDayMs;
  meetings.push_back(cancelled);
  const TimeMs now = kStart + 95 * kDayMs;
  const auto signed_contract = contract(ContractState::signed_by_both, kStart + kDayMs);
  const auto r = build_pair_report({pair, meetings, signed_contract, 12, now, std::nullopt, 21});
  CHECK(r.held_total == 5);
  CHECK(r.held_last_30_days == 1);   // day 85 only (day 64 is 31 days back)
  CHECK(r.held_last_90_days == 4);   // days 22, 43, 64, 85 (day 1 is 94 days back)
  REQUIRE(r.held_per_month.size() == 4);
  CHECK(r.held_per_month[0].month == "2027-01");
  CHECK(r.held_per_month[0].held == 2);  // days 1 and 22
  CHECK(r.held_per_month[1].held == 1);  // February: day 43
  CHECK(r.held_per_month[2].held == 2);  // March: days 64 and 85
  CHECK(r.held_per_month[3].held == 0);  // April so far
  CHECK(r.last_meeting_at == kStart + 85 * kDayMs);
  CHECK(r.days_since_last_meeting == 10);
  CHECK(r.mean_interval_days == Approx(21.0));
  CHECK(r.mean_duration_minutes == Approx(60.0));
  CHECK(r.agenda_ahead_rate == Approx(1.0));
  CHECK(r.feedback_rate == Approx(0.9));
  CHECK(r.messages_last_30_days == "10-49");
  CHECK(r.contract == ContractState::signed_by_both);
  CHECK(r.risks.empty());

  // --since narrows the counts, not the risk rules.
  const auto since = build_pair_report({pair, meetings, signed_contract, 12, now, kStart + 40 * kDayMs, 21});
  CHECK(since.held_total == 3);
  CHECK(since.held_per_month.front().month == "2027-02");
}

TEST_CASE("at risk: quiet for more than 1.5 × cadence, from formation when never met", "[report]") {
  const auto pair = pair_formed_at(kStart);
  const std::vector<MeetingRecord> none;
  auto r = build_pair_report({pair, none, contract(ContractState::none), 0, kStart + 31 * kDayMs, std::nullopt, 21});
  CHECK(r.risks.empty());  // 31 days ≤ 31.5
  r = build_pair_report({pair, none, contract(ContractState::none), 0, kStart + 32 * kDayMs, std::nullopt, 21});
  REQUIRE(r.risks.size() == 1);
  CHECK(r.risks[0].rule == "no_recent_meeting");
  CHECK(r.risks[0].why == "no meeting held in the 32 days since the pair was formed (cadence: every 21 days)");
  CHECK(r.messages_last_30_days == "0");
  CHECK_FALSE(r.last_meeting_at);
  CHECK_FALSE(r.agenda_ahead_rate);

  const std::vector<MeetingRecord> one{held(1, kStart + kDayMs, 30, true, 2)};
  r = build_pair_report({pair, one, contract(ContractState::signed_by_both), 0, kStart + 23 * kDayMs, std::nullopt, 14});
  REQUIRE(r.risks.size() == 1);
  CHECK(r.risks[0].why == "no meeting for 22 days since the last one (cadence: every 14 days)");
}

TEST_CASE("at risk: unsigned contract after two meetings, agendas ahead in under half", "[report]") {
  const auto pair = pair_formed_at(kStart);
  const std::vector<MeetingRecord> two{held(1, kStart + kDayMs, 30, true, 0), held(2, kStart + 8 * kDayMs, 30, false, 0)};
  auto r = build_pair_report({pair, two, contract(ContractState::signed_by_one), 0, kStart + 10 * kDayMs, std::nullopt, 21});
  REQUIRE(r.risks.size() == 1);  // one of two ahead is half: not under half
  CHECK(r.risks[0].rule == "contract_unsigned");
  CHECK(r.risks[0].why == "no signed contract after 2 meetings");
  CHECK(r.feedback_rate == Approx(0.0));

  const std::vector<MeetingRecord> late{held(1, kStart + kDayMs, 30, false, 0), held(2, kStart + 8 * kDayMs, 30, false, 0),
                                        held(3, kStart + 15 * kDayMs, 30, true, 0)};
  r = build_pair_report({pair, late, contract(ContractState::signed_by_both), 0, kStart + 16 * kDayMs, std::nullopt, 21});
  REQUIRE(r.risks.size() == 1);
  CHECK(r.risks[0].rule == "agendas_late");
  CHECK(r.risks[0].why == "agenda shared ahead in 1 of 3 meetings");
  CHECK(r.agenda_ahead_rate == Approx(1.0 / 3.0));
}

TEST_CASE("ended pairs and meetings not held are never flagged or counted", "[report]") {
  auto pair = pair_formed_at(kStart);
  pair.ended_at = kStart + 5 * kDayMs;
  MeetingRecord alone = held(1, kStart + kDayMs, 30, false, 0);
  alone.presence = {{kMentor, kStart + kDayMs, kStart + kDayMs + 30 * kMin}};
  const std::vector<MeetingRecord> meetings{alone};
  const auto r = build_pair_report({pair, meetings, contract(ContractState::none), 0, kStart + 200 * kDayMs, std::nullopt, 21});
  CHECK_FALSE(r.active);
  CHECK(r.held_total == 0);
  CHECK(r.risks.empty());
}

TEST_CASE("meetings shorter than the programme's minimum are not held, for counts and at-risk rules", "[report]") {
  const auto pair = pair_formed_at(kStart);
  // Two 8-minute meetings, then a 12-minute one; no contract, agendas never ahead.
  const std::vector<MeetingRecord> meetings{held(1, kStart + kDayMs, 8, false, 0), held(2, kStart + 8 * kDayMs, 8, false, 0),
                                            held(3, kStart + 30 * kDayMs, 12, false, 0)};
  const TimeMs now = kStart + 40 * kDayMs;
  const auto unsigned_contract = contract(ContractState::none);
  PairReportInput in{pair, meetings, unsigned_contract, 0, now, std::nullopt, 21};
  REQUIRE(in.min_held_minutes == 10);
  auto r = build_pair_report(in);
  CHECK(r.held_total == 1);
  CHECK(r.last_meeting_at == kStart + 30 * kDayMs);
  CHECK(r.mean_duration_minutes == Approx(12.0));
  std::vector<std::string> rules;
  for (const auto& risk : r.risks) rules.push_back(risk.rule);
  CHECK(rules == std::vector<std::string>{"agendas_late"});  // one meeting held: no contract rule yet

  in.min_held_minutes = 5;  // all three count
  r = build_pair_report(in);
  CHECK(r.held_total == 3);
  rules.clear();
  for (const auto& risk : r.risks) rules.push_back(risk.rule);
  CHECK(rules == std::vector<std::string>{"contract_unsigned", "agendas_late"});

  in.min_held_minutes = 15;  // none counts: quiet since formation, 40 days > 1.5 × 21
  r = build_pair_report(in);
  CHECK(r.held_total == 0);
  REQUIRE(r.risks.size() == 1);
  CHECK(r.risks[0].why == "no meeting held in the 40 days since the pair was formed (cadence: every 21 days)");
}

TEST_CASE("message counts are bucketed", "[report]") {
  CHECK(message_bucket(0) == "0");
  CHECK(message_bucket(1) == "1-9");
  CHECK(message_bucket(9) == "1-9");
  CHECK(message_bucket(10) == "10-49");
  CHECK(message_bucket(99) == "50-99");
  CHECK(message_bucket(100) == "100+");
  CHECK(month_of(kStart - 1) == "2026-12");
}
