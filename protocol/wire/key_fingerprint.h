#pragma once
// The key fingerprint a person compares to recognise one identity key (PROTOCOL.md §12.5):
//   h = SHA-512("mentorlink/v1/safety-number" ‖ 0x00 ‖ key); 5199 times h = SHA-512(h ‖ key)
//   digits = for i in 0..5: (big-endian 40-bit value of h[5i..5i+5]) mod 100000, 5 digits each
// It is the key's own half of every safety number the key is part of. In mentorlink_wire because
// the server shows it too (the dashboard's sign-in page); it needs no secret.

#include <string>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

inline constexpr std::size_t kKeyFingerprintDigits = 30;

[[nodiscard]] std::string key_fingerprint(const IdentityKey& key);
// "12345 67890 12345 67890 12345 67890": six groups of five digits on one line.
[[nodiscard]] std::string format_key_fingerprint(const std::string& digits);

}  // namespace mentorlink::wire
