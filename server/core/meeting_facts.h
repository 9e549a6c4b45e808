#pragma once
// The metadata a meeting yields (PRODUCT.md, "Decisions"): held when it has ended and both members
// were present together for at least the programme's minimum (min_held_minutes), duration is the
// time both were present, and the agenda counts as shared
// ahead if a version existed before the meeting's reference time: the scheduled time, or the
// start if it started earlier or was never scheduled.

#include <optional>

#include "server/store/records.h"

namespace mentorlink::server {

struct MeetingFacts {
  std::int64_t both_present_ms = 0;
  bool held = false;                          // ended, and both were present together long enough
  std::optional<TimeMs> reference_at;         // what "ahead" is measured against
  bool agenda_shared_ahead = false;
  std::optional<std::int64_t> agenda_ahead_ms;  // how far ahead, when shared ahead
};

// now closes intervals still open (a meeting under way); min_held_minutes is the programme's
// setting (ProgrammeRecord::min_held_minutes).
MeetingFacts meeting_facts(const MeetingRecord& meeting, MemberId mentor, MemberId mentee, TimeMs now,
                           int min_held_minutes);

}  // namespace mentorlink::server
