#pragma once
// Secret bytes in guarded memory (sodium_malloc): wiped and freed on destruction, never copied.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace mentorlink::device {

class SecureBuffer {
 public:
  explicit SecureBuffer(std::size_t size);
  ~SecureBuffer();
  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  std::uint8_t* data() noexcept { return data_; }
  const std::uint8_t* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::span<const std::uint8_t> view() const noexcept { return {data_, size_}; }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Where every SecureBuffer of the process keeps its bytes. guarded (the default): sodium_malloc,
// guard pages and mlock, a few system calls per buffer. plain: the heap, wiped on release; only for
// the load generator (bench/), where a guarded buffer per message would make it the limit.
// Chosen once, before the first SecureBuffer exists; a later call throws std::logic_error.
enum class SecretMemory { guarded, plain };
void use_secret_memory(SecretMemory kind);

// Overwrites memory that held secrets (sodium_memzero: not optimised away).
void wipe(std::span<std::uint8_t> bytes) noexcept;
void wipe(std::string& text) noexcept;

}  // namespace mentorlink::device
