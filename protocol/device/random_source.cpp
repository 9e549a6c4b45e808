#include "protocol/device/random_source.h"

#include <sodium.h>

#include <array>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {

void SystemRandom::fill(std::span<std::uint8_t> out) {
  wire::ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

void DeterministicRandom::fill(std::span<std::uint8_t> out) {
  wire::ensure_sodium();
  std::array<std::uint8_t, 9> input{};
  input[0] = seed_byte_;
  for (int i = 0; i < 8; ++i) input[static_cast<std::size_t>(1 + i)] = static_cast<std::uint8_t>(counter_ >> (8 * i));
  ++counter_;
  std::array<std::uint8_t, randombytes_SEEDBYTES> seed{};
  crypto_generichash(seed.data(), seed.size(), input.data(), input.size(), nullptr, 0);
  randombytes_buf_deterministic(out.data(), out.size(), seed.data());
}

SystemRandom& system_random() {
  static SystemRandom r;
  return r;
}

}  // namespace mentorlink::device
