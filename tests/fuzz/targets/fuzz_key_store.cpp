// Decoder: the device's key store file (never costlier than the minimum KDF here).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/device/key_store.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mentorlink::device;
  (void)open_key_store(std::string_view(reinterpret_cast<const char*>(data), size), "passphrase", KdfCost::minimum());
  return 0;
}
