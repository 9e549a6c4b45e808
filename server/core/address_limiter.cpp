#include "server/core/address_limiter.h"

#include <algorithm>

namespace mentorlink::server {

namespace {
// A bucket left alone this long is full again, so forgetting it changes nothing.
constexpr auto kBucketRefill = std::chrono::minutes(1);
constexpr std::size_t kSweepEvery = 1024;
}  // namespace

bool AddressLimiter::forgettable(const Entry& e, Clock::time_point now) {
  return e.connections == 0 && (e.tokens < 0 || now - e.refilled >= kBucketRefill);
}

bool AddressLimiter::try_connect(const std::string& address) {
  std::lock_guard lock(mutex_);
  if (++calls_ % kSweepEvery == 0) {
    const auto now = Clock::now();
    std::erase_if(entries_, [&](const auto& kv) { return forgettable(kv.second, now); });
  }
  auto& e = entries_[address];
  if (e.connections >= max_connections_) return false;
  ++e.connections;
  return true;
}

void AddressLimiter::disconnect(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end()) return;
  if (it->second.connections > 0) --it->second.connections;
  if (forgettable(it->second, Clock::now())) entries_.erase(it);  // reconnecting must not refill a bucket
}

bool AddressLimiter::try_attempt(const std::string& address, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto& e = entries_[address];
  const double capacity = static_cast<double>(attempts_per_minute_);
  if (e.tokens < 0) {
    e.tokens = capacity;
    e.refilled = now;
  }
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - e.refilled).count();
  e.tokens = std::min(capacity, e.tokens + minutes * capacity);
  e.refilled = now;
  if (e.tokens < 1.0) return false;
  e.tokens -= 1.0;
  return true;
}

}  // namespace mentorlink::server
