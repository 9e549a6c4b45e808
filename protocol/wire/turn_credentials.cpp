#include "protocol/wire/turn_credentials.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

namespace mentorlink::wire {

std::string turn_password(std::string_view secret, std::string_view username) {
  std::array<unsigned char, 20> mac{};
  std::size_t mac_len = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA1", nullptr, secret.data(), secret.size(),
                reinterpret_cast<const unsigned char*>(username.data()), username.size(), mac.data(), mac.size(),
                &mac_len) == nullptr ||
      mac_len != mac.size()) {
    throw std::runtime_error("HMAC-SHA1 is not available");
  }
  std::array<char, sodium_base64_ENCODED_LEN(20, sodium_base64_VARIANT_ORIGINAL)> text{};
  sodium_bin2base64(text.data(), text.size(), mac.data(), mac.size(), sodium_base64_VARIANT_ORIGINAL);
  return std::string(text.data());
}

TurnCredential turn_credential(std::string_view secret, std::int64_t expiry_unix_s, std::int64_t member) {
  TurnCredential out;
  out.username = std::to_string(expiry_unix_s) + ":" + std::to_string(member);
  out.credential = turn_password(secret, out.username);
  return out;
}

}  // namespace mentorlink::wire
