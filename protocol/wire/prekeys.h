#pragma once
// Public key material a device publishes for X3DH (PROTOCOL.md, "Keys"), and the signatures
// that bind it to the member's Ed25519 identity key. The server checks these signatures on
// publish; clients check them again on fetch and refuse a bundle that does not verify.

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

inline constexpr std::string_view kIdentityDhContext = "mentorlink/v1/identity-dh";
inline constexpr std::string_view kSignedPrekeyContext = "mentorlink/v1/signed-prekey";

using DhPublicKey = std::array<std::uint8_t, 32>;  // X25519
using DeviceId = std::int64_t;
using PrekeyId = std::uint32_t;

struct SignedPrekey {
  PrekeyId id = 0;
  DhPublicKey key{};
  Signature signature{};
};

struct OneTimePrekey {
  PrekeyId id = 0;
  DhPublicKey key{};
};

// What an initiator needs to start a session with a device.
struct PrekeyBundle {
  IdentityKey identity_key{};  // Ed25519
  DeviceId device = 1;
  DhPublicKey identity_dh_key{};
  Signature identity_dh_signature{};
  SignedPrekey signed_prekey;
  std::optional<OneTimePrekey> one_time_prekey;
};

// context ‖ 0x00 ‖ identity_dh_key(32)
[[nodiscard]] Bytes identity_dh_message(const DhPublicKey& identity_dh_key);
// context ‖ 0x00 ‖ u32be(id) ‖ key(32)
[[nodiscard]] Bytes signed_prekey_message(PrekeyId id, const DhPublicKey& key);

// Both signatures in the bundle verify under its identity key.
[[nodiscard]] bool verify_bundle(const PrekeyBundle& bundle);

}  // namespace mentorlink::wire
