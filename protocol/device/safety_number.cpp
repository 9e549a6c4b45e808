#include "protocol/device/safety_number.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {
namespace {

constexpr std::string_view kContext = "mentorlink/v1/safety-number";
constexpr int kIterations = 5200;

std::string digits_of(const wire::IdentityKey& key) {
  wire::ensure_sodium();
  std::array<std::uint8_t, crypto_hash_sha512_BYTES> h{};
  wire::Bytes first(kContext.begin(), kContext.end());
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
  for (std::size_t chunk = 0; chunk < 6; ++chunk) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < 5; ++k) v = (v << 8) | h[chunk * 5 + k];
    char buf[8];
    std::snprintf(buf, sizeof buf, "%05u", static_cast<unsigned>(v % 100000));
    out += buf;
  }
  return out;
}

}  // namespace

std::string safety_number(const wire::IdentityKey& a, const wire::IdentityKey& b) {
  auto da = digits_of(a);
  auto db = digits_of(b);
  return std::min(da, db) + std::max(da, db);
}

std::string format_safety_number(const std::string& digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); i += 5) {
    if (i > 0) out += (i % 20 == 0) ? "\n" : " ";
    out += digits.substr(i, 5);
  }
  return out;
}

}  // namespace mentorlink::device
