#pragma once
// Where the session code gets randomness. Production uses the system CSPRNG; the recorded-session
// known-answer test uses a deterministic source so that every byte on the wire is fixed.

#include <cstdint>
#include <span>

namespace mentorlink::device {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

// libsodium's randombytes_buf.
class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// Call i fills with randombytes_buf_deterministic(seed = BLAKE2b-256(seed0 ‖ u64le(i))).
// For tests only: never use for real keys.
class DeterministicRandom final : public RandomSource {
 public:
  explicit DeterministicRandom(std::uint8_t seed_byte) : seed_byte_(seed_byte) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  std::uint8_t seed_byte_;
  std::uint64_t counter_ = 0;
};

SystemRandom& system_random();

}  // namespace mentorlink::device
