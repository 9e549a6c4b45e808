#pragma once
// The public parts of an end-to-end encrypted document version (PROTOCOL.md §14): the header the
// server may read, the hash that chains versions, and the signed messages for version authorship
// and contract signatures. Encryption and decryption live in protocol/device/document_cipher.h.
//
//   header    = 01 ‖ u64be(pair) ‖ u64be(document) ‖ u8(kind) ‖ u32be(version) ‖ previous_hash(32)
//               ‖ author_identity_key(32) ‖ key_id(16) ‖ nonce(24)                          126 bytes
//   body      = header ‖ ciphertext
//   hash      = BLAKE2b-256("mentorlink/v1/document-version" ‖ 00 ‖ body)
//   version signature  = Ed25519 over "mentorlink/v1/document-signature" ‖ 00 ‖ hash
//   contract signature = Ed25519 over "mentorlink/v1/contract" ‖ 00 ‖ u64be(pair) ‖ u64be(document)
//                        ‖ u32be(version) ‖ hash

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

inline constexpr std::uint8_t kDocumentVersionFormat = 0x01;
inline constexpr std::size_t kDocumentKeyIdBytes = 16;
inline constexpr std::size_t kDocumentNonceBytes = 24;
inline constexpr std::size_t kDocumentHeaderBytes = 1 + 8 + 8 + 1 + 4 + 32 + 32 + 16 + 24;  // 126
inline constexpr std::size_t kDocumentTagBytes = 16;
inline constexpr std::uint32_t kMaxDocumentVersion = 1'000'000;

inline constexpr std::string_view kDocumentVersionHashContext = "mentorlink/v1/document-version";
inline constexpr std::string_view kDocumentSignatureContext = "mentorlink/v1/document-signature";
inline constexpr std::string_view kContractSignatureContext = "mentorlink/v1/contract";

// What a document is for (PRODUCT.md, "Content and metadata"). The numbers are wire values.
enum class DocumentKind : std::uint8_t { agenda = 1, contract = 2, goals = 3, feedback = 4, reflection = 5 };

std::string_view to_string(DocumentKind kind) noexcept;
std::optional<DocumentKind> document_kind_from_string(std::string_view s) noexcept;
std::optional<DocumentKind> document_kind_from_byte(std::uint8_t b) noexcept;

using DocumentKeyId = std::array<std::uint8_t, kDocumentKeyIdBytes>;
using DocumentNonce = std::array<std::uint8_t, kDocumentNonceBytes>;

struct DocumentVersionHeader {
  std::uint64_t pair = 0;
  std::uint64_t document = 0;
  DocumentKind kind = DocumentKind::agenda;
  std::uint32_t version = 0;  // from 1
  Hash previous{};            // hash of version − 1; 32 zero bytes for version 1
  IdentityKey author{};
  DocumentKeyId key_id{};
  DocumentNonce nonce{};
};

[[nodiscard]] Bytes encode_document_header(const DocumentVersionHeader& header);
// nullopt unless body is at least a header plus an AEAD tag, starts with the format byte and
// names a known kind and a version from 1.
[[nodiscard]] std::optional<DocumentVersionHeader> parse_document_header(std::span<const std::uint8_t> body);

[[nodiscard]] Hash document_version_hash(std::span<const std::uint8_t> body);
[[nodiscard]] Bytes document_signature_message(const Hash& version_hash);
[[nodiscard]] Bytes contract_signature_message(std::uint64_t pair, std::uint64_t document, std::uint32_t version,
                                              const Hash& version_hash);

}  // namespace mentorlink::wire
