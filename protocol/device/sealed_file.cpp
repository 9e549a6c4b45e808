#include "protocol/device/sealed_file.h"

#include <sodium.h>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {
namespace {

constexpr std::uint8_t kVersion = 0x01;
constexpr std::string_view kContext = "mentorlink/v1/sealed-file";
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

wire::Bytes ad_for(std::string_view purpose) {
  wire::Bytes ad(kContext.begin(), kContext.end());
  ad.push_back(0x00);
  ad.insert(ad.end(), purpose.begin(), purpose.end());
  return ad;
}

}  // namespace

wire::Bytes seal_file(const SecureBuffer& storage_key, std::string_view purpose, std::span<const std::uint8_t> plaintext) {
  wire::ensure_sodium();
  wire::Bytes out(1 + kNonce + plaintext.size() + kTag);
  out[0] = kVersion;
  randombytes_buf(out.data() + 1, kNonce);
  const auto ad = ad_for(purpose);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + 1 + kNonce, &written, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), nullptr, out.data() + 1, storage_key.data());
  out.resize(1 + kNonce + static_cast<std::size_t>(written));
  return out;
}

wire::Result<wire::Bytes> open_file(const SecureBuffer& storage_key, std::string_view purpose,
                                    std::span<const std::uint8_t> sealed) {
  wire::ensure_sodium();
  if (sealed.size() < 1 + kNonce + kTag || sealed[0] != kVersion) {
    return wire::Status::error(wire::ErrorCode::malformed, "the device state file is damaged or of an unknown version");
  }
  const auto ad = ad_for(purpose);
  wire::Bytes out(sealed.size() - 1 - kNonce - kTag);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, sealed.data() + 1 + kNonce,
                                                 sealed.size() - 1 - kNonce, ad.data(), ad.size(), sealed.data() + 1,
                                                 storage_key.data()) != 0) {
    return wire::Status::error(wire::ErrorCode::bad_signature, "the device state file was altered or is not yours");
  }
  out.resize(static_cast<std::size_t>(len));
  return out;
}

}  // namespace mentorlink::device
