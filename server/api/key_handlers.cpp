// keys.publish, keys.fetch, keys.status (PROTOCOL.md, "Keys"). The server checks the signatures
// that bind published keys to the member's identity key; it never sees a secret key.
#include <array>

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/prekeys.h"
#include "protocol/wire/signatures.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"
#include "server/core/refusals.h"

namespace mentorlink::server::api {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

constexpr std::int64_t kOneTimePrekeyLowWater = 10;

json::object keys_status(Call& call, std::int64_t device) {
  json::object out;
  auto count = call.server.store.one_time_prekey_count(call.member(), device);
  out["device"] = device;
  out["one_time_prekeys"] = count.is_ok() ? count.value() : 0;
  out["low"] = !count.is_ok() || count.value() < kOneTimePrekeyLowWater;
  return out;
}

Result<json::object> publish(Call& call) {
  wire::FieldReader in(call.request.body);
  DeviceKeysRecord keys;
  keys.member = call.member();
  keys.device = in.integer("device", 1, wire::kMaxDeviceId);
  keys.identity_dh_key = in.fixed<32>("identity_dh_key");
  keys.identity_dh_signature = in.fixed<64>("identity_dh_signature");
  const json::value* spk = call.request.body.if_contains("signed_prekey");
  const json::value* otks = call.request.body.if_contains("one_time_prekeys");
  if (!in.ok()) return in.status();
  if (spk == nullptr || !spk->is_object()) {
    return Status::error(ErrorCode::missing_field, "field \"signed_prekey\" is required (an object)", "signed_prekey");
  }
  wire::FieldReader spk_in(spk->as_object());
  keys.signed_prekey_id = static_cast<std::uint32_t>(spk_in.integer("id", 0, 0xFFFFFFFE));
  keys.signed_prekey = spk_in.fixed<32>("key");
  keys.signed_prekey_signature = spk_in.fixed<64>("signature");
  if (!spk_in.ok()) return Status::error(spk_in.status().code(), spk_in.status().message(), "signed_prekey");

  std::vector<OneTimePrekeyRecord> one_time;
  if (otks != nullptr) {
    if (!otks->is_array() || otks->as_array().size() > call.server.limits.max_one_time_prekeys_per_publish) {
      return Status::error(ErrorCode::invalid_field,
                           "field \"one_time_prekeys\" must be an array of at most " +
                               std::to_string(call.server.limits.max_one_time_prekeys_per_publish) + " keys",
                           "one_time_prekeys");
    }
    for (const auto& v : otks->as_array()) {
      if (!v.is_object()) return Status::error(ErrorCode::invalid_field, "each one-time prekey is an object", "one_time_prekeys");
      wire::FieldReader k(v.as_object());
      OneTimePrekeyRecord r;
      r.id = static_cast<std::uint32_t>(k.integer("id", 0, 0xFFFFFFFE));
      r.key = k.fixed<32>("key");
      if (!k.ok()) return Status::error(k.status().code(), k.status().message(), "one_time_prekeys");
      one_time.push_back(r);
    }
  }

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
  return keys_status(call, keys.device);
}

Result<json::object> fetch(Call& call) {
  auto pair = pair_for_content(call, ContentAccess::write);
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
  json::object spk;
  spk["id"] = k.signed_prekey_id;
  spk["key"] = wire::base64url_encode(k.signed_prekey);
  spk["signature"] = wire::base64url_encode(k.signed_prekey_signature);
  json::object b;
  b["member"] = partner;
  b["identity_key"] = wire::base64url_encode(k.identity_key);
  b["device"] = k.device;
  b["identity_dh_key"] = wire::base64url_encode(k.identity_dh_key);
  b["identity_dh_signature"] = wire::base64url_encode(k.identity_dh_signature);
  b["signed_prekey"] = std::move(spk);
  if (const auto& otk = bundle.value().one_time_prekey) {
    json::object o;
    o["id"] = otk->id;
    o["key"] = wire::base64url_encode(otk->key);
    b["one_time_prekey"] = std::move(o);
  } else {
    b["one_time_prekey"] = nullptr;
  }
  // Tell the owner when their supply runs low, so their client uploads more.
  auto remaining = call.server.store.one_time_prekey_count(partner, k.device);
  if (remaining.is_ok() && remaining.value() < kOneTimePrekeyLowWater) {
    json::object low;
    low["device"] = k.device;
    low["one_time_prekeys"] = remaining.value();
    call.server.hub.publish(partner, std::make_shared<const std::string>(wire::serialize_event("keys.low", low)));
  }
  json::object out;
  out["bundle"] = std::move(b);
  return out;
}

Result<json::object> identity(Call& call) {
  auto pair = pair_for_content(call, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  const PairId pair_id = pair.value().id;
  const MemberId partner = partner_of(pair.value(), call.member());
  auto member = call.server.store.member_by_id(partner);
  if (!member.is_ok()) return member.status();
  json::object out;
  out["pair"] = pair_id;
  out["member"] = partner;
  out["name"] = member.value().display_name;
  out["identity_key"] = wire::base64url_encode(member.value().identity_key);
  return out;
}

Result<json::object> status(Call& call) {
  wire::FieldReader in(call.request.body);
  const auto device = in.optional_integer("device", 1, wire::kMaxDeviceId).value_or(1);
  if (!in.ok()) return in.status();
  return keys_status(call, device);
}

constexpr std::array kRoutes{
    Route{"keys.publish", Access::member, &publish},
    Route{"keys.fetch", Access::member, &fetch},
    Route{"keys.status", Access::member, &status},
    Route{"keys.identity", Access::member, &identity},
};

}  // namespace

std::span<const Route> key_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
