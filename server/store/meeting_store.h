#pragma once
// Meetings and who was present when. Storage only: which step fits which status is the
// domain's (server/core/meetings.h).

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"
#include "server/store/refusal.h"

namespace mentorlink::server {

class MeetingStore {
 public:
  virtual ~MeetingStore() = default;

  // Stores a new meeting (its id, presence and document fields are ignored); returns its id.
  // Refused with too_many_meetings once the pair has Quotas::max_meetings_per_pair, whatever their status.
  virtual wire::Result<Written<MeetingId>> insert_meeting(const MeetingRecord& meeting) = 0;
  // Writes meeting's status and times (scheduled, started, ended, cancelled, updated).
  virtual wire::Status update_meeting(const MeetingRecord& meeting) = 0;
  // Opens a presence interval for member at now, unless one is open.
  virtual wire::Status open_presence(MeetingId meeting, MemberId member, TimeMs now) = 0;
  // Closes member's open interval at now (everyone's if member is empty).
  virtual wire::Status close_presence(MeetingId meeting, std::optional<MemberId> member, TimeMs now) = 0;

  // With presence intervals, agenda timing and feedback authors filled in.
  virtual wire::Result<MeetingRecord> meeting_by_id(MeetingId meeting) = 0;
  // In the order they are (or were) to happen.
  virtual wire::Result<std::vector<MeetingRecord>> meetings_of_pair(PairId pair) = 0;
  // The pair's meeting with status started, if any.
  virtual wire::Result<std::optional<MeetingId>> meeting_under_way(PairId pair) = 0;
};

}  // namespace mentorlink::server
