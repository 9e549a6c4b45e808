#include "protocol/wire/messages/keys.h"

#include "protocol/wire/base64url.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object SignedPrekeyBody::encode() const {
  return {{"id", value.id}, {"key", base64url_encode(value.key)}, {"signature", base64url_encode(value.signature)}};
}

Result<SignedPrekeyBody> SignedPrekeyBody::decode(const json::object& o) {
  FieldReader in(o);
  SignedPrekeyBody v;
  v.value.id = static_cast<PrekeyId>(in.integer("id", 0, kMaxPrekeyId));
  v.value.key = in.fixed<32>("key");
  v.value.signature = in.fixed<kSignatureBytes>("signature");
  return finish(in, v);
}

json::object OneTimePrekeyBody::encode() const { return {{"id", value.id}, {"key", base64url_encode(value.key)}}; }

Result<OneTimePrekeyBody> OneTimePrekeyBody::decode(const json::object& o) {
  FieldReader in(o);
  OneTimePrekeyBody v;
  v.value.id = static_cast<PrekeyId>(in.integer("id", 0, kMaxPrekeyId));
  v.value.key = in.fixed<32>("key");
  return finish(in, v);
}

json::object KeysStatusResult::encode() const {
  return {{"device", device}, {"one_time_prekeys", one_time_prekeys}, {"low", low}};
}

Result<KeysStatusResult> KeysStatusResult::decode(const json::object& o) {
  FieldReader in(o);
  KeysStatusResult v;
  v.device = in.integer("device", 1, kMaxDeviceId);
  v.one_time_prekeys = in.integer("one_time_prekeys", 0, kMaxCount);
  v.low = in.boolean("low");
  return finish(in, v);
}

json::object KeysPublishRequest::encode() const {
  json::array otks;
  for (const auto& k : one_time_prekeys) otks.push_back(OneTimePrekeyBody{k}.encode());
  return {{"device", device},
          {"identity_dh_key", base64url_encode(identity_dh_key)},
          {"identity_dh_signature", base64url_encode(identity_dh_signature)},
          {"signed_prekey", SignedPrekeyBody{signed_prekey}.encode()},
          {"one_time_prekeys", std::move(otks)}};
}

Result<KeysPublishRequest> KeysPublishRequest::decode(const json::object& o, std::size_t max_one_time_prekeys) {
  FieldReader in(o);
  KeysPublishRequest v;
  v.device = in.integer("device", 1, kMaxDeviceId);
  v.identity_dh_key = in.fixed<32>("identity_dh_key");
  v.identity_dh_signature = in.fixed<kSignatureBytes>("identity_dh_signature");
  v.signed_prekey = in.object<SignedPrekeyBody>("signed_prekey").value;
  if (const auto* otks = o.if_contains("one_time_prekeys"); otks != nullptr && !otks->is_null()) {
    for (auto& k : in.list<OneTimePrekeyBody>("one_time_prekeys", max_one_time_prekeys)) {
      v.one_time_prekeys.push_back(k.value);
    }
  }
  return finish(in, std::move(v));
}

json::object KeysStatusRequest::encode() const {
  json::object o;
  if (device) o["device"] = *device;
  return o;
}

Result<KeysStatusRequest> KeysStatusRequest::decode(const json::object& o) {
  FieldReader in(o);
  KeysStatusRequest v;
  v.device = in.optional_integer("device", 1, kMaxDeviceId);
  return finish(in, v);
}

namespace {

// The "bundle" object of keys.fetch.
struct BundleBody {
  std::int64_t member = 0;
  PrekeyBundle bundle;
  static Result<BundleBody> decode(const json::object& o) {
    FieldReader in(o);
    BundleBody v;
    v.member = in.integer("member", 1, kMaxId);
    v.bundle.identity_key = in.fixed<kPublicKeyBytes>("identity_key");
    v.bundle.device = in.integer("device", 1, kMaxDeviceId);
    v.bundle.identity_dh_key = in.fixed<32>("identity_dh_key");
    v.bundle.identity_dh_signature = in.fixed<kSignatureBytes>("identity_dh_signature");
    v.bundle.signed_prekey = in.object<SignedPrekeyBody>("signed_prekey").value;
    if (auto otk = in.optional_object<OneTimePrekeyBody>("one_time_prekey")) v.bundle.one_time_prekey = otk->value;
    return finish(in, v);
  }
};

}  // namespace

json::object KeysFetchResult::encode() const {
  json::object b{{"member", member},
                 {"identity_key", base64url_encode(bundle.identity_key)},
                 {"device", bundle.device},
                 {"identity_dh_key", base64url_encode(bundle.identity_dh_key)},
                 {"identity_dh_signature", base64url_encode(bundle.identity_dh_signature)},
                 {"signed_prekey", SignedPrekeyBody{bundle.signed_prekey}.encode()}};
  b["one_time_prekey"] =
      bundle.one_time_prekey ? json::value(OneTimePrekeyBody{*bundle.one_time_prekey}.encode()) : json::value(nullptr);
  return {{"bundle", std::move(b)}};
}

Result<KeysFetchResult> KeysFetchResult::decode(const json::object& o) {
  FieldReader in(o);
  const auto body = in.object<BundleBody>("bundle");
  return finish(in, KeysFetchResult{body.member, body.bundle});
}

json::object KeysFetchRequest::encode() const { return {{"pair", pair}}; }

Result<KeysFetchRequest> KeysFetchRequest::decode(const json::object& o) {
  FieldReader in(o);
  KeysFetchRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

json::object KeysIdentityResult::encode() const {
  return {{"pair", pair}, {"member", member}, {"name", name}, {"identity_key", base64url_encode(identity_key)}};
}

Result<KeysIdentityResult> KeysIdentityResult::decode(const json::object& o) {
  FieldReader in(o);
  KeysIdentityResult v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.member = in.integer("member", 1, kMaxId);
  v.name = in.text("name", kMaxDisplayNameBytes);
  v.identity_key = in.fixed<kPublicKeyBytes>("identity_key");
  return finish(in, std::move(v));
}

json::object KeysIdentityRequest::encode() const { return {{"pair", pair}}; }

Result<KeysIdentityRequest> KeysIdentityRequest::decode(const json::object& o) {
  FieldReader in(o);
  KeysIdentityRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
