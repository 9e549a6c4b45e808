#include "protocol/wire/messages/envelopes.h"

#include <set>

#include "protocol/wire/base64url.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object Envelope::encode() const {
  return {{"pair", pair},
          {"seq", seq},
          {"sender", sender},
          {"sender_device", sender_device},
          {"client_id", base64url_encode(client_id)},
          {"body", base64url_encode(body)},
          {"sent_at", sent_at}};
}

Result<Envelope> Envelope::decode(const json::object& o) {
  FieldReader in(o);
  Envelope v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.seq = in.integer("seq", 1, kMaxId);
  v.sender = in.integer("sender", 1, kMaxId);
  v.sender_device = in.integer("sender_device", 1, kMaxDeviceId);
  v.client_id = in.bytes("client_id", kClientIdBytes);
  v.body = in.bytes_up_to("body", kMaxEnvelopeBodyBytes);
  v.sent_at = in.integer("sent_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

json::object MessageSendResult::encode() const {
  return {{"pair", pair}, {"seq", seq}, {"sent_at", sent_at}, {"duplicate", duplicate}};
}

Result<MessageSendResult> MessageSendResult::decode(const json::object& o) {
  FieldReader in(o);
  MessageSendResult v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.seq = in.integer("seq", 1, kMaxId);
  v.sent_at = in.integer("sent_at", 0, kMaxTime);
  v.duplicate = in.boolean("duplicate");
  return finish(in, v);
}

json::object MessageSendRequest::encode() const {
  json::object o{{"pair", pair}, {"client_id", base64url_encode(client_id)}, {"body", base64url_encode(body)}};
  if (device) o["device"] = *device;
  return o;
}

Result<MessageSendRequest> MessageSendRequest::decode(const json::object& o, std::size_t max_body_bytes) {
  FieldReader in(o);
  MessageSendRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.client_id = in.bytes("client_id", kClientIdBytes);
  v.device = in.optional_integer("device", 1, kMaxDeviceId);
  v.body = in.bytes_up_to("body", max_body_bytes);
  return finish(in, std::move(v));
}

json::object MessageSyncResult::encode() const { return {{"envelopes", encode_all(envelopes)}, {"more", more}}; }

Result<MessageSyncResult> MessageSyncResult::decode(const json::object& o) {
  FieldReader in(o);
  MessageSyncResult v;
  v.envelopes = in.list<Envelope>("envelopes", static_cast<std::size_t>(kMaxSyncEnvelopes));
  v.more = in.boolean("more");
  return finish(in, std::move(v));
}

json::object SyncCursor::encode() const { return {{"pair", pair}, {"seq", seq}}; }

Result<SyncCursor> SyncCursor::decode(const json::object& o) {
  FieldReader in(o);
  SyncCursor v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.seq = in.integer("seq", 0, kMaxId);
  return finish(in, v);
}

json::object MessageSyncRequest::encode() const {
  json::object o;
  if (limit) o["limit"] = *limit;
  if (!after.empty()) o["after"] = encode_all(after);
  return o;
}

Result<MessageSyncRequest> MessageSyncRequest::decode(const json::object& o, std::int64_t max_limit) {
  FieldReader in(o);
  MessageSyncRequest v;
  v.limit = in.optional_integer("limit", 1, max_limit);
  if (const auto* after = o.if_contains("after"); after != nullptr && !after->is_null()) {
    v.after = in.list<SyncCursor>("after", kMaxSyncCursors);
  }
  if (!in.ok()) return in.status();
  std::set<std::int64_t> pairs;
  for (const auto& cursor : v.after) {
    if (!pairs.insert(cursor.pair).second) {
      return Status::error(ErrorCode::invalid_field,
                           "field \"after\" names pair " + std::to_string(cursor.pair) + " twice", "after");
    }
  }
  return v;
}

json::object MessageAckResult::encode() const { return {{"acknowledged", acknowledged}}; }

Result<MessageAckResult> MessageAckResult::decode(const json::object& o) {
  FieldReader in(o);
  MessageAckResult v;
  v.acknowledged = in.integer("acknowledged", 0, kMaxCount);
  return finish(in, v);
}

json::object MessageAckRequest::encode() const { return {{"pair", pair}, {"up_to", up_to}}; }

Result<MessageAckRequest> MessageAckRequest::decode(const json::object& o) {
  FieldReader in(o);
  MessageAckRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.up_to = in.integer("up_to", 1, kMaxId);
  return finish(in, v);
}

json::object PresenceResult::encode() const { return {{"pair", pair}, {"member", member}, {"online", online}}; }

Result<PresenceResult> PresenceResult::decode(const json::object& o) {
  FieldReader in(o);
  PresenceResult v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.member = in.integer("member", 1, kMaxId);
  v.online = in.boolean("online");
  return finish(in, v);
}

json::object PresenceRequest::encode() const { return {{"pair", pair}}; }

Result<PresenceRequest> PresenceRequest::decode(const json::object& o) {
  FieldReader in(o);
  PresenceRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
