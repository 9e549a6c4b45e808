#pragma once
// Receives the latency of every store call (for /metrics). Implementations must be thread-safe.

#include <string_view>

namespace mentorlink::server {

class StoreObserver {
 public:
  virtual ~StoreObserver() = default;
  virtual void store_call(std::string_view operation, double seconds, bool failed) = 0;
};

}  // namespace mentorlink::server
