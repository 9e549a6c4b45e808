#pragma once
// Test-vector inputs: n bytes counting up from start (00 01 02 ..., 60 61 62 ...).

#include <array>
#include <cstdint>
#include <numeric>

namespace mentorlink::test {

template <std::size_t N>
std::array<std::uint8_t, N> counting_from(std::uint8_t start) {
  std::array<std::uint8_t, N> a{};
  std::iota(a.begin(), a.end(), start);
  return a;
}

}  // namespace mentorlink::test
