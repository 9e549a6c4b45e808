// SecureBuffer's choice of memory (protocol/device/secure_buffer.h): settled by the first buffer.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "protocol/device/secure_buffer.h"

using namespace mentorlink;

TEST_CASE("the kind of secret memory cannot change once secret buffers exist", "[secure_buffer]") {
  device::SecureBuffer existing(32);
  CHECK_THROWS_AS(device::use_secret_memory(device::SecretMemory::plain), std::logic_error);
  device::SecureBuffer another(16);  // still guarded, and usable
  another.data()[15] = 0x5a;
  CHECK(another.view()[15] == 0x5a);
}
