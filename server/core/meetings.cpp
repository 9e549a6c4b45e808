#include "server/core/meetings.h"

#include <string>

#include "server/core/refusals.h"

namespace mentorlink::server {
using wire::ErrorCode;
using wire::Result;
using wire::Status;

namespace {

Status wrong_status(const MeetingRecord& m, MeetingStatus wanted) {
  return Status::error(ErrorCode::conflict,
                       "meeting " + std::to_string(m.id) + " is " + std::string(to_string(m.status)) + "; it must be " +
                           std::string(to_string(wanted)),
                       "meeting");
}

// One step in one transaction: the meeting must be in status `wanted`; change runs on it (and
// may write more); the meeting is returned as it is afterwards.
template <class Change>
Result<MeetingRecord> step(Store& store, MeetingId id, MeetingStatus wanted, Change&& change) {
  return all_or_nothing<MeetingRecord>(store, [&]() -> Result<MeetingRecord> {
    auto m = store.meeting_by_id(id);
    if (!m.is_ok()) return m;
    if (m.value().status != wanted) return wrong_status(m.value(), wanted);
    if (auto s = change(m.value()); !s.is_ok()) return s;
    return store.meeting_by_id(id);
  });
}

// A meeting the pair has not had before, made by `by` at `now`.
MeetingRecord new_meeting(PairId pair, MeetingStatus status, MemberId by, TimeMs now) {
  MeetingRecord m;
  m.pair = pair;
  m.status = status;
  m.created_by = by;
  m.created_at = now;
  m.updated_at = now;
  return m;
}

}  // namespace

Result<MeetingRecord> schedule_meeting(Store& store, PairId pair, TimeMs at, MemberId by, TimeMs now) {
  return all_or_nothing<MeetingRecord>(store, [&]() -> Result<MeetingRecord> {
    MeetingRecord m = new_meeting(pair, MeetingStatus::scheduled, by, now);
    m.scheduled_at = at;
    auto id = accepted(store.insert_meeting(m));
    if (!id.is_ok()) return id.status();
    return store.meeting_by_id(id.value());
  });
}

Result<MeetingRecord> reschedule_meeting(Store& store, MeetingId meeting, TimeMs at, TimeMs now) {
  return step(store, meeting, MeetingStatus::scheduled, [&](MeetingRecord& m) {
    m.scheduled_at = at;
    m.updated_at = now;
    return store.update_meeting(m);
  });
}

Result<MeetingRecord> cancel_meeting(Store& store, MeetingId meeting, TimeMs now) {
  return step(store, meeting, MeetingStatus::scheduled, [&](MeetingRecord& m) {
    m.status = MeetingStatus::cancelled;
    m.cancelled_at = now;
    m.updated_at = now;
    return store.update_meeting(m);
  });
}

Result<MeetingRecord> start_meeting(Store& store, PairId pair, std::optional<MeetingId> meeting, MemberId by,
                                    TimeMs now) {
  return all_or_nothing<MeetingRecord>(store, [&]() -> Result<MeetingRecord> {
    auto under_way = store.meeting_under_way(pair);
    if (!under_way.is_ok()) return under_way.status();
    if (under_way.value()) {
      return Status::error(ErrorCode::conflict,
                           "meeting " + std::to_string(*under_way.value()) +
                               " is already under way; join it or end it first",
                           "meeting");
    }
    MeetingId id = 0;
    if (meeting) {
      auto m = store.meeting_by_id(*meeting);
      if (!m.is_ok()) return m;
      if (m.value().pair != pair) return Status::error(ErrorCode::not_found, "no such meeting", "meeting");
      if (m.value().status != MeetingStatus::scheduled) return wrong_status(m.value(), MeetingStatus::scheduled);
      m.value().status = MeetingStatus::started;
      m.value().started_at = now;
      m.value().updated_at = now;
      if (auto s = store.update_meeting(m.value()); !s.is_ok()) return s;
      id = *meeting;
    } else {
      MeetingRecord m = new_meeting(pair, MeetingStatus::started, by, now);
      m.started_at = now;
      auto inserted = accepted(store.insert_meeting(m));
      if (!inserted.is_ok()) return inserted.status();
      id = inserted.value();
    }
    if (auto s = store.open_presence(id, by, now); !s.is_ok()) return s;
    return store.meeting_by_id(id);
  });
}

Result<MeetingRecord> join_meeting(Store& store, MeetingId meeting, MemberId member, TimeMs now) {
  return step(store, meeting, MeetingStatus::started,
              [&](MeetingRecord&) { return store.open_presence(meeting, member, now); });
}

Result<MeetingRecord> leave_meeting(Store& store, MeetingId meeting, MemberId member, TimeMs now) {
  return step(store, meeting, MeetingStatus::started,
              [&](MeetingRecord&) { return store.close_presence(meeting, member, now); });
}

Result<MeetingRecord> end_meeting(Store& store, MeetingId meeting, TimeMs now) {
  return step(store, meeting, MeetingStatus::started, [&](MeetingRecord& m) {
    if (auto s = store.close_presence(meeting, std::nullopt, now); !s.is_ok()) return s;
    m.status = MeetingStatus::ended;
    m.ended_at = now;
    m.updated_at = now;
    return store.update_meeting(m);
  });
}

}  // namespace mentorlink::server
