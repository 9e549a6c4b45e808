#pragma once
// One end-to-end encrypted session between this device and a partner's device in one pair: X3DH
// to start, then the Double Ratchet for every message (PROTOCOL.md §12.2-§12.4).
//
//   X3DH (initiator A, responder B):
//     DH1 = X25519(IKdh_A, SPK_B)  DH2 = X25519(EK_A, IKdh_B)  DH3 = X25519(EK_A, SPK_B)
//     DH4 = X25519(EK_A, OPK_B)    (only when B had a one-time prekey left)
//     SK  = HKDF-SHA256(salt = 32 zero bytes, ikm = 0xFF×32 ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4],
//                       info = "mentorlink/v2/x3dh", 32 bytes)
//   The initiator sends prekey messages until it has received a reply. Every message's AD names
//   the pair, so a session started in one pair never opens in another (attack 31).
//
// Every operation that fails leaves the session (and the device keys) exactly as they were.

#include <boost/json/object.hpp>

#include "protocol/device/device_keys.h"
#include "protocol/device/message_format.h"
#include "protocol/device/ratchet.h"

namespace mentorlink::device {

struct Plaintext {
  PayloadKind kind = PayloadKind::chat;
  std::uint64_t counter = 0;  // the sender's per-pair counter, authenticated (1..kMaxCounter)
  wire::Bytes payload;
};

class Session {
 public:
  // Starts a session from the partner's bundle. Fails with invalid_bundle if its signatures do not
  // verify under its identity key, invalid_key for a low-order key.
  [[nodiscard]] static SessionResult<Session> initiate(const IdentityKeyPair& identity, const DeviceKeys& mine,
                                                       const wire::PrekeyBundle& theirs, std::uint64_t pair,
                                                       RandomSource& random);

  // Answers a partner's first (prekey) message in pair. On success the one-time prekey it used is
  // erased from mine and its ephemeral key remembered under the signed prekey (the caller must
  // persist mine); on failure nothing changes. A session start whose ephemeral key this device
  // already accepted is refused as duplicated_message (attack 30).
  struct Accepted;
  [[nodiscard]] static SessionResult<Accepted> accept(const IdentityKeyPair& identity, DeviceKeys& mine,
                                                      std::uint64_t pair, std::span<const std::uint8_t> message,
                                                      RandomSource& random);

  // counter: the sender's per-pair counter for this message (1..kMaxCounter), which the caller
  // keeps across sessions; it travels inside the encryption.
  [[nodiscard]] SessionResult<wire::Bytes> encrypt(PayloadKind kind, std::uint64_t counter,
                                                   std::span<const std::uint8_t> payload);
  [[nodiscard]] SessionResult<Plaintext> decrypt(std::span<const std::uint8_t> message, RandomSource& random);

  std::uint64_t pair() const { return pair_; }
  const wire::IdentityKey& partner_identity() const { return we_initiated_ ? responder_ : initiator_; }
  bool we_initiated() const { return we_initiated_; }
  // A session we started that has not yet decrypted a reply (it still sends prekey messages).
  bool awaiting_reply() const { return pending_prekey_.has_value(); }
  // For a session we answered: the ephemeral key of the prekey message that started it.
  const std::optional<wire::DhPublicKey>& initial_ephemeral() const { return initial_ephemeral_; }
  std::size_t skipped_keys() const { return ratchet_.skipped_count(); }

  // Private to this implementation (PROTOCOL.md §12.6); from_json refuses anything but version 2.
  boost::json::object to_json() const;
  static std::optional<Session> from_json(const boost::json::object& o);

 private:
  Session(Ratchet ratchet, std::uint64_t pair, wire::IdentityKey initiator, wire::IdentityKey responder,
          bool we_initiated)
      : ratchet_(std::move(ratchet)), pair_(pair), initiator_(initiator), responder_(responder),
        we_initiated_(we_initiated) {}

  Ratchet ratchet_;
  std::uint64_t pair_ = 0;
  wire::IdentityKey initiator_{};
  wire::IdentityKey responder_{};
  bool we_initiated_ = false;
  std::optional<PrekeyPart> pending_prekey_;  // sent with every message until the partner answers
  std::optional<wire::DhPublicKey> initial_ephemeral_;
};

struct Session::Accepted {
  Session session;
  Plaintext plaintext;
};

// X3DH's shared key, exposed for the known-answer test.
[[nodiscard]] Key32 x3dh_shared_key(std::span<const SharedSecret> dh_outputs);

}  // namespace mentorlink::device
