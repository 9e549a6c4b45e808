#pragma once
// The Double Ratchet's key schedule (Signal's specification), without message formats or AEAD:
// session.h builds messages on top. KDF_RK, KDF_CK and the per-message keys are exposed for the
// known-answer tests (PROTOCOL.md, "Double Ratchet").
//
//   KDF_RK(rk, dh)  = HKDF-SHA256(salt = rk, ikm = dh, info = "mentorlink/v2/ratchet-root", 64) → rk' ‖ ck
//   KDF_CK(ck)      = (ck' = HMAC-SHA256(ck, 0x02), mk = HMAC-SHA256(ck, 0x01))
//   message keys    = HKDF-SHA256(salt = 32 zero bytes, ikm = mk, info = "mentorlink/v2/message-keys", 56)
//                     → aead key(32) ‖ nonce(24)

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <deque>
#include <optional>

#include "protocol/device/random_source.h"
#include "protocol/device/session_error.h"
#include "protocol/device/x25519.h"

namespace mentorlink::device {

// 32 secret bytes, wiped on destruction.
struct Key32 {
  std::array<std::uint8_t, 32> bytes{};
  Key32() = default;
  explicit Key32(const std::array<std::uint8_t, 32>& b) : bytes(b) {}
  Key32(const Key32&) = default;
  Key32& operator=(const Key32&) = default;
  ~Key32();
};

inline constexpr std::uint32_t kMaxSkip = 1000;           // largest gap one header may claim
inline constexpr std::size_t kMaxStoredSkipped = 2000;    // skipped keys kept per session

struct ChainStep {
  Key32 next_chain_key;
  Key32 message_key;
};
struct RootStep {
  Key32 root_key;
  Key32 chain_key;
};
struct MessageKeys {
  std::array<std::uint8_t, 32> key{};
  std::array<std::uint8_t, 24> nonce{};
  ~MessageKeys();
};

[[nodiscard]] RootStep kdf_rk(const Key32& root_key, const SharedSecret& dh_output);
[[nodiscard]] ChainStep kdf_ck(const Key32& chain_key);
[[nodiscard]] MessageKeys message_keys(const Key32& message_key);

struct Header {
  wire::DhPublicKey dh{};
  std::uint32_t pn = 0;  // messages in the previous sending chain
  std::uint32_t n = 0;   // number of this message in its chain
};

class Ratchet {
 public:
  // The initiator knows the responder's signed prekey, which serves as the first ratchet key.
  [[nodiscard]] static SessionResult<Ratchet> initiator(const Key32& shared_key, const wire::DhPublicKey& their_ratchet,
                                                        RandomSource& random);
  // The responder's first ratchet key pair is its signed prekey.
  [[nodiscard]] static Ratchet responder(const Key32& shared_key, const DhKeyPair& signed_prekey);

  struct Sending {
    Header header;
    Key32 message_key;
  };
  // The header and key for the next outgoing message; advances the sending chain. Fails with
  // cannot_send_yet (and changes nothing) for a responder that has not received a message.
  [[nodiscard]] SessionResult<Sending> next_sending();

  // The key for an incoming header, performing a DH ratchet step and storing skipped keys as
  // needed. Mutates this object even when the caller later finds the message forged: decrypt on a
  // copy and keep it only if authentication succeeds. A header that names the current receiving
  // ratchet key before a receiving chain exists (the initiator's DHr is the partner's signed
  // prekey until the first reply) is invalid_message.
  [[nodiscard]] SessionResult<Key32> receiving_key(const Header& header, RandomSource& random);

  bool has_received() const { return received_any_; }
  std::size_t skipped_count() const { return skipped_.size(); }

  boost::json::object to_json() const;
  static std::optional<Ratchet> from_json(const boost::json::object& o);

 private:
  struct Skipped {
    wire::DhPublicKey dh{};
    std::uint32_t n = 0;
    Key32 message_key;
  };
  Ratchet(DhKeyPair self, const Key32& root) : dh_self_(std::move(self)), root_key_(root) {}
  // Stores keys of the receiving chain up to (not including) until. Fails if the gap is too big.
  [[nodiscard]] bool skip_until(std::uint32_t until);

  // Invariants (from_json refuses state that breaks them): receive_chain_ implies dh_remote_.
  DhKeyPair dh_self_;
  std::optional<wire::DhPublicKey> dh_remote_;
  Key32 root_key_;
  std::optional<Key32> send_chain_;
  std::optional<Key32> receive_chain_;
  std::uint32_t send_n_ = 0;
  std::uint32_t receive_n_ = 0;
  std::uint32_t previous_n_ = 0;
  bool received_any_ = false;
  std::deque<Skipped> skipped_;  // oldest first; capped at kMaxStoredSkipped
};

}  // namespace mentorlink::device
