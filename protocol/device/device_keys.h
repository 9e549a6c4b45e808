#pragma once
// A device's X3DH secrets: the X25519 identity-DH key, signed prekeys and one-time prekeys.
// Public halves go to the server (keys.publish); secrets stay in the device's encrypted state.

#include <boost/json/object.hpp>
#include <deque>
#include <map>
#include <vector>

#include "protocol/device/identity.h"
#include "protocol/device/x25519.h"
#include "protocol/wire/prekeys.h"

namespace mentorlink::device {

inline constexpr std::size_t kOneTimePrekeyBatch = 50;        // uploaded at enrolment and on refill
inline constexpr std::size_t kOneTimePrekeyLowWater = 10;     // the server says "low" below this
inline constexpr std::int64_t kSignedPrekeyRotationMs = 7LL * 24 * 60 * 60 * 1000;
inline constexpr std::size_t kSignedPrekeysKept = 3;          // current and older, for late prekey messages
// Ephemeral keys of accepted prekey messages remembered per signed prekey, until it is retired, so
// a replayed session start is refused (attack 30). Beyond this the oldest is forgotten; the per-pair
// counter inside the encryption still refuses a replay of its content.
inline constexpr std::size_t kAcceptedSessionStartsKept = 1000;

class DeviceKeys {
 public:
  [[nodiscard]] static DeviceKeys generate(const IdentityKeyPair& identity, std::int64_t now_ms,
                                           RandomSource& random = system_random());

  // Fresh one-time prekeys with new ids; returns the public halves to upload.
  std::vector<wire::OneTimePrekey> add_one_time_prekeys(std::size_t count, RandomSource& random = system_random());
  // A new signed prekey becomes current; the oldest beyond kSignedPrekeysKept are forgotten.
  wire::SignedPrekey rotate_signed_prekey(const IdentityKeyPair& identity, std::int64_t now_ms,
                                          RandomSource& random = system_random());
  bool signed_prekey_due(std::int64_t now_ms) const { return now_ms - current_created_at_ >= kSignedPrekeyRotationMs; }

  const DhKeyPair& identity_dh() const { return identity_dh_; }
  const wire::Signature& identity_dh_signature() const { return identity_dh_signature_; }
  wire::SignedPrekey current_signed_prekey() const;
  const DhKeyPair* signed_prekey(wire::PrekeyId id) const;
  const DhKeyPair* one_time_prekey(wire::PrekeyId id) const;
  void erase_one_time_prekey(wire::PrekeyId id) { one_time_.erase(id); }
  // Whether a prekey message with this ephemeral key was accepted under signed prekey spk.
  bool accepted_before(wire::PrekeyId spk, const wire::DhPublicKey& ephemeral) const;
  void remember_accepted(wire::PrekeyId spk, const wire::DhPublicKey& ephemeral);
  std::size_t one_time_count() const { return one_time_.size(); }
  std::vector<wire::OneTimePrekey> one_time_public() const;

  boost::json::object to_json() const;
  static std::optional<DeviceKeys> from_json(const boost::json::object& o);

 private:
  DeviceKeys(DhKeyPair identity_dh, wire::Signature sig) : identity_dh_(std::move(identity_dh)), identity_dh_signature_(sig) {}

  struct SignedPrekeySecret {
    DhKeyPair pair;
    wire::Signature signature{};
    std::int64_t created_at = 0;
    std::deque<wire::DhPublicKey> accepted;  // oldest first; at most kAcceptedSessionStartsKept
  };

  DhKeyPair identity_dh_;
  wire::Signature identity_dh_signature_{};
  std::map<wire::PrekeyId, SignedPrekeySecret> signed_;  // by id; the highest id is current
  std::int64_t current_created_at_ = 0;
  std::map<wire::PrekeyId, DhKeyPair> one_time_;
  wire::PrekeyId next_id_ = 1;
};

}  // namespace mentorlink::device
