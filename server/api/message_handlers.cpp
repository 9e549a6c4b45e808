// message.send, message.sync, message.ack, presence.get (PROTOCOL.md, "Messages"). Bodies are
// opaque ciphertext: the server stores, numbers, relays and deletes them, and never reads them.
#include <array>
#include <map>

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

// message.send and message.sync decode with the server's own limits, so they are routed by hand.
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
    call.server.hub.publish_envelope(e.recipient, pair_id, s.envelope.seq, event_frame(event));
  }
  return msg::MessageSendResult{pair_id, s.envelope.seq, s.envelope.sent_at, s.duplicate}.encode();
}

Result<json::object> sync(Call& call) {
  const auto max_batch = static_cast<std::int64_t>(call.server.limits.max_sync_batch);
  auto request = msg::MessageSyncRequest::decode(call.request.body, max_batch);
  if (!request.is_ok()) return request.status();
  const auto limit = request.value().limit.value_or(max_batch);
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
  for (const auto& e : list) {
    out.envelopes.push_back(envelope_view(e));
    call.session.delivered->advance(e.pair, e.seq);  // fetched: a push after this leaves it out
  }
  return out.encode();
}

Result<msg::MessageAckResult> ack(Call& call, const msg::MessageAckRequest& request) {
  auto pair = pair_for_content(call, request.pair, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  auto n = call.server.store.ack_envelopes(call.member(), request.pair, request.up_to, call.server.clock.now_ms());
  if (!n.is_ok()) return n.status();
  return msg::MessageAckResult{n.value()};
}

Result<msg::PresenceResult> presence(Call& call, const msg::PresenceRequest& request) {
  auto pair = pair_for_content(call, request.pair, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  const MemberId partner = partner_of(pair.value(), call.member());
  return msg::PresenceResult{pair.value().id, partner, call.server.hub.online(partner)};
}

constexpr std::array kRoutes{
    Route{msg::MessageSendRequest::kType, Access::member, &send, Commit::grouped},
    Route{msg::MessageSyncRequest::kType, Access::member, &sync},
    typed_route<msg::MessageAckRequest, &ack>(Access::member, Commit::grouped),
    typed_route<msg::PresenceRequest, &presence>(Access::member),
};

}  // namespace

std::span<const Route> message_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
