// message.send, message.sync, message.ack, presence.get (PROTOCOL.md, "Messages"). Bodies are
// opaque ciphertext: the server stores, numbers, relays and deletes them, and never reads them.
#include <array>
#include <map>

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/events.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"
#include "server/core/refusals.h"

namespace mentorlink::server::api {
namespace json = boost::json;
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

msg::Envelope envelope_view(const EnvelopeRecord& e) {
  return msg::Envelope{e.pair, e.seq, e.sender, e.sender_device, e.client_id, e.body, e.sent_at};
}

Result<json::object> send(Call& call) {
  auto request = msg::MessageSendRequest::decode(call.request.body, call.server.limits.max_envelope_bytes);
  if (!request.is_ok()) return request.status();
  const auto pair_id = request.value().pair;
  EnvelopeRecord e;
  e.client_id = std::move(request.value().client_id);
  e.sender_device = request.value().device.value_or(1);
  e.body = std::move(request.value().body);

  auto pair = pair_for_content(call, pair_id, ContentAccess::write);
  if (!pair.is_ok()) return pair.status();
  e.pair = pair_id;
  e.sender = call.member();
  e.recipient = partner_of(pair.value(), call.member());
  e.sent_at = call.server.clock.now_ms();

  auto stored = accepted(call.server.store.store_envelope(e));  // durable before we answer
  if (!stored.is_ok()) return stored.status();
  const auto& s = stored.value();
  if (!s.duplicate) {
    const msg::MessageEvent event{envelope_view(s.envelope)};
    call.server.hub.publish(e.recipient, std::make_shared<const std::string>(
                                             wire::serialize_event(msg::MessageEvent::kEvent, event.encode())));
  }
  return msg::MessageSendResult{pair_id, s.envelope.seq, s.envelope.sent_at, s.duplicate}.encode();
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
  msg::MessageSyncResult out;
  out.more = more;
  for (const auto& e : list) out.envelopes.push_back(envelope_view(e));
  return out.encode();
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
