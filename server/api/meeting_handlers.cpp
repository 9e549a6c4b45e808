// meeting.schedule, .reschedule, .cancel, .start, .join, .leave, .end, .list (PROTOCOL.md,
// "Meetings"). Either member may take any step; times are metadata the server records itself.
#include <array>

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "server/api/content_views.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"
#include "server/api/programme_activity.h"
#include "server/core/meetings.h"

namespace mentorlink::server::api {
namespace json = boost::json;
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

Result<json::object> answer(Call& call, const PairMeetings& pm, const Result<MeetingRecord>& meeting,
                            Activity activity = Activity::none) {
  if (!meeting.is_ok()) return meeting.status();
  const PairRecord& pair = pm.pair;
  auto view = meeting_view(meeting.value(), pair, call.server.clock.now_ms(), pm.min_held_minutes);
  if (activity == Activity::started) {
    announce_activity(call.server, pair, "meeting.started", json::object{{"meeting", meeting.value().id}});
  } else if (activity == Activity::ended) {
    announce_activity(call.server, pair, "meeting.ended",
                      json::object{{"meeting", meeting.value().id},
                                   {"held", view.at("held")},
                                   {"both_present_ms", view.at("both_present_ms")}});
  }
  call.server.hub.publish(partner_of(pair, call.member()),
                          std::make_shared<const std::string>(wire::serialize_event("meeting.updated",
                                                                                    json::object{{"meeting", view}})));
  return json::object{{"meeting", std::move(view)}};
}

// The pair of the meeting named by the request's "meeting" field, if the caller may act on it.
Result<PairMeetings> load_meeting(Call& call, MeetingId id, ContentAccess access) {
  auto meeting = call.server.store.meeting_by_id(id);
  if (!meeting.is_ok()) return meeting.status();
  auto pair = pair_for_content(call, meeting.value().pair, access);
  if (!pair.is_ok() && pair.status().code() == ErrorCode::not_found) {
    return Status::error(ErrorCode::not_found, "no such meeting", "meeting");
  }
  return with_held_rule(call, std::move(pair));
}

Result<TimeMs> future_time(Call& call, wire::FieldReader& in) {
  const TimeMs at = in.integer("at", 0, wire::kMaxId);
  if (!in.ok()) return in.status();
  const TimeMs now = call.server.clock.now_ms();
  if (at < now || at > now + kMaxScheduleAheadMs) {
    return Status::error(ErrorCode::invalid_field, "field \"at\" must be a time in the next five years", "at");
  }
  return at;
}

Result<json::object> schedule(Call& call) {
  wire::FieldReader in(call.request.body);
  const PairId pair_id = in.integer("pair", 1, wire::kMaxId);
  auto at = future_time(call, in);
  if (!at.is_ok()) return at.status();
  auto pair = with_held_rule(call, pair_for_content(call, pair_id, ContentAccess::write));
  if (!pair.is_ok()) return pair.status();
  return answer(call, pair.value(),
                schedule_meeting(call.server.store, pair_id, at.value(), call.member(), call.server.clock.now_ms()));
}

Result<json::object> reschedule(Call& call) {
  wire::FieldReader in(call.request.body);
  const MeetingId id = in.integer("meeting", 1, wire::kMaxId);
  auto at = future_time(call, in);
  if (!at.is_ok()) return at.status();
  auto loaded = load_meeting(call, id, ContentAccess::write);
  if (!loaded.is_ok()) return loaded.status();
  return answer(call, loaded.value(),
                reschedule_meeting(call.server.store, id, at.value(), call.server.clock.now_ms()));
}

using MeetingStep = Result<MeetingRecord> (*)(Call&, MeetingId);

// Requests whose body is only {"meeting": id}.
template <MeetingStep step, Activity activity = Activity::none>
Result<json::object> on_meeting(Call& call) {
  wire::FieldReader in(call.request.body);
  const MeetingId id = in.integer("meeting", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
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

Result<json::object> start(Call& call) {
  wire::FieldReader in(call.request.body);
  const PairId pair_id = in.integer("pair", 1, wire::kMaxId);
  const auto meeting = in.optional_integer("meeting", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  auto pair = with_held_rule(call, pair_for_content(call, pair_id, ContentAccess::write));
  if (!pair.is_ok()) return pair.status();
  return answer(call, pair.value(),
                start_meeting(call.server.store, pair_id, meeting, call.member(), call.server.clock.now_ms()),
                Activity::started);
}

Result<json::object> list(Call& call) {
  auto pm = with_held_rule(call, pair_for_content(call, ContentAccess::read));
  if (!pm.is_ok()) return pm.status();
  auto meetings = call.server.store.meetings_of_pair(pm.value().pair.id);
  if (!meetings.is_ok()) return meetings.status();
  json::array out;
  const TimeMs now = call.server.clock.now_ms();
  for (const auto& m : meetings.value()) out.push_back(meeting_view(m, pm.value().pair, now, pm.value().min_held_minutes));
  return json::object{{"meetings", std::move(out)}};
}

constexpr std::array kRoutes{
    Route{"meeting.schedule", Access::member, &schedule},
    Route{"meeting.reschedule", Access::member, &reschedule},
    Route{"meeting.cancel", Access::member, &on_meeting<&do_cancel>},
    Route{"meeting.start", Access::member, &start},
    Route{"meeting.join", Access::member, &on_meeting<&do_join>},
    Route{"meeting.leave", Access::member, &on_meeting<&do_leave>},
    Route{"meeting.end", Access::member, &on_meeting<&do_end, Activity::ended>},
    Route{"meeting.list", Access::member, &list},
};

}  // namespace

std::span<const Route> meeting_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
