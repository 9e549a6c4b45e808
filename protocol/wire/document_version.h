#pragma once
// The public parts of an end-to-end encrypted document version (PROTOCOL.md §14): the header the
// server may read, the hash that chains versions, and the signed messages for version authorship
// and contract signatures. Encryption and decryption live in protocol/device/document_cipher.h.
//
//   identity  = u64be(pair) ‖ u64be(document) ‖ u8(kind) ‖ u64be(meeting) ‖ u64be(owner)        33 bytes
//   header    = 02 ‖ identity ‖ u32be(version) ‖ previous_hash(32) ‖ author_identity_key(32)
//               ‖ key_id(16) ‖ nonce(24)                                                      142 bytes
//   body      = header ‖ ciphertext
//   hash      = BLAKE2b-256("mentorlink/v2/document-version" ‖ 00 ‖ body)
//   version signature  = Ed25519 over "mentorlink/v2/document-signature" ‖ 00 ‖ identity ‖ u32be(version) ‖ hash
//   contract signature = Ed25519 over "mentorlink/v2/contract" ‖ 00 ‖ u64be(pair) ‖ u64be(document)
//                        ‖ u32be(version) ‖ hash

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

inline constexpr std::uint8_t kDocumentVersionFormat = 0x02;
// The format byte of versions written by protocol version 1 clients: recognised only to say so.
inline constexpr std::uint8_t kDocumentVersionFormatV1 = 0x01;
inline constexpr std::size_t kDocumentKeyIdBytes = 16;
inline constexpr std::size_t kDocumentNonceBytes = 24;
inline constexpr std::size_t kDocumentIdentityBytes = 8 + 8 + 1 + 8 + 8;  // 33
inline constexpr std::size_t kDocumentHeaderBytes = 1 + kDocumentIdentityBytes + 4 + 32 + 32 + 16 + 24;  // 142
inline constexpr std::size_t kDocumentTagBytes = 16;
inline constexpr std::uint32_t kMaxDocumentVersion = 1'000'000;
// Padded plaintext buckets: 64, 128, ... up to this (§14.1).
inline constexpr std::size_t kMinDocumentBucket = 64;
inline constexpr std::size_t kMaxDocumentBucket = 65536;

inline constexpr std::string_view kDocumentVersionHashContext = "mentorlink/v2/document-version";
inline constexpr std::string_view kDocumentSignatureContext = "mentorlink/v2/document-signature";
inline constexpr std::string_view kContractSignatureContext = "mentorlink/v2/contract";

// What a document is for (PRODUCT.md, "Content and metadata"). The numbers are wire values.
enum class DocumentKind : std::uint8_t { agenda = 1, contract = 2, goals = 3, feedback = 4, reflection = 5 };

std::string_view to_string(DocumentKind kind) noexcept;
std::optional<DocumentKind> document_kind_from_string(std::string_view s) noexcept;
std::optional<DocumentKind> document_kind_from_byte(std::uint8_t b) noexcept;
// Agenda and feedback belong to a meeting; feedback and reflection belong to one member (their owner).
[[nodiscard]] bool kind_has_meeting(DocumentKind kind) noexcept;
[[nodiscard]] bool kind_has_owner(DocumentKind kind) noexcept;

// Which document a version belongs to. meeting and owner are 0 where the kind has none; an
// identity is well-formed when they are non-zero exactly where the kind has them.
struct DocumentIdentity {
  std::uint64_t pair = 0;
  std::uint64_t document = 0;
  DocumentKind kind = DocumentKind::agenda;
  std::uint64_t meeting = 0;  // member-visible meeting id, or 0
  std::uint64_t owner = 0;    // member id of the feedback's or reflection's owner, or 0
  friend bool operator==(const DocumentIdentity&, const DocumentIdentity&) = default;
};
[[nodiscard]] bool well_formed(const DocumentIdentity& identity) noexcept;

using DocumentKeyId = std::array<std::uint8_t, kDocumentKeyIdBytes>;
using DocumentNonce = std::array<std::uint8_t, kDocumentNonceBytes>;

struct DocumentVersionHeader {
  DocumentIdentity identity;
  std::uint32_t version = 0;  // from 1
  Hash previous{};            // hash of version − 1; 32 zero bytes for version 1
  IdentityKey author{};
  DocumentKeyId key_id{};
  DocumentNonce nonce{};
};

[[nodiscard]] Bytes encode_document_header(const DocumentVersionHeader& header);
// nullopt unless body is at least a header plus an AEAD tag, starts with the v2 format byte,
// names a known kind with a well-formed identity, and a version from 1 to kMaxDocumentVersion.
[[nodiscard]] std::optional<DocumentVersionHeader> parse_document_header(std::span<const std::uint8_t> body);
// True if body starts with the format byte of protocol version 1 (such versions are refused).
[[nodiscard]] bool is_v1_document_version(std::span<const std::uint8_t> body) noexcept;
// True if a ciphertext of this many bytes is a padded bucket plus the AEAD tag.
[[nodiscard]] bool is_padded_ciphertext_size(std::size_t ciphertext_bytes) noexcept;

[[nodiscard]] Hash document_version_hash(std::span<const std::uint8_t> body);
[[nodiscard]] Bytes document_signature_message(const DocumentIdentity& identity, std::uint32_t version,
                                              const Hash& version_hash);
[[nodiscard]] Bytes contract_signature_message(std::uint64_t pair, std::uint64_t document, std::uint32_t version,
                                              const Hash& version_hash);

}  // namespace mentorlink::wire
