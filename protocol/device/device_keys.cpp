#include "protocol/device/device_keys.h"

#include <algorithm>

#include "protocol/device/json_bytes.h"

namespace mentorlink::device {
namespace json = boost::json;

DeviceKeys DeviceKeys::generate(const IdentityKeyPair& identity, std::int64_t now_ms, RandomSource& random) {
  auto dh = DhKeyPair::generate(random);
  const auto sig = identity.sign(wire::identity_dh_message(dh.public_key()));
  DeviceKeys keys(std::move(dh), sig);
  keys.rotate_signed_prekey(identity, now_ms, random);
  return keys;
}

std::vector<wire::OneTimePrekey> DeviceKeys::add_one_time_prekeys(std::size_t count, RandomSource& random) {
  std::vector<wire::OneTimePrekey> out;
  for (std::size_t i = 0; i < count; ++i) {
    const wire::PrekeyId id = next_id_++;
    auto pair = DhKeyPair::generate(random);
    out.push_back(wire::OneTimePrekey{id, pair.public_key()});
    one_time_.emplace(id, std::move(pair));
  }
  return out;
}

wire::SignedPrekey DeviceKeys::rotate_signed_prekey(const IdentityKeyPair& identity, std::int64_t now_ms,
                                                    RandomSource& random) {
  const wire::PrekeyId id = next_id_++;
  auto pair = DhKeyPair::generate(random);
  const auto sig = identity.sign(wire::signed_prekey_message(id, pair.public_key()));
  wire::SignedPrekey out{id, pair.public_key(), sig};
  signed_.emplace(id, SignedPrekeySecret{std::move(pair), sig, now_ms, {}});
  current_created_at_ = now_ms;
  while (signed_.size() > kSignedPrekeysKept) signed_.erase(signed_.begin());
  return out;
}

wire::SignedPrekey DeviceKeys::current_signed_prekey() const {
  const auto& [id, s] = *signed_.rbegin();
  return wire::SignedPrekey{id, s.pair.public_key(), s.signature};
}

const DhKeyPair* DeviceKeys::signed_prekey(wire::PrekeyId id) const {
  auto it = signed_.find(id);
  return it == signed_.end() ? nullptr : &it->second.pair;
}

bool DeviceKeys::accepted_before(wire::PrekeyId spk, const wire::DhPublicKey& ephemeral) const {
  auto it = signed_.find(spk);
  if (it == signed_.end()) return false;
  const auto& seen = it->second.accepted;
  return std::find(seen.begin(), seen.end(), ephemeral) != seen.end();
}

void DeviceKeys::remember_accepted(wire::PrekeyId spk, const wire::DhPublicKey& ephemeral) {
  auto it = signed_.find(spk);
  if (it == signed_.end() || accepted_before(spk, ephemeral)) return;
  it->second.accepted.push_back(ephemeral);
  if (it->second.accepted.size() > kAcceptedSessionStartsKept) it->second.accepted.pop_front();
}

std::vector<wire::OneTimePrekey> DeviceKeys::one_time_public() const {
  std::vector<wire::OneTimePrekey> out;
  for (const auto& [id, pair] : one_time_) out.push_back(wire::OneTimePrekey{id, pair.public_key()});
  return out;
}

const DhKeyPair* DeviceKeys::one_time_prekey(wire::PrekeyId id) const {
  auto it = one_time_.find(id);
  return it == one_time_.end() ? nullptr : &it->second;
}

json::object DeviceKeys::to_json() const {
  json::object o;
  o["identity_dh"] = b64(identity_dh_.secret());
  o["identity_dh_signature"] = b64(identity_dh_signature_);
  json::array signed_list;
  for (const auto& [id, s] : signed_) {
    json::object k;
    k["id"] = id;
    k["secret"] = b64(s.pair.secret());
    k["signature"] = b64(s.signature);
    k["created_at"] = s.created_at;
    json::array accepted;
    for (const auto& e : s.accepted) accepted.push_back(json::string(b64(e)));
    k["accepted"] = std::move(accepted);
    signed_list.push_back(std::move(k));
  }
  o["signed_prekeys"] = std::move(signed_list);
  json::array one_time;
  for (const auto& [id, pair] : one_time_) {
    json::object k;
    k["id"] = id;
    k["secret"] = b64(pair.secret());
    one_time.push_back(std::move(k));
  }
  o["one_time_prekeys"] = std::move(one_time);
  o["current_created_at"] = current_created_at_;
  o["next_id"] = next_id_;
  return o;
}

std::optional<DeviceKeys> DeviceKeys::from_json(const json::object& o) {
  try {
    DeviceKeys keys(DhKeyPair::from_secret(fixed_from_b64<32>(o.at("identity_dh"))),
                    fixed_from_b64<64>(o.at("identity_dh_signature")));
    for (const auto& v : o.at("signed_prekeys").as_array()) {
      SignedPrekeySecret spk{DhKeyPair::from_secret(fixed_from_b64<32>(v.at("secret"))),
                             fixed_from_b64<64>(v.at("signature")), v.at("created_at").to_number<std::int64_t>(), {}};
      if (const auto* accepted = v.as_object().if_contains("accepted")) {
        for (const auto& e : accepted->as_array()) spk.accepted.push_back(fixed_from_b64<32>(e));
        if (spk.accepted.size() > kAcceptedSessionStartsKept) return std::nullopt;
      }
      keys.signed_.emplace(v.at("id").to_number<wire::PrekeyId>(), std::move(spk));
    }
    for (const auto& v : o.at("one_time_prekeys").as_array()) {
      keys.one_time_.emplace(v.at("id").to_number<wire::PrekeyId>(),
                             DhKeyPair::from_secret(fixed_from_b64<32>(v.at("secret"))));
    }
    keys.current_created_at_ = o.at("current_created_at").to_number<std::int64_t>();
    keys.next_id_ = o.at("next_id").to_number<wire::PrekeyId>();
    if (keys.signed_.empty()) return std::nullopt;
    return keys;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace mentorlink::device
