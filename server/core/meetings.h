#pragma once
// The meeting state machine (PRODUCT.md, "Decisions"): scheduled → started → ended, or scheduled →
// cancelled; a meeting may also start without being scheduled. A pair has at most one meeting
// under way. Either member may take any step. Each step is one transaction and returns the
// meeting as it is afterwards; a step that does not fit the meeting's status is a conflict and
// changes nothing.

#include <optional>

#include "protocol/wire/status.h"
#include "server/store/store.h"

namespace mentorlink::server {

// Making a meeting (schedule, or start without one) is quota_exceeded once the pair has
// Quotas::max_meetings_per_pair (the store's).
wire::Result<MeetingRecord> schedule_meeting(Store& store, PairId pair, TimeMs at, MemberId by, TimeMs now);
wire::Result<MeetingRecord> reschedule_meeting(Store& store, MeetingId meeting, TimeMs at, TimeMs now);
wire::Result<MeetingRecord> cancel_meeting(Store& store, MeetingId meeting, TimeMs now);
// Starts the pair's scheduled meeting, or (meeting empty) an unscheduled one; the starter is present.
wire::Result<MeetingRecord> start_meeting(Store& store, PairId pair, std::optional<MeetingId> meeting, MemberId by,
                                          TimeMs now);
// Joining while present, or leaving while absent, changes nothing.
wire::Result<MeetingRecord> join_meeting(Store& store, MeetingId meeting, MemberId member, TimeMs now);
wire::Result<MeetingRecord> leave_meeting(Store& store, MeetingId meeting, MemberId member, TimeMs now);
// Everyone still present leaves at now.
wire::Result<MeetingRecord> end_meeting(Store& store, MeetingId meeting, TimeMs now);

}  // namespace mentorlink::server
