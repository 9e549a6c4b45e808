#include "protocol/device/document_cipher.h"

#include <sodium.h>

#include <algorithm>

#include "protocol/device/message_format.h"

namespace mentorlink::device {
namespace {

constexpr std::uint8_t kKeyShareFormat = 0x01;

wire::Bytes document_ad(std::span<const std::uint8_t> header) {
  wire::Bytes ad(kDocumentAdContext.begin(), kDocumentAdContext.end());
  ad.push_back(0x00);
  ad.insert(ad.end(), header.begin(), header.end());
  return ad;
}

void put_be64(wire::Bytes& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_be64(std::span<const std::uint8_t> in) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

}  // namespace

DocumentKey new_document_key(RandomSource& random) {
  DocumentKey key{};
  random.fill(key);
  return key;
}

wire::DocumentKeyId document_key_id(const DocumentKey& key) {
  wire::Bytes input(kDocumentKeyIdContext.begin(), kDocumentKeyIdContext.end());
  input.push_back(0x00);
  input.insert(input.end(), key.begin(), key.end());
  wire::DocumentKeyId id{};
  crypto_generichash(id.data(), id.size(), input.data(), input.size(), nullptr, 0);
  wipe(input);
  return id;
}

std::optional<SealedVersion> seal_version(const IdentityKeyPair& author, const DocumentKey& key,
                                          const VersionPlace& place, std::span<const std::uint8_t> plaintext,
                                          RandomSource& random) {
  if (plaintext.size() > kMaxDocumentPlaintextBytes || !wire::well_formed(place.identity)) return std::nullopt;
  wire::DocumentVersionHeader header;
  header.identity = place.identity;
  header.version = place.version;
  header.previous = place.previous;
  header.author = author.public_key();
  header.key_id = document_key_id(key);
  random.fill(header.nonce);
  const wire::Bytes header_bytes = wire::encode_document_header(header);

  const std::size_t bucket = padded_size(plaintext.size());
  wire::Bytes padded(bucket);
  std::copy(plaintext.begin(), plaintext.end(), padded.begin());
  std::size_t padded_len = 0;
  sodium_pad(&padded_len, padded.data(), plaintext.size(), bucket, padded.size());
  padded.resize(padded_len);

  const wire::Bytes ad = document_ad(header_bytes);
  SealedVersion out;
  out.body = header_bytes;
  out.body.resize(header_bytes.size() + padded.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.body.data() + header_bytes.size(), &written, padded.data(),
                                             padded.size(), ad.data(), ad.size(), nullptr, header.nonce.data(),
                                             key.data());
  wipe(padded);
  out.hash = wire::document_version_hash(out.body);
  out.signature = author.sign(wire::document_signature_message(header.identity, header.version, out.hash));
  return out;
}

std::optional<wire::Bytes> open_version(const DocumentKey& key, std::span<const std::uint8_t> body) {
  const auto header = wire::parse_document_header(body);
  if (!header) return std::nullopt;
  const auto header_bytes = body.first(wire::kDocumentHeaderBytes);
  const auto ciphertext = body.subspan(wire::kDocumentHeaderBytes);
  const wire::Bytes ad = document_ad(header_bytes);
  wire::Bytes padded(ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(padded.data(), &len, nullptr, ciphertext.data(), ciphertext.size(),
                                                 ad.data(), ad.size(), header->nonce.data(), key.data()) != 0) {
    return std::nullopt;
  }
  std::size_t unpadded = 0;
  if (sodium_unpad(&unpadded, padded.data(), padded.size(), padded.size()) != 0) {
    wipe(padded);
    return std::nullopt;
  }
  padded.resize(unpadded);
  return padded;
}

wire::Bytes encode_key_share(const DocumentKeyShare& share) {
  wire::Bytes out;
  out.reserve(kDocumentKeyShareBytes);
  out.push_back(kKeyShareFormat);
  put_be64(out, share.pair);
  put_be64(out, share.document);
  out.insert(out.end(), share.key.begin(), share.key.end());
  return out;
}

std::optional<DocumentKeyShare> parse_key_share(std::span<const std::uint8_t> payload) {
  if (payload.size() != kDocumentKeyShareBytes || payload[0] != kKeyShareFormat) return std::nullopt;
  DocumentKeyShare share;
  share.pair = get_be64(payload.subspan(1));
  share.document = get_be64(payload.subspan(9));
  std::copy_n(payload.begin() + 17, kDocumentKeyBytes, share.key.begin());
  return share;
}

}  // namespace mentorlink::device
