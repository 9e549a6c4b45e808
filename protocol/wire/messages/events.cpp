#include "protocol/wire/messages/events.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object MessageEvent::encode() const { return {{"envelope", envelope.encode()}}; }

Result<MessageEvent> MessageEvent::decode(const json::object& o) {
  FieldReader in(o);
  MessageEvent v;
  v.envelope = in.object<Envelope>("envelope");
  return finish(in, std::move(v));
}

json::object PresenceEvent::encode() const { return {{"pair", pair}, {"member", member}, {"online", online}}; }

Result<PresenceEvent> PresenceEvent::decode(const json::object& o) {
  FieldReader in(o);
  PresenceEvent v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.member = in.integer("member", 1, kMaxId);
  v.online = in.boolean("online");
  return finish(in, v);
}

json::object KeysLowEvent::encode() const { return {{"device", device}, {"one_time_prekeys", one_time_prekeys}}; }

Result<KeysLowEvent> KeysLowEvent::decode(const json::object& o) {
  FieldReader in(o);
  KeysLowEvent v;
  v.device = in.integer("device", 1, kMaxDeviceId);
  v.one_time_prekeys = in.integer("one_time_prekeys", 0, kMaxCount);
  return finish(in, v);
}

json::object DocumentUpdatedEvent::encode() const { return {{"document", document.encode()}, {"author", author}}; }

Result<DocumentUpdatedEvent> DocumentUpdatedEvent::decode(const json::object& o) {
  FieldReader in(o);
  DocumentUpdatedEvent v;
  v.document = in.object<DocumentView>("document");
  v.author = in.integer("author", 1, kMaxId);
  return finish(in, v);
}

json::object ContractUpdatedEvent::encode() const { return {{"contract", contract.encode()}}; }

Result<ContractUpdatedEvent> ContractUpdatedEvent::decode(const json::object& o) {
  FieldReader in(o);
  ContractUpdatedEvent v;
  v.contract = in.object<ContractView>("contract");
  return finish(in, std::move(v));
}

json::object MeetingUpdatedEvent::encode() const { return {{"meeting", meeting.encode()}}; }

Result<MeetingUpdatedEvent> MeetingUpdatedEvent::decode(const json::object& o) {
  FieldReader in(o);
  MeetingUpdatedEvent v;
  v.meeting = in.object<MeetingView>("meeting");
  return finish(in, std::move(v));
}

// The optional facts come first: this order is the access log's fields_text (PROTOCOL.md §15).
json::object ProgrammeActivityEvent::encode() const {
  json::object o;
  if (meeting) o["meeting"] = *meeting;
  if (held) o["held"] = *held;
  if (both_present_ms) o["both_present_ms"] = *both_present_ms;
  if (signed_at) o["signed_at"] = *signed_at;
  o["programme"] = programme;
  o["pair"] = pair;
  o["activity"] = activity;
  o["at"] = at;
  return o;
}

Result<ProgrammeActivityEvent> ProgrammeActivityEvent::decode(const json::object& o) {
  FieldReader in(o);
  ProgrammeActivityEvent v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.pair = in.integer("pair", 1, kMaxId);
  v.activity = in.choice("activity", {"pair.formed", "pair.ended", "meeting.started", "meeting.ended", "contract.signed"});
  v.at = in.integer("at", 0, kMaxTime);
  v.meeting = in.optional_integer("meeting", 1, kMaxId);
  if (o.contains("held")) v.held = in.boolean("held");
  v.both_present_ms = in.optional_integer("both_present_ms", 0, kMaxTime);
  v.signed_at = in.optional_integer("signed_at", 0, kMaxTime);
  if (in.ok() && v.held && !v.both_present_ms) {
    return Status::error(ErrorCode::missing_field, "field \"both_present_ms\" is required with \"held\"",
                         "both_present_ms");
  }
  return finish(in, std::move(v));
}

}  // namespace mentorlink::wire::messages
