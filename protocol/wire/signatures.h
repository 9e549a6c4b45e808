#pragma once
// What the server may do with cryptography: verify signatures, hash, and draw random values.
// It never holds a key that decrypts content; those operations live in protocol/device/.
//
// Every signed message starts with a context string and a 0x00 byte (PROTOCOL.md, "Signatures"),
// so that a signature made for one purpose is never valid for another.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

inline constexpr std::string_view kLoginContext = "mentorlink/v1/login";
inline constexpr std::string_view kEnrollContext = "mentorlink/v1/enroll";
inline constexpr std::string_view kInviteHashContext = "mentorlink/v1/invite";
// Login and enrolment from a web page, which cannot read the TLS exporter: the signature binds the
// Origin of the connection's WebSocket upgrade instead (PROTOCOL.md §4, §5).
inline constexpr std::string_view kWebLoginContext = "mentorlink/v2/web-login";
inline constexpr std::string_view kWebEnrollContext = "mentorlink/v2/web-enroll";
// The longest Origin a web signature may bind (its length is written as u16be).
inline constexpr std::size_t kMaxWebOriginBytes = 512;

// TLS exporter used for channel binding (RFC 9266 "tls-exporter"): label, empty context, 32 bytes.
inline constexpr std::string_view kExporterLabel = "EXPORTER-Channel-Binding";

// context ‖ 0x00 ‖ nonce ‖ exporter ‖ identity_key  (116 bytes)
[[nodiscard]] Bytes login_message(const Nonce& nonce, const ExporterValue& exporter, const IdentityKey& identity);

// context ‖ 0x00 ‖ nonce ‖ exporter ‖ identity_key ‖ invite_hash  (148 bytes)
[[nodiscard]] Bytes enroll_message(const Nonce& nonce, const ExporterValue& exporter, const IdentityKey& identity,
                                  const Hash& invite_hash);

// context ‖ 0x00 ‖ nonce ‖ u16be(origin length) ‖ origin ‖ identity_key  (90 + origin bytes).
// origin is the exact ASCII Origin header, at most kMaxWebOriginBytes.
[[nodiscard]] Bytes web_login_message(const Nonce& nonce, std::string_view origin, const IdentityKey& identity);

// context ‖ 0x00 ‖ nonce ‖ u16be(origin length) ‖ origin ‖ identity_key ‖ invite_hash  (123 + origin bytes).
[[nodiscard]] Bytes web_enroll_message(const Nonce& nonce, std::string_view origin, const IdentityKey& identity,
                                       const Hash& invite_hash);

// Ed25519 verification (libsodium crypto_sign_verify_detached; rejects small-order keys).
[[nodiscard]] bool verify_signature(const IdentityKey& key, std::span<const std::uint8_t> message,
                                    const Signature& signature);

// BLAKE2b-256 of context ‖ 0x00 ‖ code. The server stores only this.
[[nodiscard]] Hash invite_code_hash(std::string_view code);

// 20 random bytes as 32 lowercase base32 characters (RFC 4648 alphabet, no padding).
[[nodiscard]] std::string new_invite_code();

inline constexpr std::size_t kInviteCodeChars = 32;
// An invite code as a person may type it (any case, with spaces or dashes) in the only form the
// wire carries: 32 characters a-z and 2-7. Empty if it cannot be one.
[[nodiscard]] std::optional<std::string> canonical_invite_code(std::string_view typed);

[[nodiscard]] Nonce random_nonce();

// SHA-256 of bytes as 64 lowercase hex digits (the web app bundle's published hash).
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

// BLAKE2b-256 of context ‖ 0x00 ‖ text: how the server stores a secret it must recognise but
// never keep (dashboard links and session ids).
[[nodiscard]] Hash context_hash(std::string_view context, std::string_view text);

// Constant-time comparison of equal-length values.
[[nodiscard]] bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace mentorlink::wire
