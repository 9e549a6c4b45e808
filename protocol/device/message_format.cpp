#include "protocol/device/message_format.h"

#include <sodium.h>

namespace mentorlink::device {
namespace {

constexpr std::string_view kMessageContext = "mentorlink/v2/message";

void put_u32(wire::Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

void put_u64(wire::Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t get_u32(std::span<const std::uint8_t> in) {
  return (std::uint32_t{in[0]} << 24) | (std::uint32_t{in[1]} << 16) | (std::uint32_t{in[2]} << 8) | in[3];
}

template <std::size_t N>
std::array<std::uint8_t, N> take(std::span<const std::uint8_t>& in) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(in.begin(), N, out.begin());
  in = in.subspan(N);
  return out;
}

void put(wire::Bytes& out, std::span<const std::uint8_t> part) { out.insert(out.end(), part.begin(), part.end()); }

}  // namespace

wire::Bytes encode_prekey_part(const PrekeyPart& part) {
  wire::Bytes out;
  put(out, part.identity_key);
  put(out, part.identity_dh_key);
  put(out, part.identity_dh_signature);
  put(out, part.ephemeral_key);
  put_u32(out, part.signed_prekey_id);
  put_u32(out, part.one_time_prekey_id.value_or(kNoOneTimePrekey));
  return out;
}

std::optional<PrekeyPart> parse_prekey_part(std::span<const std::uint8_t> in) {
  if (in.size() != kPrekeyPartBytes) return std::nullopt;
  PrekeyPart p;
  p.identity_key = take<32>(in);
  p.identity_dh_key = take<32>(in);
  p.identity_dh_signature = take<64>(in);
  p.ephemeral_key = take<32>(in);
  p.signed_prekey_id = get_u32(in);
  const std::uint32_t otk = get_u32(in.subspan(4));
  if (otk != kNoOneTimePrekey) p.one_time_prekey_id = otk;
  return p;
}

wire::Bytes encode_prefix(const std::optional<PrekeyPart>& prekey, const Header& header) {
  wire::Bytes out;
  out.push_back(prekey ? kPrekeyMessageType : kRatchetMessageType);
  if (prekey) put(out, encode_prekey_part(*prekey));
  put(out, header.dh);
  put_u32(out, header.pn);
  put_u32(out, header.n);
  return out;
}

SessionResult<ParsedMessage> parse_message(std::span<const std::uint8_t> message) {
  if (message.empty()) return SessionError::invalid_message;
  const std::uint8_t type = message[0];
  if (type != kRatchetMessageType && type != kPrekeyMessageType) return SessionError::unrecognized_version;
  const std::size_t prefix_len = 1 + (type == kPrekeyMessageType ? kPrekeyPartBytes : 0) + kHeaderBytes;
  if (message.size() < prefix_len + crypto_aead_xchacha20poly1305_ietf_ABYTES) return SessionError::invalid_message;
  ParsedMessage out;
  auto in = message.subspan(1);
  if (type == kPrekeyMessageType) {
    out.prekey = parse_prekey_part(in.first(kPrekeyPartBytes));
    in = in.subspan(kPrekeyPartBytes);
  }
  out.header.dh = take<32>(in);
  out.header.pn = get_u32(in);
  in = in.subspan(4);
  out.header.n = get_u32(in);
  in = in.subspan(4);
  out.prefix = message.first(prefix_len);
  out.ciphertext = in;
  return out;
}

wire::Bytes message_ad(std::uint64_t pair, const wire::IdentityKey& initiator, const wire::IdentityKey& responder,
                       std::span<const std::uint8_t> prefix) {
  wire::Bytes ad(kMessageContext.begin(), kMessageContext.end());
  ad.push_back(0x00);
  put_u64(ad, pair);
  put(ad, initiator);
  put(ad, responder);
  put(ad, prefix);
  return ad;
}

std::size_t padded_size(std::size_t n) {
  std::size_t bucket = 64;
  while (bucket < n + 1) bucket *= 2;
  return bucket;
}

wire::Bytes pad(PayloadKind kind, std::uint64_t counter, std::span<const std::uint8_t> payload) {
  const std::size_t unpadded = 1 + kCounterBytes + payload.size();
  const std::size_t bucket = padded_size(unpadded);
  wire::Bytes out;
  out.reserve(bucket);
  out.push_back(static_cast<std::uint8_t>(kind));
  put_u64(out, counter);
  put(out, payload);
  out.resize(bucket);
  std::size_t padded_len = 0;
  sodium_pad(&padded_len, out.data(), unpadded, bucket, out.size());
  out.resize(padded_len);
  return out;
}

SessionResult<Unpadded> unpad(std::span<const std::uint8_t> padded) {
  if (padded.empty()) return SessionError::invalid_message;
  std::size_t unpadded_len = 0;
  if (sodium_unpad(&unpadded_len, padded.data(), padded.size(), padded.size()) != 0 ||
      unpadded_len < 1 + kCounterBytes) {
    return SessionError::invalid_message;
  }
  const std::uint8_t kind = padded[0];
  std::uint64_t counter = 0;
  for (std::size_t i = 1; i <= kCounterBytes; ++i) counter = (counter << 8) | padded[i];
  if (kind == 0 || counter < kFirstCounter || counter > kMaxCounter) return SessionError::invalid_message;
  return Unpadded{static_cast<PayloadKind>(kind), counter,
                  wire::Bytes(padded.begin() + 1 + kCounterBytes, padded.begin() + static_cast<std::ptrdiff_t>(unpadded_len))};
}

}  // namespace mentorlink::device
