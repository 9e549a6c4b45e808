#include "protocol/device/hkdf.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {

std::array<std::uint8_t, 32> hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  wire::ensure_sodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, data.data(), data.size());
  std::array<std::uint8_t, 32> out{};
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

Prk hkdf_extract(std::span<const std::uint8_t> salt, std::span<const std::uint8_t> ikm) {
  static constexpr std::array<std::uint8_t, 32> kZeroSalt{};
  return hmac_sha256(salt.empty() ? std::span<const std::uint8_t>(kZeroSalt) : salt, ikm);
}

void hkdf_expand(const Prk& prk, std::span<const std::uint8_t> info, std::span<std::uint8_t> out) {
  if (out.size() > 255 * 32) throw std::invalid_argument("HKDF output too long");
  wire::ensure_sodium();
  std::array<std::uint8_t, 32> block{};
  std::size_t block_len = 0;
  std::size_t written = 0;
  for (std::uint8_t counter = 1; written < out.size(); ++counter) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, prk.data(), prk.size());
    crypto_auth_hmacsha256_update(&state, block.data(), block_len);
    crypto_auth_hmacsha256_update(&state, info.data(), info.size());
    crypto_auth_hmacsha256_update(&state, &counter, 1);
    crypto_auth_hmacsha256_final(&state, block.data());
    sodium_memzero(&state, sizeof state);
    block_len = block.size();
    const std::size_t n = std::min(block.size(), out.size() - written);
    std::copy_n(block.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(written));
    written += n;
  }
  sodium_memzero(block.data(), block.size());
}

void hkdf(std::span<const std::uint8_t> salt, std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> info,
          std::span<std::uint8_t> out) {
  Prk prk = hkdf_extract(salt, ikm);
  hkdf_expand(prk, info, out);
  sodium_memzero(prk.data(), prk.size());
}

}  // namespace mentorlink::device
