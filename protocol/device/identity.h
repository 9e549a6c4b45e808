#pragma once
// A member's Ed25519 identity key pair. Made on the device; the secret never leaves it.

#include <cstdint>
#include <span>

#include "protocol/device/secure_buffer.h"
#include "protocol/wire/bytes.h"

namespace mentorlink::device {

inline constexpr std::size_t kIdentitySeedBytes = 32;

class IdentityKeyPair {
 public:
  [[nodiscard]] static IdentityKeyPair generate();
  // Deterministic from a 32-byte seed (key store and test vectors).
  [[nodiscard]] static IdentityKeyPair from_seed(std::span<const std::uint8_t, kIdentitySeedBytes> seed);

  const wire::IdentityKey& public_key() const noexcept { return public_key_; }
  std::span<const std::uint8_t> seed() const noexcept { return seed_.view(); }

  [[nodiscard]] wire::Signature sign(std::span<const std::uint8_t> message) const;

 private:
  IdentityKeyPair();
  wire::IdentityKey public_key_{};
  SecureBuffer seed_;
  SecureBuffer secret_key_;  // libsodium's 64-byte form: seed ‖ public key
};

}  // namespace mentorlink::device
