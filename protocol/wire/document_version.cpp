#include "protocol/wire/document_version.h"

#include <sodium.h>

#include <algorithm>

#include "protocol/wire/sodium.h"

namespace mentorlink::wire {
namespace {

constexpr std::array<std::pair<DocumentKind, std::string_view>, 5> kKindNames{{
    {DocumentKind::agenda, "agenda"},
    {DocumentKind::contract, "contract"},
    {DocumentKind::goals, "goals"},
    {DocumentKind::feedback, "feedback"},
    {DocumentKind::reflection, "reflection"},
}};

void append_be(Bytes& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint64_t read_be(std::span<const std::uint8_t> in, std::size_t offset, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | in[offset + static_cast<std::size_t>(i)];
  return v;
}

void append(Bytes& out, std::span<const std::uint8_t> part) { out.insert(out.end(), part.begin(), part.end()); }

void append_context(Bytes& out, std::string_view context) {
  out.insert(out.end(), context.begin(), context.end());
  out.push_back(0x00);
}

void append_identity(Bytes& out, const DocumentIdentity& id) {
  append_be(out, id.pair, 8);
  append_be(out, id.document, 8);
  out.push_back(static_cast<std::uint8_t>(id.kind));
  append_be(out, id.meeting, 8);
  append_be(out, id.owner, 8);
}

template <std::size_t N>
std::array<std::uint8_t, N> take(std::span<const std::uint8_t> in, std::size_t offset) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(offset), N, out.begin());
  return out;
}

}  // namespace

std::string_view to_string(DocumentKind kind) noexcept {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<DocumentKind> document_kind_from_string(std::string_view s) noexcept {
  for (const auto& [k, name] : kKindNames) {
    if (name == s) return k;
  }
  return std::nullopt;
}

std::optional<DocumentKind> document_kind_from_byte(std::uint8_t b) noexcept {
  if (b < 1 || b > kKindNames.size()) return std::nullopt;
  return static_cast<DocumentKind>(b);
}

bool kind_has_meeting(DocumentKind kind) noexcept {
  return kind == DocumentKind::agenda || kind == DocumentKind::feedback;
}

bool kind_has_owner(DocumentKind kind) noexcept {
  return kind == DocumentKind::feedback || kind == DocumentKind::reflection;
}

bool well_formed(const DocumentIdentity& id) noexcept {
  return id.pair != 0 && id.document != 0 && (id.meeting != 0) == kind_has_meeting(id.kind) &&
         (id.owner != 0) == kind_has_owner(id.kind);
}

Bytes encode_document_header(const DocumentVersionHeader& h) {
  Bytes out;
  out.reserve(kDocumentHeaderBytes);
  out.push_back(kDocumentVersionFormat);
  append_identity(out, h.identity);
  append_be(out, h.version, 4);
  append(out, h.previous);
  append(out, h.author);
  append(out, h.key_id);
  append(out, h.nonce);
  return out;
}

std::optional<DocumentVersionHeader> parse_document_header(std::span<const std::uint8_t> body) {
  if (body.size() < kDocumentHeaderBytes + kDocumentTagBytes || body[0] != kDocumentVersionFormat) return std::nullopt;
  DocumentVersionHeader h;
  h.identity.pair = read_be(body, 1, 8);
  h.identity.document = read_be(body, 9, 8);
  const auto kind = document_kind_from_byte(body[17]);
  if (!kind) return std::nullopt;
  h.identity.kind = *kind;
  h.identity.meeting = read_be(body, 18, 8);
  h.identity.owner = read_be(body, 26, 8);
  if (!well_formed(h.identity)) return std::nullopt;
  h.version = static_cast<std::uint32_t>(read_be(body, 34, 4));
  if (h.version == 0 || h.version > kMaxDocumentVersion) return std::nullopt;
  h.previous = take<kHashBytes>(body, 38);
  h.author = take<kPublicKeyBytes>(body, 70);
  h.key_id = take<kDocumentKeyIdBytes>(body, 102);
  h.nonce = take<kDocumentNonceBytes>(body, 118);
  return h;
}

bool is_v1_document_version(std::span<const std::uint8_t> body) noexcept {
  return !body.empty() && body[0] == kDocumentVersionFormatV1;
}

bool is_padded_ciphertext_size(std::size_t ciphertext_bytes) noexcept {
  if (ciphertext_bytes < kDocumentTagBytes) return false;
  const std::size_t padded = ciphertext_bytes - kDocumentTagBytes;
  for (std::size_t bucket = kMinDocumentBucket; bucket <= kMaxDocumentBucket; bucket *= 2) {
    if (padded == bucket) return true;
  }
  return false;
}

Hash document_version_hash(std::span<const std::uint8_t> body) {
  ensure_sodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashBytes);
  Bytes prefix;
  append_context(prefix, kDocumentVersionHashContext);
  crypto_generichash_update(&state, prefix.data(), prefix.size());
  crypto_generichash_update(&state, body.data(), body.size());
  Hash out{};
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

Bytes document_signature_message(const DocumentIdentity& identity, std::uint32_t version, const Hash& version_hash) {
  Bytes out;
  append_context(out, kDocumentSignatureContext);
  append_identity(out, identity);
  append_be(out, version, 4);
  append(out, version_hash);
  return out;
}

Bytes contract_signature_message(std::uint64_t pair, std::uint64_t document, std::uint32_t version,
                                 const Hash& version_hash) {
  Bytes out;
  append_context(out, kContractSignatureContext);
  append_be(out, pair, 8);
  append_be(out, document, 8);
  append_be(out, version, 4);
  append(out, version_hash);
  return out;
}

}  // namespace mentorlink::wire
