#include "protocol/wire/messages/meetings.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object MeetingView::Agenda::encode() const {
  json::object o{{"shared_ahead", shared_ahead}};
  o["ahead_ms"] = nullable(ahead_ms);
  return o;
}

Result<MeetingView::Agenda> MeetingView::Agenda::decode(const json::object& o) {
  FieldReader in(o);
  Agenda v;
  v.shared_ahead = in.boolean("shared_ahead");
  v.ahead_ms = in.optional_integer("ahead_ms", 0, kMaxTime);
  if (in.ok() && v.shared_ahead && !v.ahead_ms) {
    return Status::error(ErrorCode::missing_field, "field \"ahead_ms\" is required when shared_ahead is true",
                         "ahead_ms");
  }
  return finish(in, v);
}

json::object MeetingView::encode() const {
  json::object o{{"id", id}, {"pair", pair}, {"status", status}};
  o["scheduled_at"] = nullable(scheduled_at);
  o["started_at"] = nullable(started_at);
  o["ended_at"] = nullable(ended_at);
  o["cancelled_at"] = nullable(cancelled_at);
  o["present"] = encode_ids(present);
  o["both_present_ms"] = both_present_ms;
  o["held"] = held;
  o["agenda"] = agenda.encode();
  o["feedback_from"] = encode_ids(feedback_from);
  return o;
}

Result<MeetingView> MeetingView::decode(const json::object& o) {
  FieldReader in(o);
  MeetingView v;
  v.id = in.integer("id", 1, kMaxId);
  v.pair = in.integer("pair", 1, kMaxId);
  v.status = in.choice("status", {"scheduled", "cancelled", "started", "ended"});
  v.scheduled_at = in.optional_integer("scheduled_at", 0, kMaxTime);
  v.started_at = in.optional_integer("started_at", 0, kMaxTime);
  v.ended_at = in.optional_integer("ended_at", 0, kMaxTime);
  v.cancelled_at = in.optional_integer("cancelled_at", 0, kMaxTime);
  v.present = in.integers("present", kMaxMeetingMembers, 1, kMaxId);
  v.both_present_ms = in.integer("both_present_ms", 0, kMaxTime);
  v.held = in.boolean("held");
  v.agenda = in.object<Agenda>("agenda");
  v.feedback_from = in.integers("feedback_from", kMaxMeetingMembers, 1, kMaxId);
  return finish(in, std::move(v));
}

json::object MeetingResult::encode() const { return {{"meeting", meeting.encode()}}; }

Result<MeetingResult> MeetingResult::decode(const json::object& o) {
  FieldReader in(o);
  MeetingResult v;
  v.meeting = in.object<MeetingView>("meeting");
  return finish(in, std::move(v));
}

json::object MeetingListResult::encode() const { return {{"meetings", encode_all(meetings)}}; }

Result<MeetingListResult> MeetingListResult::decode(const json::object& o) {
  FieldReader in(o);
  MeetingListResult v;
  v.meetings = in.list<MeetingView>("meetings", kMaxMeetingsPerList);
  return finish(in, std::move(v));
}

json::object MeetingScheduleRequest::encode() const { return {{"pair", pair}, {"at", at}}; }

Result<MeetingScheduleRequest> MeetingScheduleRequest::decode(const json::object& o) {
  FieldReader in(o);
  MeetingScheduleRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.at = in.integer("at", 0, kMaxTime);
  return finish(in, v);
}

json::object MeetingRescheduleRequest::encode() const { return {{"meeting", meeting}, {"at", at}}; }

Result<MeetingRescheduleRequest> MeetingRescheduleRequest::decode(const json::object& o) {
  FieldReader in(o);
  MeetingRescheduleRequest v;
  v.meeting = in.integer("meeting", 1, kMaxId);
  v.at = in.integer("at", 0, kMaxTime);
  return finish(in, v);
}

json::object MeetingStartRequest::encode() const {
  json::object o{{"pair", pair}};
  if (meeting) o["meeting"] = *meeting;
  return o;
}

Result<MeetingStartRequest> MeetingStartRequest::decode(const json::object& o) {
  FieldReader in(o);
  MeetingStartRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.meeting = in.optional_integer("meeting", 1, kMaxId);
  return finish(in, v);
}

json::object MeetingListRequest::encode() const { return {{"pair", pair}}; }

Result<MeetingListRequest> MeetingListRequest::decode(const json::object& o) {
  FieldReader in(o);
  MeetingListRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
