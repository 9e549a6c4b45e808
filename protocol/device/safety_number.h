#pragma once
// The safety number two pair members compare out of band (PROTOCOL.md, "Safety numbers").
//   per key:  its key fingerprint, 30 digits (protocol/wire/key_fingerprint.h)
//   number:   the two fingerprints in ascending order, concatenated (60 digits), the same on
//             both sides; shown as 12 groups of 5.

#include <string>

#include "protocol/wire/bytes.h"

namespace mentorlink::device {

inline constexpr std::size_t kSafetyNumberDigits = 60;

[[nodiscard]] std::string safety_number(const wire::IdentityKey& a, const wire::IdentityKey& b);
// "12345 67890 ..." in lines of four groups.
[[nodiscard]] std::string format_safety_number(const std::string& digits);

}  // namespace mentorlink::device
