#pragma once
// Per-IP-address limits: concurrent connections, and a token bucket for login/enroll attempts.
// Thread-safe. An address is forgotten once it has no connections and its bucket is full again,
// so reconnecting never refills a bucket early.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mentorlink::server {

class AddressLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  AddressLimiter(std::size_t max_connections, std::size_t attempts_per_minute)
      : max_connections_(max_connections), attempts_per_minute_(attempts_per_minute) {}

  // Counts a new connection from address; false (and nothing counted) if it is over the limit.
  bool try_connect(const std::string& address);
  void disconnect(const std::string& address);

  // Takes one login/enroll attempt token for address; false if none is left right now.
  bool try_attempt(const std::string& address, Clock::time_point now = Clock::now());

 private:
  struct Entry {
    std::size_t connections = 0;
    double tokens = -1;  // < 0: bucket not started (full)
    Clock::time_point refilled{};
  };

  static bool forgettable(const Entry& e, Clock::time_point now);

  std::size_t max_connections_;
  std::size_t attempts_per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::size_t calls_ = 0;                           // guarded by mutex_
};

}  // namespace mentorlink::server
