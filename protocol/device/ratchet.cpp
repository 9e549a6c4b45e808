#include "protocol/device/ratchet.h"

#include <sodium.h>

#include "protocol/device/hkdf.h"
#include "protocol/device/json_bytes.h"

namespace mentorlink::device {
namespace json = boost::json;

namespace {
constexpr std::string_view kRootInfo = "mentorlink/v2/ratchet-root";
constexpr std::string_view kMessageKeysInfo = "mentorlink/v2/message-keys";

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
}  // namespace

Key32::~Key32() { sodium_memzero(bytes.data(), bytes.size()); }
MessageKeys::~MessageKeys() {
  sodium_memzero(key.data(), key.size());
  sodium_memzero(nonce.data(), nonce.size());
}

RootStep kdf_rk(const Key32& root_key, const SharedSecret& dh_output) {
  std::array<std::uint8_t, 64> out{};
  hkdf(root_key.bytes, dh_output, as_bytes(kRootInfo), out);
  RootStep step;
  std::copy_n(out.begin(), 32, step.root_key.bytes.begin());
  std::copy_n(out.begin() + 32, 32, step.chain_key.bytes.begin());
  sodium_memzero(out.data(), out.size());
  return step;
}

ChainStep kdf_ck(const Key32& chain_key) {
  static constexpr std::uint8_t kMessage = 0x01;
  static constexpr std::uint8_t kChain = 0x02;
  ChainStep step;
  step.message_key.bytes = hmac_sha256(chain_key.bytes, std::span<const std::uint8_t>(&kMessage, 1));
  step.next_chain_key.bytes = hmac_sha256(chain_key.bytes, std::span<const std::uint8_t>(&kChain, 1));
  return step;
}

MessageKeys message_keys(const Key32& message_key) {
  std::array<std::uint8_t, 56> out{};
  hkdf({}, message_key.bytes, as_bytes(kMessageKeysInfo), out);
  MessageKeys keys;
  std::copy_n(out.begin(), 32, keys.key.begin());
  std::copy_n(out.begin() + 32, 24, keys.nonce.begin());
  sodium_memzero(out.data(), out.size());
  return keys;
}

SessionResult<Ratchet> Ratchet::initiator(const Key32& shared_key, const wire::DhPublicKey& their_ratchet,
                                          RandomSource& random) {
  Ratchet r(DhKeyPair::generate(random), shared_key);
  r.dh_remote_ = their_ratchet;
  auto dh = r.dh_self_.dh(their_ratchet);
  if (!dh) return SessionError::invalid_key;
  auto step = kdf_rk(shared_key, *dh);
  sodium_memzero(dh->data(), dh->size());
  r.root_key_ = step.root_key;
  r.send_chain_ = step.chain_key;
  return r;
}

Ratchet Ratchet::responder(const Key32& shared_key, const DhKeyPair& signed_prekey) {
  return Ratchet(signed_prekey, shared_key);
}

SessionResult<Ratchet::Sending> Ratchet::next_sending() {
  if (!send_chain_) return SessionError::cannot_send_yet;
  auto step = kdf_ck(*send_chain_);
  Sending out{Header{dh_self_.public_key(), previous_n_, send_n_}, step.message_key};
  send_chain_ = step.next_chain_key;
  ++send_n_;
  return out;
}

bool Ratchet::skip_until(std::uint32_t until) {
  if (!receive_chain_ || !dh_remote_) return true;
  if (until > receive_n_ && until - receive_n_ > kMaxSkip) return false;
  while (receive_n_ < until) {
    auto step = kdf_ck(*receive_chain_);
    skipped_.push_back(Skipped{*dh_remote_, receive_n_, step.message_key});
    if (skipped_.size() > kMaxStoredSkipped) skipped_.pop_front();
    receive_chain_ = step.next_chain_key;
    ++receive_n_;
  }
  return true;
}

SessionResult<Key32> Ratchet::receiving_key(const Header& header, RandomSource& random) {
  for (auto it = skipped_.begin(); it != skipped_.end(); ++it) {
    if (it->n == header.n && sodium_memcmp(it->dh.data(), header.dh.data(), header.dh.size()) == 0) {
      Key32 mk = it->message_key;
      skipped_.erase(it);
      received_any_ = true;
      return mk;
    }
  }
  const bool same_chain = dh_remote_ && sodium_memcmp(dh_remote_->data(), header.dh.data(), header.dh.size()) == 0;
  if (same_chain && !receive_chain_) return SessionError::invalid_message;  // attack 21: no such chain yet
  if (same_chain && header.n < receive_n_) return SessionError::duplicated_message;
  if (!same_chain) {
    if (!skip_until(header.pn)) return SessionError::too_many_skipped;
    // DH ratchet step
    previous_n_ = send_n_;
    send_n_ = 0;
    receive_n_ = 0;
    dh_remote_ = header.dh;
    auto dh1 = dh_self_.dh(header.dh);
    if (!dh1) return SessionError::invalid_key;
    auto recv = kdf_rk(root_key_, *dh1);
    sodium_memzero(dh1->data(), dh1->size());
    root_key_ = recv.root_key;
    receive_chain_ = recv.chain_key;
    dh_self_ = DhKeyPair::generate(random);
    auto dh2 = dh_self_.dh(header.dh);
    if (!dh2) return SessionError::invalid_key;
    auto send = kdf_rk(root_key_, *dh2);
    sodium_memzero(dh2->data(), dh2->size());
    root_key_ = send.root_key;
    send_chain_ = send.chain_key;
  }
  if (!skip_until(header.n)) return SessionError::too_many_skipped;
  auto step = kdf_ck(*receive_chain_);
  receive_chain_ = step.next_chain_key;
  ++receive_n_;
  received_any_ = true;
  return step.message_key;
}

json::object Ratchet::to_json() const {
  json::object o;
  o["dh_self"] = b64(dh_self_.secret());
  if (dh_remote_) o["dh_remote"] = b64(*dh_remote_);
  o["root"] = b64(root_key_.bytes);
  if (send_chain_) o["send_chain"] = b64(send_chain_->bytes);
  if (receive_chain_) o["receive_chain"] = b64(receive_chain_->bytes);
  o["send_n"] = send_n_;
  o["receive_n"] = receive_n_;
  o["previous_n"] = previous_n_;
  o["received_any"] = received_any_;
  json::array skipped;
  for (const auto& s : skipped_) {
    json::object k;
    k["dh"] = b64(s.dh);
    k["n"] = s.n;
    k["key"] = b64(s.message_key.bytes);
    skipped.push_back(std::move(k));
  }
  o["skipped"] = std::move(skipped);
  return o;
}

std::optional<Ratchet> Ratchet::from_json(const json::object& o) {
  try {
    Ratchet r(DhKeyPair::from_secret(fixed_from_b64<32>(o.at("dh_self"))), Key32(fixed_from_b64<32>(o.at("root"))));
    if (o.contains("dh_remote")) r.dh_remote_ = fixed_from_b64<32>(o.at("dh_remote"));
    if (o.contains("send_chain")) r.send_chain_ = Key32(fixed_from_b64<32>(o.at("send_chain")));
    if (o.contains("receive_chain")) r.receive_chain_ = Key32(fixed_from_b64<32>(o.at("receive_chain")));
    r.send_n_ = o.at("send_n").to_number<std::uint32_t>();
    r.receive_n_ = o.at("receive_n").to_number<std::uint32_t>();
    r.previous_n_ = o.at("previous_n").to_number<std::uint32_t>();
    r.received_any_ = o.at("received_any").as_bool();
    for (const auto& v : o.at("skipped").as_array()) {
      Skipped s;
      s.dh = fixed_from_b64<32>(v.at("dh"));
      s.n = v.at("n").to_number<std::uint32_t>();
      s.message_key.bytes = fixed_from_b64<32>(v.at("key"));
      r.skipped_.push_back(std::move(s));
    }
    if (r.receive_chain_ && !r.dh_remote_) return std::nullopt;
    if (r.skipped_.size() > kMaxStoredSkipped) return std::nullopt;
    return r;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace mentorlink::device
