// What the server records about a meeting from metadata alone (PRODUCT.md, "Decisions").
#include <catch2/catch.hpp>

#include "server/core/meeting_facts.h"

using namespace mentorlink::server;

namespace {

constexpr TimeMs kMin = 60'000;
constexpr MemberId kMentor = 1;
constexpr MemberId kMentee = 2;
constexpr int kHeld = kDefaultMinHeldMinutes;

MeetingRecord ended_meeting(std::vector<PresenceInterval> presence) {
  MeetingRecord m;
  m.status = MeetingStatus::ended;
  m.started_at = 0;
  m.ended_at = 120 * kMin;
  m.presence = std::move(presence);
  return m;
}

}  // namespace

TEST_CASE("duration is the time both were present; held needs both at once", "[meetings]") {
  const auto together = ended_meeting({{kMentor, 0, 60 * kMin}, {kMentee, 5 * kMin, 50 * kMin}});
  auto f = meeting_facts(together, kMentor, kMentee, 0, kHeld);
  CHECK(f.both_present_ms == 45 * kMin);
  CHECK(f.held);
  const auto apart = ended_meeting({{kMentor, 0, 10 * kMin}, {kMentee, 20 * kMin, 30 * kMin}});
  f = meeting_facts(apart, kMentor, kMentee, 0, kHeld);
  CHECK(f.both_present_ms == 0);
  CHECK_FALSE(f.held);
  // Rejoining: each stretch of overlap counts once.
  const auto rejoined = ended_meeting(
      {{kMentor, 0, 100 * kMin}, {kMentee, 10 * kMin, 20 * kMin}, {kMentee, 30 * kMin, 60 * kMin}});
  CHECK(meeting_facts(rejoined, kMentor, kMentee, 0, kHeld).both_present_ms == 40 * kMin);
  // Someone else's presence (never the case, but not counted) and open intervals close at the end.
  const auto open = ended_meeting({{kMentor, 0, std::nullopt}, {kMentee, 60 * kMin, std::nullopt}, {99, 0, std::nullopt}});
  CHECK(meeting_facts(open, kMentor, kMentee, 0, kHeld).both_present_ms == 60 * kMin);
}

TEST_CASE("held needs the programme's minimum both-present time, 10 minutes unless set", "[meetings]") {
  CHECK(kDefaultMinHeldMinutes == 10);
  const auto brief = ended_meeting({{kMentor, 0, 10 * kMin}, {kMentee, 0, 10 * kMin - 1}});
  CHECK(meeting_facts(brief, kMentor, kMentee, 0, 10).both_present_ms == 10 * kMin - 1);
  CHECK_FALSE(meeting_facts(brief, kMentor, kMentee, 0, 10).held);
  const auto enough = ended_meeting({{kMentor, 0, 10 * kMin}, {kMentee, 0, 10 * kMin}});
  CHECK(meeting_facts(enough, kMentor, kMentee, 0, 10).held);
  CHECK_FALSE(meeting_facts(enough, kMentor, kMentee, 0, 11).held);
  const auto one_ms = ended_meeting({{kMentor, 0, 1}, {kMentee, 0, 1}});
  CHECK_FALSE(meeting_facts(one_ms, kMentor, kMentee, 0, 1).held);
  CHECK(meeting_facts(brief, kMentor, kMentee, 0, 1).held);
}

TEST_CASE("a meeting under way counts up to now and is not yet held", "[meetings]") {
  MeetingRecord m;
  m.status = MeetingStatus::started;
  m.started_at = 0;
  m.presence = {{kMentor, 0, std::nullopt}, {kMentee, 0, std::nullopt}};
  const auto f = meeting_facts(m, kMentor, kMentee, 15 * kMin, kHeld);
  CHECK(f.both_present_ms == 15 * kMin);
  CHECK_FALSE(f.held);
}

TEST_CASE("agenda ahead: against the scheduled time, or the start if earlier or unscheduled", "[meetings]") {
  MeetingRecord m;
  m.status = MeetingStatus::scheduled;
  m.scheduled_at = 2 * 24 * 60 * kMin;
  m.agenda_first_version_at = 0;
  auto f = meeting_facts(m, kMentor, kMentee, 0, kHeld);
  CHECK(f.agenda_shared_ahead);
  CHECK(f.agenda_ahead_ms == 2 * 24 * 60 * kMin);
  m.started_at = 60 * kMin;  // started early, an hour after the agenda
  f = meeting_facts(m, kMentor, kMentee, 0, kHeld);
  CHECK(f.agenda_ahead_ms == 60 * kMin);
  m.agenda_first_version_at = 90 * kMin;  // written after the start: not ahead
  CHECK_FALSE(meeting_facts(m, kMentor, kMentee, 0, kHeld).agenda_shared_ahead);
  MeetingRecord unscheduled;
  unscheduled.started_at = 100;
  unscheduled.agenda_first_version_at = 100;  // at the same moment is not ahead
  CHECK_FALSE(meeting_facts(unscheduled, kMentor, kMentee, 0, kHeld).agenda_shared_ahead);
  unscheduled.agenda_first_version_at = std::nullopt;
  CHECK_FALSE(meeting_facts(unscheduled, kMentor, kMentee, 0, kHeld).agenda_ahead_ms);
}
