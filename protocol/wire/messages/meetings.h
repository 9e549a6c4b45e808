#pragma once
// meeting.schedule, .reschedule, .cancel, .start, .join, .leave, .end, .list (PROTOCOL.md §6
// "Meetings").

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/messages/codec.h"

namespace mentorlink::wire::messages {

inline constexpr std::size_t kMaxMeetingsPerList = 100'000;
inline constexpr std::size_t kMaxMeetingMembers = 2;  // mentor and mentee

struct MeetingView {
  struct Agenda {
    bool shared_ahead = false;
    std::optional<std::int64_t> ahead_ms;
    boost::json::object encode() const;
    static Result<Agenda> decode(const boost::json::object& o);
  };
  std::int64_t id = 0;
  std::int64_t pair = 0;
  std::string status;  // "scheduled" | "cancelled" | "started" | "ended"
  std::optional<std::int64_t> scheduled_at;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> ended_at;
  std::optional<std::int64_t> cancelled_at;
  std::vector<std::int64_t> present;
  std::int64_t both_present_ms = 0;
  bool held = false;
  Agenda agenda;
  std::vector<std::int64_t> feedback_from;
  boost::json::object encode() const;
  static Result<MeetingView> decode(const boost::json::object& o);
};

struct MeetingResult {
  MeetingView meeting;
  boost::json::object encode() const;
  static Result<MeetingResult> decode(const boost::json::object& o);
};

struct MeetingListResult {
  std::vector<MeetingView> meetings;
  boost::json::object encode() const;
  static Result<MeetingListResult> decode(const boost::json::object& o);
};

struct MeetingScheduleRequest {
  static constexpr std::string_view kType = "meeting.schedule";
  using Reply = MeetingResult;
  std::int64_t pair = 0;
  std::int64_t at = 0;
  boost::json::object encode() const;
  static Result<MeetingScheduleRequest> decode(const boost::json::object& o);
};

struct MeetingRescheduleRequest {
  static constexpr std::string_view kType = "meeting.reschedule";
  using Reply = MeetingResult;
  std::int64_t meeting = 0;
  std::int64_t at = 0;
  boost::json::object encode() const;
  static Result<MeetingRescheduleRequest> decode(const boost::json::object& o);
};

struct MeetingStartRequest {
  static constexpr std::string_view kType = "meeting.start";
  using Reply = MeetingResult;
  std::int64_t pair = 0;
  std::optional<std::int64_t> meeting;
  boost::json::object encode() const;
  static Result<MeetingStartRequest> decode(const boost::json::object& o);
};

// cancel, join, leave and end name only the meeting.
template <class Self>
struct MeetingStepBody {
  using Reply = MeetingResult;
  std::int64_t meeting = 0;
  boost::json::object encode() const { return {{"meeting", meeting}}; }
  static Result<Self> decode(const boost::json::object& o) {
    FieldReader in(o);
    Self v;
    v.meeting = in.integer("meeting", 1, kMaxId);
    return finish(in, v);
  }
};
struct MeetingCancelRequest : MeetingStepBody<MeetingCancelRequest> {
  static constexpr std::string_view kType = "meeting.cancel";
};
struct MeetingJoinRequest : MeetingStepBody<MeetingJoinRequest> {
  static constexpr std::string_view kType = "meeting.join";
};
struct MeetingLeaveRequest : MeetingStepBody<MeetingLeaveRequest> {
  static constexpr std::string_view kType = "meeting.leave";
};
struct MeetingEndRequest : MeetingStepBody<MeetingEndRequest> {
  static constexpr std::string_view kType = "meeting.end";
};

struct MeetingListRequest {
  static constexpr std::string_view kType = "meeting.list";
  using Reply = MeetingListResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<MeetingListRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
