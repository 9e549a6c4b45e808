#include "protocol/device/secure_buffer.h"

#include <sodium.h>

#include <atomic>
#include <new>
#include <stdexcept>
#include <utility>

#include "protocol/wire/sodium.h"

namespace mentorlink::device {

namespace {

std::atomic<bool> g_plain{false};
std::atomic<bool> g_allocated{false};  // a SecureBuffer has existed: the kind is settled

// Both wipe before freeing (sodium_free does so itself).
void release(std::uint8_t* data, std::size_t size) noexcept {
  if (data == nullptr) return;
  if (g_plain.load(std::memory_order_relaxed)) {
    sodium_memzero(data, size);
    delete[] data;
  } else {
    sodium_free(data);
  }
}

}  // namespace

void use_secret_memory(SecretMemory kind) {
  if (g_allocated.load()) throw std::logic_error("use_secret_memory: secret buffers already exist");
  g_plain.store(kind == SecretMemory::plain);
}

SecureBuffer::SecureBuffer(std::size_t size) : size_(size) {
  wire::ensure_sodium();
  g_allocated.store(true, std::memory_order_relaxed);
  const std::size_t bytes = size == 0 ? 1 : size;
  data_ = g_plain.load(std::memory_order_relaxed) ? new std::uint8_t[bytes]
                                                  : static_cast<std::uint8_t*>(sodium_malloc(bytes));
  if (data_ == nullptr) throw std::bad_alloc();
}

SecureBuffer::~SecureBuffer() { release(data_, size_); }

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    release(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void wipe(std::span<std::uint8_t> bytes) noexcept { sodium_memzero(bytes.data(), bytes.size()); }
void wipe(std::string& text) noexcept { sodium_memzero(text.data(), text.size()); }

}  // namespace mentorlink::device
