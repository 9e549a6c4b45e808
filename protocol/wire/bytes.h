#pragma once
// Byte containers used across the wire format. Fixed sizes live in the types.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace mentorlink::wire {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kPublicKeyBytes = 32;   // Ed25519 / X25519 public key
inline constexpr std::size_t kSignatureBytes = 64;   // Ed25519 signature
inline constexpr std::size_t kNonceBytes = 32;       // login challenge
inline constexpr std::size_t kExporterBytes = 32;    // TLS exporter (RFC 9266)
inline constexpr std::size_t kHashBytes = 32;        // BLAKE2b-256

using IdentityKey = std::array<std::uint8_t, kPublicKeyBytes>;
using Signature = std::array<std::uint8_t, kSignatureBytes>;
using Nonce = std::array<std::uint8_t, kNonceBytes>;
using ExporterValue = std::array<std::uint8_t, kExporterBytes>;
using Hash = std::array<std::uint8_t, kHashBytes>;

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace mentorlink::wire
