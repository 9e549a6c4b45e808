#pragma once
// Encrypting, signing and opening document versions (PROTOCOL.md §14), and the key-share payload
// that carries a document key to the partner over the Double Ratchet.
//
//   ciphertext = XChaCha20-Poly1305-IETF(document_key, header.nonce, pad(plaintext),
//                                        AD = "mentorlink/v2/document" ‖ 00 ‖ header)
//   key_id     = BLAKE2b-128("mentorlink/v1/document-key-id" ‖ 00 ‖ document_key)   (unchanged in v2)
//   key share  = 01 ‖ u64be(pair) ‖ u64be(document) ‖ document_key(32)            (49 bytes, unchanged in v2)
//   pad        = ISO/IEC 7816-4 to the smallest of 64·2^k bytes holding plaintext + 1

#include <optional>
#include <span>

#include "protocol/device/identity.h"
#include "protocol/device/random_source.h"
#include "protocol/device/secure_buffer.h"
#include "protocol/wire/document_version.h"

namespace mentorlink::device {

inline constexpr std::size_t kDocumentKeyBytes = 32;
inline constexpr std::size_t kMaxDocumentPlaintextBytes = 65535;
inline constexpr std::size_t kDocumentKeyShareBytes = 1 + 8 + 8 + kDocumentKeyBytes;
inline constexpr std::string_view kDocumentAdContext = "mentorlink/v2/document";
inline constexpr std::string_view kDocumentKeyIdContext = "mentorlink/v1/document-key-id";

using DocumentKey = std::array<std::uint8_t, kDocumentKeyBytes>;

[[nodiscard]] DocumentKey new_document_key(RandomSource& random);
[[nodiscard]] wire::DocumentKeyId document_key_id(const DocumentKey& key);

// Where a new version goes: everything in the header but the author, key id and nonce.
struct VersionPlace {
  wire::DocumentIdentity identity;
  std::uint32_t version = 1;
  wire::Hash previous{};  // zero for version 1
};

struct SealedVersion {
  wire::Bytes body;  // header ‖ ciphertext
  wire::Hash hash{};
  wire::Signature signature{};
};

// nullopt if the plaintext is longer than kMaxDocumentPlaintextBytes or the identity is not well-formed.
[[nodiscard]] std::optional<SealedVersion> seal_version(const IdentityKeyPair& author, const DocumentKey& key,
                                                       const VersionPlace& place, std::span<const std::uint8_t> plaintext,
                                                       RandomSource& random);

// The plaintext, or nullopt if the body does not authenticate under key (or is malformed).
// Signature and chain checks are document_chain.h's job.
[[nodiscard]] std::optional<wire::Bytes> open_version(const DocumentKey& key, std::span<const std::uint8_t> body);

struct DocumentKeyShare {
  std::uint64_t pair = 0;
  std::uint64_t document = 0;
  DocumentKey key{};
};
[[nodiscard]] wire::Bytes encode_key_share(const DocumentKeyShare& share);
[[nodiscard]] std::optional<DocumentKeyShare> parse_key_share(std::span<const std::uint8_t> payload);

}  // namespace mentorlink::device
