#include "protocol/device/secure_buffer.h"

#include <sodium.h>

#include <new>
#include <utility>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {

SecureBuffer::SecureBuffer(std::size_t size) : size_(size) {
  wire::ensure_sodium();
  data_ = static_cast<std::uint8_t*>(sodium_malloc(size == 0 ? 1 : size));
  if (data_ == nullptr) throw std::bad_alloc();
}

SecureBuffer::~SecureBuffer() {
  if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes before freeing
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void wipe(std::span<std::uint8_t> bytes) noexcept { sodium_memzero(bytes.data(), bytes.size()); }
void wipe(std::string& text) noexcept { sodium_memzero(text.data(), text.size()); }

}  // namespace mentorlink::device
