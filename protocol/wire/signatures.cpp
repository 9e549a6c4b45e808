#include "protocol/wire/signatures.h"

#include <sodium.h>

#include <array>
#include <stdexcept>

#include "protocol/wire/base64url.h"
#include "protocol/wire/sodium.h"

namespace mentorlink::wire {
namespace {

void append(Bytes& out, std::span<const std::uint8_t> part) { out.insert(out.end(), part.begin(), part.end()); }

void append_context(Bytes& out, std::string_view context) {
  out.insert(out.end(), context.begin(), context.end());
  out.push_back(0x00);
}

void append_origin(Bytes& out, std::string_view origin) {
  if (origin.size() > kMaxWebOriginBytes) throw std::invalid_argument("web origin longer than kMaxWebOriginBytes");
  out.push_back(static_cast<std::uint8_t>(origin.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(origin.size() & 0xFF));
  out.insert(out.end(), origin.begin(), origin.end());
}

}  // namespace

Bytes login_message(const Nonce& nonce, const ExporterValue& exporter, const IdentityKey& identity) {
  Bytes out;
  out.reserve(kLoginContext.size() + 1 + nonce.size() + exporter.size() + identity.size());
  append_context(out, kLoginContext);
  append(out, nonce);
  append(out, exporter);
  append(out, identity);
  return out;
}

Bytes enroll_message(const Nonce& nonce, const ExporterValue& exporter, const IdentityKey& identity,
                    const Hash& invite_hash) {
  Bytes out;
  append_context(out, kEnrollContext);
  append(out, nonce);
  append(out, exporter);
  append(out, identity);
  append(out, invite_hash);
  return out;
}

Bytes web_login_message(const Nonce& nonce, std::string_view origin, const IdentityKey& identity) {
  Bytes out;
  append_context(out, kWebLoginContext);
  append(out, nonce);
  append_origin(out, origin);
  append(out, identity);
  return out;
}

Bytes web_enroll_message(const Nonce& nonce, std::string_view origin, const IdentityKey& identity,
                         const Hash& invite_hash) {
  Bytes out;
  append_context(out, kWebEnrollContext);
  append(out, nonce);
  append_origin(out, origin);
  append(out, identity);
  append(out, invite_hash);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  ensure_sodium();
  std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return hex_encode(digest);
}

bool verify_signature(const IdentityKey& key, std::span<const std::uint8_t> message, const Signature& signature) {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.data()) == 0;
}

Hash invite_code_hash(std::string_view code) {
  ensure_sodium();
  Bytes input;
  append_context(input, kInviteHashContext);
  input.insert(input.end(), code.begin(), code.end());
  Hash out{};
  crypto_generichash(out.data(), out.size(), input.data(), input.size(), nullptr, 0);
  return out;
}

std::optional<std::string> canonical_invite_code(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    if (c == ' ' || c == '-') continue;
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (!((lower >= 'a' && lower <= 'z') || (lower >= '2' && lower <= '7'))) return std::nullopt;
    out += lower;
  }
  if (out.size() != kInviteCodeChars) return std::nullopt;
  return out;
}

std::string new_invite_code() {
  ensure_sodium();
  static constexpr std::string_view kBase32 = "abcdefghijklmnopqrstuvwxyz234567";
  std::array<std::uint8_t, 20> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (auto b : raw) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += kBase32[(acc >> bits) & 31];
    }
  }
  sodium_memzero(raw.data(), raw.size());
  return out;
}

Hash context_hash(std::string_view context, std::string_view text) {
  ensure_sodium();
  Bytes input;
  append_context(input, context);
  input.insert(input.end(), text.begin(), text.end());
  Hash out{};
  crypto_generichash(out.data(), out.size(), input.data(), input.size(), nullptr, 0);
  return out;
}

Nonce random_nonce() {
  ensure_sodium();
  Nonce n{};
  randombytes_buf(n.data(), n.size());
  return n;
}

bool equal_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  ensure_sodium();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mentorlink::wire
