#pragma once
// The bytes of an end-to-end encrypted session message (PROTOCOL.md, "Session messages").
//
//   ratchet message  = 0x01 ‖ header ‖ ciphertext
//   prekey message   = 0x02 ‖ prekey part ‖ header ‖ ciphertext
//   header           = ratchet_key(32) ‖ u32be(pn) ‖ u32be(n)                                   40 bytes
//   prekey part      = identity_key(32) ‖ identity_dh_key(32) ‖ identity_dh_signature(64)
//                      ‖ ephemeral_key(32) ‖ u32be(signed_prekey_id) ‖ u32be(one_time_prekey_id)  168 bytes
//                      (one_time_prekey_id 0xFFFFFFFF: none was available)
//   AD               = "mentorlink/v1/message" ‖ 0x00 ‖ initiator identity_key ‖ responder identity_key
//                      ‖ every byte before the ciphertext
//   ciphertext       = XChaCha20-Poly1305-IETF(message keys, pad(kind ‖ payload), AD)
//   pad              = ISO/IEC 7816-4 padding to the next bucket: 64, 128, ..., 65536 bytes

#include <optional>
#include <span>

#include "protocol/device/ratchet.h"
#include "protocol/device/session_error.h"
#include "protocol/wire/prekeys.h"

namespace mentorlink::device {

inline constexpr std::uint8_t kRatchetMessageType = 0x01;
inline constexpr std::uint8_t kPrekeyMessageType = 0x02;
inline constexpr std::size_t kHeaderBytes = 40;
inline constexpr std::size_t kPrekeyPartBytes = 168;
inline constexpr std::size_t kMaxPaddedBytes = 65536;
inline constexpr std::size_t kMaxPayloadBytes = kMaxPaddedBytes - 2;  // kind byte + one padding byte
inline constexpr std::uint32_t kNoOneTimePrekey = 0xFFFFFFFF;

// What a message carries. The kind is inside the encryption, so the server cannot relabel it.
enum class PayloadKind : std::uint8_t {
  chat = 0x01,          // UTF-8 text of a chat message
  document_key = 0x02,  // a document's key, shared with the partner
};

struct PrekeyPart {
  wire::IdentityKey identity_key{};
  wire::DhPublicKey identity_dh_key{};
  wire::Signature identity_dh_signature{};
  wire::DhPublicKey ephemeral_key{};
  wire::PrekeyId signed_prekey_id = 0;
  std::optional<wire::PrekeyId> one_time_prekey_id;
};

struct ParsedMessage {
  std::optional<PrekeyPart> prekey;
  Header header;
  std::span<const std::uint8_t> prefix;      // everything before the ciphertext
  std::span<const std::uint8_t> ciphertext;
};

// The 168 prekey-part bytes alone (also how a session remembers what it still has to send).
[[nodiscard]] wire::Bytes encode_prekey_part(const PrekeyPart& part);
[[nodiscard]] std::optional<PrekeyPart> parse_prekey_part(std::span<const std::uint8_t> bytes);

[[nodiscard]] wire::Bytes encode_prefix(const std::optional<PrekeyPart>& prekey, const Header& header);
[[nodiscard]] SessionResult<ParsedMessage> parse_message(std::span<const std::uint8_t> message);
[[nodiscard]] wire::Bytes message_ad(const wire::IdentityKey& initiator, const wire::IdentityKey& responder,
                                     std::span<const std::uint8_t> prefix);

// Bucket for a plaintext of n bytes (kind byte included): the smallest of 64·2^k holding n + 1.
[[nodiscard]] std::size_t padded_size(std::size_t n);
[[nodiscard]] wire::Bytes pad(PayloadKind kind, std::span<const std::uint8_t> payload);
struct Unpadded {
  PayloadKind kind;
  wire::Bytes payload;
};
[[nodiscard]] SessionResult<Unpadded> unpad(std::span<const std::uint8_t> padded);

}  // namespace mentorlink::device
