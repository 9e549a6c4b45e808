#include "protocol/device/x25519.h"

#include <sodium.h>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {

DhKeyPair DhKeyPair::generate(RandomSource& random) {
  wire::ensure_sodium();
  DhKeyPair kp;
  random.fill(std::span<std::uint8_t>(kp.secret_.data(), kp.secret_.size()));
  crypto_scalarmult_base(kp.public_key_.data(), kp.secret_.data());
  return kp;
}

DhKeyPair DhKeyPair::from_secret(std::span<const std::uint8_t, 32> secret) {
  wire::ensure_sodium();
  DhKeyPair kp;
  std::copy(secret.begin(), secret.end(), kp.secret_.data());
  crypto_scalarmult_base(kp.public_key_.data(), kp.secret_.data());
  return kp;
}

std::optional<SharedSecret> DhKeyPair::dh(const wire::DhPublicKey& peer) const {
  SharedSecret out{};
  if (crypto_scalarmult(out.data(), secret_.data(), peer.data()) != 0) return std::nullopt;
  return out;
}

DhKeyPair::DhKeyPair(const DhKeyPair& other) : public_key_(other.public_key_), secret_(32) {
  std::copy(other.secret_.view().begin(), other.secret_.view().end(), secret_.data());
}

DhKeyPair& DhKeyPair::operator=(const DhKeyPair& other) {
  if (this != &other) {
    public_key_ = other.public_key_;
    std::copy(other.secret_.view().begin(), other.secret_.view().end(), secret_.data());
  }
  return *this;
}

DhKeyPair DhKeyPair::clone() const {
  return from_secret(std::span<const std::uint8_t, 32>(secret_.data(), 32));
}

}  // namespace mentorlink::device
