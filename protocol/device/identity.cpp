#include "protocol/device/identity.h"

#include <sodium.h>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {

IdentityKeyPair::IdentityKeyPair() : seed_(kIdentitySeedBytes), secret_key_(crypto_sign_SECRETKEYBYTES) {}

IdentityKeyPair IdentityKeyPair::generate() {
  wire::ensure_sodium();
  SecureBuffer seed(kIdentitySeedBytes);
  randombytes_buf(seed.data(), seed.size());
  return from_seed(std::span<const std::uint8_t, kIdentitySeedBytes>(seed.data(), kIdentitySeedBytes));
}

IdentityKeyPair IdentityKeyPair::from_seed(std::span<const std::uint8_t, kIdentitySeedBytes> seed) {
  wire::ensure_sodium();
  IdentityKeyPair kp;
  std::copy(seed.begin(), seed.end(), kp.seed_.data());
  crypto_sign_seed_keypair(kp.public_key_.data(), kp.secret_key_.data(), kp.seed_.data());
  return kp;
}

wire::Signature IdentityKeyPair::sign(std::span<const std::uint8_t> message) const {
  wire::Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

}  // namespace mentorlink::device
