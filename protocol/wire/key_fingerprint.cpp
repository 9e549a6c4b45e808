#include "protocol/wire/key_fingerprint.h"

#include <sodium.h>

#include <array>
#include <cstdio>

#include "protocol/wire/sodium.h"

namespace mentorlink::wire {
namespace {

constexpr std::string_view kContext = "mentorlink/v1/safety-number";
constexpr int kIterations = 5200;
constexpr std::size_t kGroup = 5;

}  // namespace

std::string key_fingerprint(const IdentityKey& key) {
  ensure_sodium();
  std::array<std::uint8_t, crypto_hash_sha512_BYTES> h{};
  Bytes first(kContext.begin(), kContext.end());
  first.push_back(0x00);
  first.insert(first.end(), key.begin(), key.end());
  crypto_hash_sha512(h.data(), first.data(), first.size());
  for (int i = 1; i < kIterations; ++i) {
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, h.data(), h.size());
    crypto_hash_sha512_update(&st, key.data(), key.size());
    crypto_hash_sha512_final(&st, h.data());
  }
  std::string out;
  for (std::size_t chunk = 0; chunk < kKeyFingerprintDigits / kGroup; ++chunk) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < kGroup; ++k) v = (v << 8) | h[chunk * kGroup + k];
    char buf[8];
    std::snprintf(buf, sizeof buf, "%05u", static_cast<unsigned>(v % 100000));
    out += buf;
  }
  return out;
}

std::string format_key_fingerprint(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); i += kGroup) {
    if (i > 0) out += ' ';
    out += digits.substr(i, kGroup);
  }
  return out;
}

}  // namespace mentorlink::wire
