#include "protocol/device/session.h"

#include <sodium.h>

#include "protocol/device/hkdf.h"
#include "protocol/device/json_bytes.h"
#include "protocol/wire/signatures.h"

namespace mentorlink::device {
namespace json = boost::json;

namespace {

constexpr std::int64_t kStateVersion = 2;  // of to_json's layout
constexpr std::string_view kX3dhInfo = "mentorlink/v2/x3dh";

SessionResult<Plaintext> open(const Key32& message_key, const ParsedMessage& parsed, std::uint64_t pair,
                              const wire::IdentityKey& initiator, const wire::IdentityKey& responder) {
  const auto keys = message_keys(message_key);
  const auto ad = message_ad(pair, initiator, responder, parsed.prefix);
  wire::Bytes padded(parsed.ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(padded.data(), &len, nullptr, parsed.ciphertext.data(),
                                                 parsed.ciphertext.size(), ad.data(), ad.size(), keys.nonce.data(),
                                                 keys.key.data()) != 0) {
    return SessionError::bad_mac;
  }
  auto unpadded = unpad(padded);
  sodium_memzero(padded.data(), padded.size());
  if (!unpadded.is_ok()) return unpadded.error();
  return Plaintext{unpadded.value().kind, unpadded.value().counter, std::move(unpadded.value().payload)};
}

}  // namespace

Key32 x3dh_shared_key(std::span<const SharedSecret> dh_outputs) {
  wire::Bytes ikm(32, 0xFF);
  for (const auto& dh : dh_outputs) ikm.insert(ikm.end(), dh.begin(), dh.end());
  Key32 sk;
  hkdf({}, ikm, std::span(reinterpret_cast<const std::uint8_t*>(kX3dhInfo.data()), kX3dhInfo.size()), sk.bytes);
  sodium_memzero(ikm.data(), ikm.size());
  return sk;
}

SessionResult<Session> Session::initiate(const IdentityKeyPair& identity, const DeviceKeys& mine,
                                         const wire::PrekeyBundle& theirs, std::uint64_t pair, RandomSource& random) {
  if (!wire::verify_bundle(theirs)) return SessionError::invalid_bundle;
  const auto ephemeral = DhKeyPair::generate(random);
  std::vector<SharedSecret> dh;
  for (auto out : {mine.identity_dh().dh(theirs.signed_prekey.key), ephemeral.dh(theirs.identity_dh_key),
                   ephemeral.dh(theirs.signed_prekey.key)}) {
    if (!out) return SessionError::invalid_key;
    dh.push_back(*out);
  }
  if (theirs.one_time_prekey) {
    auto out = ephemeral.dh(theirs.one_time_prekey->key);
    if (!out) return SessionError::invalid_key;
    dh.push_back(*out);
  }
  const Key32 sk = x3dh_shared_key(dh);
  for (auto& d : dh) sodium_memzero(d.data(), d.size());

  auto ratchet = Ratchet::initiator(sk, theirs.signed_prekey.key, random);
  if (!ratchet.is_ok()) return ratchet.error();
  Session s(std::move(ratchet.value()), pair, identity.public_key(), theirs.identity_key, true);
  PrekeyPart part;
  part.identity_key = identity.public_key();
  part.identity_dh_key = mine.identity_dh().public_key();
  part.identity_dh_signature = mine.identity_dh_signature();
  part.ephemeral_key = ephemeral.public_key();
  part.signed_prekey_id = theirs.signed_prekey.id;
  if (theirs.one_time_prekey) part.one_time_prekey_id = theirs.one_time_prekey->id;
  s.pending_prekey_ = part;
  return s;
}

SessionResult<Session::Accepted> Session::accept(const IdentityKeyPair& identity, DeviceKeys& mine, std::uint64_t pair,
                                                 std::span<const std::uint8_t> message, RandomSource& random) {
  auto parsed = parse_message(message);
  if (!parsed.is_ok()) return parsed.error();
  if (!parsed.value().prekey) return SessionError::no_session;
  const PrekeyPart& part = *parsed.value().prekey;
  if (!wire::verify_signature(part.identity_key, wire::identity_dh_message(part.identity_dh_key),
                              part.identity_dh_signature)) {
    return SessionError::invalid_bundle;
  }
  const DhKeyPair* spk = mine.signed_prekey(part.signed_prekey_id);
  const DhKeyPair* opk = part.one_time_prekey_id ? mine.one_time_prekey(*part.one_time_prekey_id) : nullptr;
  if (spk == nullptr) return SessionError::unknown_prekey;
  if (mine.accepted_before(part.signed_prekey_id, part.ephemeral_key)) return SessionError::duplicated_message;
  if (part.one_time_prekey_id && opk == nullptr) return SessionError::unknown_prekey;

  std::vector<SharedSecret> dh;
  for (auto out : {spk->dh(part.identity_dh_key), mine.identity_dh().dh(part.ephemeral_key),
                   spk->dh(part.ephemeral_key)}) {
    if (!out) return SessionError::invalid_key;
    dh.push_back(*out);
  }
  if (opk != nullptr) {
    auto out = opk->dh(part.ephemeral_key);
    if (!out) return SessionError::invalid_key;
    dh.push_back(*out);
  }
  const Key32 sk = x3dh_shared_key(dh);
  for (auto& d : dh) sodium_memzero(d.data(), d.size());

  Session s(Ratchet::responder(sk, *spk), pair, part.identity_key, identity.public_key(), false);
  s.initial_ephemeral_ = part.ephemeral_key;
  auto plaintext = s.decrypt(message, random);
  if (!plaintext.is_ok()) return plaintext.error();
  if (part.one_time_prekey_id) mine.erase_one_time_prekey(*part.one_time_prekey_id);
  mine.remember_accepted(part.signed_prekey_id, part.ephemeral_key);
  return Accepted{std::move(s), std::move(plaintext.value())};
}

SessionResult<wire::Bytes> Session::encrypt(PayloadKind kind, std::uint64_t counter,
                                            std::span<const std::uint8_t> payload) {
  if (payload.size() > kMaxPayloadBytes || counter < kFirstCounter || counter > kMaxCounter ||
      static_cast<std::uint8_t>(kind) == 0) {
    return SessionError::invalid_message;
  }
  auto next = ratchet_.next_sending();
  if (!next.is_ok()) return next.error();
  const auto& sending = next.value();
  wire::Bytes out = encode_prefix(pending_prekey_, sending.header);
  const auto ad = message_ad(pair_, initiator_, responder_, out);
  auto padded = pad(kind, counter, payload);
  const auto keys = message_keys(sending.message_key);
  const std::size_t prefix_len = out.size();
  out.resize(prefix_len + padded.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + prefix_len, &written, padded.data(), padded.size(),
                                             ad.data(), ad.size(), nullptr, keys.nonce.data(), keys.key.data());
  sodium_memzero(padded.data(), padded.size());
  out.resize(prefix_len + static_cast<std::size_t>(written));
  return out;
}

SessionResult<Plaintext> Session::decrypt(std::span<const std::uint8_t> message, RandomSource& random) {
  auto parsed = parse_message(message);
  if (!parsed.is_ok()) return parsed.error();
  Ratchet trial = ratchet_;  // commit only if the message authenticates
  auto key = trial.receiving_key(parsed.value().header, random);
  if (!key.is_ok()) return key.error();
  auto plaintext = open(key.value(), parsed.value(), pair_, initiator_, responder_);
  if (!plaintext.is_ok()) return plaintext.error();
  ratchet_ = std::move(trial);
  if (we_initiated_) pending_prekey_.reset();  // the partner has answered: no more prekey messages
  return plaintext;
}

json::object Session::to_json() const {
  json::object o;
  o["version"] = kStateVersion;
  o["pair"] = pair_;
  o["ratchet"] = ratchet_.to_json();
  o["initiator"] = b64(initiator_);
  o["responder"] = b64(responder_);
  o["we_initiated"] = we_initiated_;
  if (initial_ephemeral_) o["initial_ephemeral"] = b64(*initial_ephemeral_);
  if (pending_prekey_) o["pending_prekey"] = b64(encode_prekey_part(*pending_prekey_));
  return o;
}

std::optional<Session> Session::from_json(const json::object& o) {
  try {
    const auto* version = o.if_contains("version");
    if (version == nullptr || !version->is_int64() || version->as_int64() != kStateVersion) return std::nullopt;
    auto ratchet = Ratchet::from_json(o.at("ratchet").as_object());
    if (!ratchet) return std::nullopt;
    Session s(std::move(*ratchet), o.at("pair").to_number<std::uint64_t>(), fixed_from_b64<32>(o.at("initiator")),
              fixed_from_b64<32>(o.at("responder")), o.at("we_initiated").as_bool());
    if (o.contains("initial_ephemeral")) s.initial_ephemeral_ = fixed_from_b64<32>(o.at("initial_ephemeral"));
    if (o.contains("pending_prekey")) {
      s.pending_prekey_ = parse_prekey_part(bytes_from_b64(o.at("pending_prekey")));
      if (!s.pending_prekey_) return std::nullopt;
    }
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace mentorlink::device
