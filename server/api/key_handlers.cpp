// keys.publish, keys.fetch, keys.status (PROTOCOL.md, "Keys"). The server checks the signatures
// that bind published keys to the member's identity key; it never sees a secret key.
#include <array>

#include "protocol/wire/messages/events.h"
#include "protocol/wire/messages/keys.h"
#include "protocol/wire/prekeys.h"
#include "protocol/wire/signatures.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"
#include "server/core/refusals.h"

namespace mentorlink::server::api {
namespace json = boost::json;
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

constexpr std::int64_t kOneTimePrekeyLowWater = 10;

msg::KeysStatusResult keys_status(Call& call, std::int64_t device) {
  auto count = call.server.store.one_time_prekey_count(call.member(), device);
  return msg::KeysStatusResult{device, count.is_ok() ? count.value() : 0,
                               !count.is_ok() || count.value() < kOneTimePrekeyLowWater};
}

// Decoded here rather than through typed_route: the one-time prekey limit is the server's.
Result<json::object> publish(Call& call) {
  auto request = msg::KeysPublishRequest::decode(call.request.body, call.server.limits.max_one_time_prekeys_per_publish);
  if (!request.is_ok()) return request.status();
  const auto& r = request.value();
  DeviceKeysRecord keys;
  keys.member = call.member();
  keys.device = r.device;
  keys.identity_dh_key = r.identity_dh_key;
  keys.identity_dh_signature = r.identity_dh_signature;
  keys.signed_prekey_id = r.signed_prekey.id;
  keys.signed_prekey = r.signed_prekey.key;
  keys.signed_prekey_signature = r.signed_prekey.signature;
  std::vector<OneTimePrekeyRecord> one_time;
  one_time.reserve(r.one_time_prekeys.size());
  for (const auto& k : r.one_time_prekeys) one_time.push_back(OneTimePrekeyRecord{k.id, k.key});

  auto member = call.server.store.member_by_id(call.member());
  if (!member.is_ok()) return member.status();
  const auto& identity = member.value().identity_key;
  if (!wire::verify_signature(identity, wire::identity_dh_message(keys.identity_dh_key), keys.identity_dh_signature)) {
    return Status::error(ErrorCode::bad_signature, "the identity DH key is not signed by your identity key",
                         "identity_dh_signature");
  }
  if (!wire::verify_signature(identity, wire::signed_prekey_message(keys.signed_prekey_id, keys.signed_prekey),
                              keys.signed_prekey_signature)) {
    return Status::error(ErrorCode::bad_signature, "the signed prekey is not signed by your identity key",
                         "signed_prekey");
  }
  keys.updated_at = call.server.clock.now_ms();
  if (auto published = accepted(call.server.store.publish_keys(keys, one_time)); !published.is_ok()) {
    return published.status();
  }
  return keys_status(call, keys.device).encode();
}

Result<msg::KeysFetchResult> fetch(Call& call, const msg::KeysFetchRequest& request) {
  auto pair = pair_for_content(call, request.pair, ContentAccess::write);
  if (!pair.is_ok()) return pair.status();
  const MemberId partner = partner_of(pair.value(), call.member());
  auto bundle = call.server.store.take_bundle(partner, pair.value().id, call.member(), call.server.clock.now_ms());
  if (!bundle.is_ok()) {
    if (bundle.status().code() == ErrorCode::not_found) {
      return Status::error(ErrorCode::not_found,
                           "your partner has not set up a device yet; messages can be sent once they have logged in",
                           "pair");
    }
    return bundle.status();
  }
  const auto& k = bundle.value().keys;
  msg::KeysFetchResult out;
  out.member = partner;
  out.bundle.identity_key = k.identity_key;
  out.bundle.device = k.device;
  out.bundle.identity_dh_key = k.identity_dh_key;
  out.bundle.identity_dh_signature = k.identity_dh_signature;
  out.bundle.signed_prekey = wire::SignedPrekey{k.signed_prekey_id, k.signed_prekey, k.signed_prekey_signature};
  if (const auto& otk = bundle.value().one_time_prekey) out.bundle.one_time_prekey = wire::OneTimePrekey{otk->id, otk->key};
  // Tell the owner when their supply runs low, so their client uploads more.
  auto remaining = call.server.store.one_time_prekey_count(partner, k.device);
  if (remaining.is_ok() && remaining.value() < kOneTimePrekeyLowWater) {
    call.server.hub.publish(partner, event_frame(msg::KeysLowEvent{k.device, remaining.value()}));
  }
  return out;
}

Result<msg::KeysIdentityResult> identity(Call& call, const msg::KeysIdentityRequest& request) {
  auto pair = pair_for_content(call, request.pair, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  const MemberId partner = partner_of(pair.value(), call.member());
  auto member = call.server.store.member_by_id(partner);
  if (!member.is_ok()) return member.status();
  return msg::KeysIdentityResult{pair.value().id, partner, member.value().display_name, member.value().identity_key};
}

Result<msg::KeysStatusResult> status(Call& call, const msg::KeysStatusRequest& request) {
  return keys_status(call, request.device.value_or(1));
}

constexpr std::array kRoutes{
    Route{msg::KeysPublishRequest::kType, Access::member, &publish},
    typed_route<msg::KeysFetchRequest, &fetch>(Access::member),
    typed_route<msg::KeysStatusRequest, &status>(Access::member),
    typed_route<msg::KeysIdentityRequest, &identity>(Access::member),
};

}  // namespace

std::span<const Route> key_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
