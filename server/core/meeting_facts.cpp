#include "server/core/meeting_facts.h"

#include <algorithm>

namespace mentorlink::server {

MeetingFacts meeting_facts(const MeetingRecord& meeting, MemberId mentor, MemberId mentee, TimeMs now,
                           int min_held_minutes) {
  MeetingFacts facts;
  const TimeMs end_of_open = meeting.ended_at.value_or(now);
  for (const auto& a : meeting.presence) {
    if (a.member != mentor) continue;
    for (const auto& b : meeting.presence) {
      if (b.member != mentee) continue;
      const TimeMs from = std::max(a.joined_at, b.joined_at);
      const TimeMs to = std::min(a.left_at.value_or(end_of_open), b.left_at.value_or(end_of_open));
      if (to > from) facts.both_present_ms += to - from;
    }
  }
  const std::int64_t min_held_ms = std::max<std::int64_t>(1, std::int64_t{min_held_minutes} * 60'000);
  facts.held = meeting.status == MeetingStatus::ended && facts.both_present_ms >= min_held_ms;

  if (meeting.scheduled_at && meeting.started_at) {
    facts.reference_at = std::min(*meeting.scheduled_at, *meeting.started_at);
  } else if (meeting.scheduled_at) {
    facts.reference_at = meeting.scheduled_at;
  } else {
    facts.reference_at = meeting.started_at;
  }
  if (facts.reference_at && meeting.agenda_first_version_at && *meeting.agenda_first_version_at < *facts.reference_at) {
    facts.agenda_shared_ahead = true;
    facts.agenda_ahead_ms = *facts.reference_at - *meeting.agenda_first_version_at;
  }
  return facts;
}

}  // namespace mentorlink::server
