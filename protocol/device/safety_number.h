#pragma once
// The safety number two pair members compare out of band (PROTOCOL.md, "Safety numbers").
//   per key:  h = SHA-512("mentorlink/v1/safety-number" ‖ 0x00 ‖ key); 5199 times h = SHA-512(h ‖ key)
//             digits = for i in 0..5: (big-endian 40-bit value of h[5i..5i+5]) mod 100000, 5 digits each
//   number:   the two 30-digit strings in ascending order, concatenated (60 digits), the same on
//             both sides; shown as 12 groups of 5.

#include <string>

#include "protocol/wire/bytes.h"

namespace mentorlink::device {

inline constexpr std::size_t kSafetyNumberDigits = 60;

[[nodiscard]] std::string safety_number(const wire::IdentityKey& a, const wire::IdentityKey& b);
// "12345 67890 ..." in lines of four groups.
[[nodiscard]] std::string format_safety_number(const std::string& digits);

}  // namespace mentorlink::device
