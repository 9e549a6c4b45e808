// Decoder: what a client reads from the server (results, errors, events).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/wire/frame.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)mentorlink::wire::parse_incoming(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
