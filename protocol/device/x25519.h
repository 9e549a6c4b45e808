#pragma once
// X25519 key pairs and Diffie-Hellman (libsodium crypto_scalarmult).

#include <array>
#include <cstdint>
#include <optional>

#include "protocol/device/random_source.h"
#include "protocol/device/secure_buffer.h"
#include "protocol/wire/prekeys.h"

namespace mentorlink::device {

using SharedSecret = std::array<std::uint8_t, 32>;

class DhKeyPair {
 public:
  [[nodiscard]] static DhKeyPair generate(RandomSource& random = system_random());
  [[nodiscard]] static DhKeyPair from_secret(std::span<const std::uint8_t, 32> secret);

  const wire::DhPublicKey& public_key() const noexcept { return public_key_; }
  std::span<const std::uint8_t> secret() const noexcept { return secret_.view(); }

  // nullopt if the peer key is of low order (the shared secret would be all zeros).
  [[nodiscard]] std::optional<SharedSecret> dh(const wire::DhPublicKey& peer) const;

  DhKeyPair clone() const;
  DhKeyPair(const DhKeyPair& other);
  DhKeyPair& operator=(const DhKeyPair& other);
  DhKeyPair(DhKeyPair&&) noexcept = default;
  DhKeyPair& operator=(DhKeyPair&&) noexcept = default;

 private:
  DhKeyPair() : secret_(32) {}
  wire::DhPublicKey public_key_{};
  SecureBuffer secret_;
};

}  // namespace mentorlink::device
