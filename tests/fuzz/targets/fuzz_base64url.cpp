// Decoder: base64url. Property: whatever decodes re-encodes to exactly the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/wire/base64url.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto bytes = mentorlink::wire::base64url_decode(text)) {
    if (mentorlink::wire::base64url_encode(*bytes) != text) std::abort();
  }
  return 0;
}
