// meeting.schedule, .reschedule, .cancel, .start, .join, .leave, .end, .list (PROTOCOL.md,
// "Meetings"). Either member may take any step; times are metadata the server records itself.
#include <array>

#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/meetings.h"
#include "server/api/content_views.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"
#include "server/api/programme_activity.h"
#include "server/core/meetings.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

// Largest distance into the future a meeting may be scheduled: about five years.
constexpr std::int64_t kMaxScheduleAheadMs = std::int64_t{5} * 366 * 24 * 60 * 60 * 1000;

// Answers with the meeting and tells the partner, so a live client sees the step at once. A start
// or an end is also programme activity for watching coordinators (metadata only).
enum class Activity { none, started, ended };

// A pair's meetings with what decides "held": its programme's min_held_minutes. Loaded before a
// step is taken, so a step that is answered with an error has changed nothing.
struct PairMeetings {
  PairRecord pair;
  int min_held_minutes = kDefaultMinHeldMinutes;
};

Result<PairMeetings> with_held_rule(Call& call, Result<PairRecord> pair) {
  if (!pair.is_ok()) return pair.status();
  auto programme = call.server.store.programme_by_id(pair.value().programme);
  if (!programme.is_ok()) return programme.status();
  return PairMeetings{std::move(pair.value()), programme.value().min_held_minutes};
}

Result<msg::MeetingResult> answer(Call& call, const PairMeetings& pm, const Result<MeetingRecord>& meeting,
                                  Activity activity = Activity::none) {
  if (!meeting.is_ok()) return meeting.status();
  const PairRecord& pair = pm.pair;
  auto view = meeting_view(meeting.value(), pair, call.server.clock.now_ms(), pm.min_held_minutes);
  if (activity != Activity::none) {
    msg::ProgrammeActivityEvent facts;
    facts.meeting = view.id;
    if (activity == Activity::ended) {
      facts.held = view.held;
      facts.both_present_ms = view.both_present_ms;
    }
    announce_activity(call.server, pair, activity == Activity::started ? "meeting.started" : "meeting.ended", facts);
  }
  call.server.hub.publish(partner_of(pair, call.member()), event_frame(msg::MeetingUpdatedEvent{view}));
  return msg::MeetingResult{std::move(view)};
}

// The pair of the meeting, if the caller may act on it.
Result<PairMeetings> load_meeting(Call& call, MeetingId id, ContentAccess access) {
  auto meeting = call.server.store.meeting_by_id(id);
  if (!meeting.is_ok()) return meeting.status();
  auto pair = pair_for_content(call, meeting.value().pair, access);
  if (!pair.is_ok() && pair.status().code() == ErrorCode::not_found) {
    return Status::error(ErrorCode::not_found, "no such meeting", "meeting");
  }
  return with_held_rule(call, std::move(pair));
}

Result<TimeMs> future_time(Call& call, TimeMs at) {
  const TimeMs now = call.server.clock.now_ms();
  if (at < now || at > now + kMaxScheduleAheadMs) {
    return Status::error(ErrorCode::invalid_field, "field \"at\" must be a time in the next five years", "at");
  }
  return at;
}

Result<msg::MeetingResult> schedule(Call& call, const msg::MeetingScheduleRequest& request) {
  const PairId pair_id = request.pair;
  auto at = future_time(call, request.at);
  if (!at.is_ok()) return at.status();
  auto pair = with_held_rule(call, pair_for_content(call, pair_id, ContentAccess::write));
  if (!pair.is_ok()) return pair.status();
  return answer(call, pair.value(),
                schedule_meeting(call.server.store, pair_id, at.value(), call.member(), call.server.clock.now_ms()));
}

Result<msg::MeetingResult> reschedule(Call& call, const msg::MeetingRescheduleRequest& request) {
  const MeetingId id = request.meeting;
  auto at = future_time(call, request.at);
  if (!at.is_ok()) return at.status();
  auto loaded = load_meeting(call, id, ContentAccess::write);
  if (!loaded.is_ok()) return loaded.status();
  return answer(call, loaded.value(),
                reschedule_meeting(call.server.store, id, at.value(), call.server.clock.now_ms()));
}

using MeetingStep = Result<MeetingRecord> (*)(Call&, MeetingId);

// Requests whose body is only {"meeting": id}.
template <class Request, MeetingStep step, Activity activity = Activity::none>
Result<msg::MeetingResult> on_meeting(Call& call, const Request& request) {
  const MeetingId id = request.meeting;
  auto loaded = load_meeting(call, id, ContentAccess::write);
  if (!loaded.is_ok()) return loaded.status();
  return answer(call, loaded.value(), step(call, id), activity);
}

Result<MeetingRecord> do_cancel(Call& call, MeetingId id) {
  return cancel_meeting(call.server.store, id, call.server.clock.now_ms());
}
Result<MeetingRecord> do_join(Call& call, MeetingId id) {
  return join_meeting(call.server.store, id, call.member(), call.server.clock.now_ms());
}
Result<MeetingRecord> do_leave(Call& call, MeetingId id) {
  return leave_meeting(call.server.store, id, call.member(), call.server.clock.now_ms());
}
Result<MeetingRecord> do_end(Call& call, MeetingId id) {
  return end_meeting(call.server.store, id, call.server.clock.now_ms());
}

Result<msg::MeetingResult> start(Call& call, const msg::MeetingStartRequest& request) {
  const PairId pair_id = request.pair;
  const auto& meeting = request.meeting;
  auto pair = with_held_rule(call, pair_for_content(call, pair_id, ContentAccess::write));
  if (!pair.is_ok()) return pair.status();
  return answer(call, pair.value(),
                start_meeting(call.server.store, pair_id, meeting, call.member(), call.server.clock.now_ms()),
                Activity::started);
}

Result<msg::MeetingListResult> list(Call& call, const msg::MeetingListRequest& request) {
  auto pm = with_held_rule(call, pair_for_content(call, request.pair, ContentAccess::read));
  if (!pm.is_ok()) return pm.status();
  auto meetings = call.server.store.meetings_of_pair(pm.value().pair.id);
  if (!meetings.is_ok()) return meetings.status();
  msg::MeetingListResult out;
  const TimeMs now = call.server.clock.now_ms();
  for (const auto& m : meetings.value()) {
    out.meetings.push_back(meeting_view(m, pm.value().pair, now, pm.value().min_held_minutes));
  }
  return out;
}

constexpr std::array kRoutes{
    typed_route<msg::MeetingScheduleRequest, &schedule>(Access::member),
    typed_route<msg::MeetingRescheduleRequest, &reschedule>(Access::member),
    typed_route<msg::MeetingCancelRequest, &on_meeting<msg::MeetingCancelRequest, &do_cancel>>(Access::member),
    typed_route<msg::MeetingStartRequest, &start>(Access::member),
    typed_route<msg::MeetingJoinRequest, &on_meeting<msg::MeetingJoinRequest, &do_join>>(Access::member),
    typed_route<msg::MeetingLeaveRequest, &on_meeting<msg::MeetingLeaveRequest, &do_leave>>(Access::member),
    typed_route<msg::MeetingEndRequest, &on_meeting<msg::MeetingEndRequest, &do_end, Activity::ended>>(Access::member),
    typed_route<msg::MeetingListRequest, &list>(Access::member),
};

}  // namespace

std::span<const Route> meeting_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
