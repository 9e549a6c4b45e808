// message.send, message.sync, message.ack, presence.get (PROTOCOL.md, "Messages"). Bodies are
// opaque ciphertext: the server stores, numbers, relays and deletes them, and never reads them.
#include <array>
#include <map>

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/messages/envelopes.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"

namespace mentorlink::server::api {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

constexpr std::size_t kClientIdBytes = 16;

json::object envelope_view(const EnvelopeRecord& e) {
  json::object o;
  o["pair"] = e.pair;
  o["seq"] = e.seq;
  o["sender"] = e.sender;
  o["sender_device"] = e.sender_device;
  o["client_id"] = wire::base64url_encode(e.client_id);
  o["body"] = wire::base64url_encode(e.body);
  o["sent_at"] = e.sent_at;
  return o;
}

Result<json::object> send(Call& call) {
  wire::FieldReader in(call.request.body);
  const auto pair_id = in.integer("pair", 1, wire::kMaxId);
  EnvelopeRecord e;
  e.client_id = in.bytes("client_id", kClientIdBytes);
  e.sender_device = in.optional_integer("device", 1, wire::kMaxDeviceId).value_or(1);
  const json::value* body = call.request.body.if_contains("body");
  if (!in.ok()) return in.status();
  std::optional<wire::Bytes> decoded;
  if (body != nullptr && body->is_string()) decoded = wire::base64url_decode(body->as_string());
  if (!decoded || decoded->empty() || decoded->size() > call.server.limits.max_envelope_bytes) {
    return Status::error(body == nullptr ? ErrorCode::missing_field : ErrorCode::invalid_field,
                         "field \"body\" must be 1 to " + std::to_string(call.server.limits.max_envelope_bytes) +
                             " bytes of ciphertext in base64url",
                         "body");
  }
  e.body = std::move(*decoded);

  auto pair = pair_for_content(call, pair_id, ContentAccess::write);
  if (!pair.is_ok()) return pair.status();
  e.pair = pair_id;
  e.sender = call.member();
  e.recipient = partner_of(pair.value(), call.member());
  e.sent_at = call.server.clock.now_ms();

  auto stored = call.server.store.store_envelope(e);  // durable before we answer
  if (!stored.is_ok()) return stored.status();
  const auto& s = stored.value();
  if (!s.duplicate) {
    json::object event;
    event["envelope"] = envelope_view(s.envelope);
    call.server.hub.publish(e.recipient, std::make_shared<const std::string>(wire::serialize_event("message", event)));
  }
  json::object out;
  out["pair"] = pair_id;
  out["seq"] = s.envelope.seq;
  out["sent_at"] = s.envelope.sent_at;
  out["duplicate"] = s.duplicate;
  return out;
}

Result<json::object> sync(Call& call) {
  wire::FieldReader in(call.request.body);
  const auto limit = in.optional_integer("limit", 1, static_cast<std::int64_t>(call.server.limits.max_sync_batch))
                         .value_or(static_cast<std::int64_t>(call.server.limits.max_sync_batch));
  if (!in.ok()) return in.status();
  auto request = wire::messages::MessageSyncRequest::decode(call.request.body);
  if (!request.is_ok()) return request.status();
  std::map<PairId, std::int64_t> after;
  for (const auto& cursor : request.value().after) after.emplace(cursor.pair, cursor.seq);
  auto pending = call.server.store.pending_envelopes(call.member(), static_cast<std::size_t>(limit) + 1, after);
  if (!pending.is_ok()) return pending.status();
  auto& list = pending.value();
  bool more = list.size() > static_cast<std::size_t>(limit);
  if (more) list.pop_back();
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    bytes += list[i].body.size();
    if (i > 0 && bytes > call.server.limits.max_sync_bytes) {
      list.resize(i);
      more = true;
      break;
    }
  }
  json::array envelopes;
  for (const auto& e : list) envelopes.push_back(envelope_view(e));
  json::object out;
  out["envelopes"] = std::move(envelopes);
  out["more"] = more;
  return out;
}

Result<json::object> ack(Call& call) {
  wire::FieldReader in(call.request.body);
  const auto pair_id = in.integer("pair", 1, wire::kMaxId);
  const auto up_to = in.integer("up_to", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  auto pair = pair_for_content(call, pair_id, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  auto n = call.server.store.ack_envelopes(call.member(), pair_id, up_to, call.server.clock.now_ms());
  if (!n.is_ok()) return n.status();
  json::object out;
  out["acknowledged"] = n.value();
  return out;
}

Result<json::object> presence(Call& call) {
  auto pair = pair_for_content(call, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  const PairId pair_id = pair.value().id;
  const MemberId partner = partner_of(pair.value(), call.member());
  json::object out;
  out["pair"] = pair_id;
  out["member"] = partner;
  out["online"] = call.server.hub.online(partner);
  return out;
}

constexpr std::array kRoutes{
    Route{"message.send", Access::member, &send, Commit::grouped},
    Route{"message.sync", Access::member, &sync},
    Route{"message.ack", Access::member, &ack, Commit::grouped},
    Route{"presence.get", Access::member, &presence},
};

}  // namespace

std::span<const Route> message_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
