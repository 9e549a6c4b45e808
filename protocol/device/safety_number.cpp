#include "protocol/device/safety_number.h"

#include <algorithm>

#include "protocol/wire/key_fingerprint.h"

namespace mentorlink::device {

std::string safety_number(const wire::IdentityKey& a, const wire::IdentityKey& b) {
  auto da = wire::key_fingerprint(a);
  auto db = wire::key_fingerprint(b);
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
