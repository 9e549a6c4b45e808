#pragma once
// HKDF-SHA256 (RFC 5869) on libsodium's HMAC-SHA256; libsodium 1.0.18 has no crypto_kdf_hkdf_*.
// Known-answer tests: RFC 5869 appendix A, cases 1-3 (tests/unit/hkdf_test.cpp).

#include <array>
#include <cstdint>
#include <span>

#include "protocol/wire/bytes.h"

namespace mentorlink::device {

using Prk = std::array<std::uint8_t, 32>;

// HKDF-Extract(salt, ikm). An empty salt means 32 zero bytes, as the RFC says.
[[nodiscard]] Prk hkdf_extract(std::span<const std::uint8_t> salt, std::span<const std::uint8_t> ikm);

// HKDF-Expand(prk, info, out.size()); out.size() must be at most 255 * 32.
void hkdf_expand(const Prk& prk, std::span<const std::uint8_t> info, std::span<std::uint8_t> out);

// Extract then expand.
void hkdf(std::span<const std::uint8_t> salt, std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> info,
          std::span<std::uint8_t> out);

// HMAC-SHA256(key, data).
[[nodiscard]] std::array<std::uint8_t, 32> hmac_sha256(std::span<const std::uint8_t> key,
                                                       std::span<const std::uint8_t> data);

}  // namespace mentorlink::device
