#pragma once
// The bytes of an end-to-end encrypted session message, protocol version 2 (PROTOCOL.md §12.4).
//
//   ratchet message  = 0x21 ‖ header ‖ ciphertext
//   prekey message   = 0x22 ‖ prekey part ‖ header ‖ ciphertext
//   header           = ratchet_key(32) ‖ u32be(pn) ‖ u32be(n)                                   40 bytes
//   prekey part      = identity_key(32) ‖ identity_dh_key(32) ‖ identity_dh_signature(64)
//                      ‖ ephemeral_key(32) ‖ u32be(signed_prekey_id) ‖ u32be(one_time_prekey_id)  168 bytes
//                      (one_time_prekey_id 0xFFFFFFFF: none was available)
//   AD               = "mentorlink/v2/message" ‖ 0x00 ‖ u64be(pair) ‖ initiator identity_key
//                      ‖ responder identity_key ‖ every byte before the ciphertext
//   ciphertext       = XChaCha20-Poly1305-IETF(message keys, pad(kind ‖ u64be(counter) ‖ payload), AD)
//   pad              = ISO/IEC 7816-4 padding to the next bucket: 64, 128, ..., 65536 bytes

#include <optional>
#include <span>

#include "protocol/device/ratchet.h"
#include "protocol/device/session_error.h"
#include "protocol/wire/prekeys.h"

namespace mentorlink::device {

// The first byte: protocol version 2 in the high nibble, the message type in the low one. The v1
// bytes 0x01 and 0x02 are refused as unrecognized_version.
inline constexpr std::uint8_t kRatchetMessageType = 0x21;
inline constexpr std::uint8_t kPrekeyMessageType = 0x22;
inline constexpr std::size_t kHeaderBytes = 40;
inline constexpr std::size_t kPrekeyPartBytes = 168;
inline constexpr std::size_t kMaxPaddedBytes = 65536;
inline constexpr std::size_t kCounterBytes = 8;
// kind byte, counter and at least one padding byte
inline constexpr std::size_t kMaxPayloadBytes = kMaxPaddedBytes - 1 - kCounterBytes - 1;
// The sender's per-pair counter: 1 for the first message a member sends in a pair, then +1 for
// each message of any kind, across sessions. Kept below 2^53 so it survives JSON everywhere.
inline constexpr std::uint64_t kFirstCounter = 1;
inline constexpr std::uint64_t kMaxCounter = (std::uint64_t{1} << 53) - 1;
inline constexpr std::uint32_t kNoOneTimePrekey = 0xFFFFFFFF;

// What a message carries. The kind is inside the encryption, so the server cannot relabel it.
// Any other non-zero kind decrypts (a later version may send it) and is set aside by the receiver.
enum class PayloadKind : std::uint8_t {
  chat = 0x01,          // UTF-8 text of a chat message
  document_key = 0x02,  // a document's key, shared with the partner
  call_signal = 0x03,   // a call's offer, answer, ICE candidate or hang-up (web app; PROTOCOL.md §12.8)
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
[[nodiscard]] wire::Bytes message_ad(std::uint64_t pair, const wire::IdentityKey& initiator,
                                     const wire::IdentityKey& responder, std::span<const std::uint8_t> prefix);

// Bucket for a plaintext of n bytes (kind byte and counter included): the smallest of 64·2^k holding n + 1.
[[nodiscard]] std::size_t padded_size(std::size_t n);
// kind ‖ u64be(counter) ‖ payload, padded. The caller keeps counter in 1..kMaxCounter.
[[nodiscard]] wire::Bytes pad(PayloadKind kind, std::uint64_t counter, std::span<const std::uint8_t> payload);
struct Unpadded {
  PayloadKind kind;
  std::uint64_t counter = 0;
  wire::Bytes payload;
};
// invalid_message for bad padding, kind 0, or a counter outside 1..kMaxCounter.
[[nodiscard]] SessionResult<Unpadded> unpad(std::span<const std::uint8_t> padded);

}  // namespace mentorlink::device
