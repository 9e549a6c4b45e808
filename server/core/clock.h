#pragma once
// Time source for everything the server records. Injected, so tests can run months in a moment;
// the production binary only ever uses SystemClock.

#include <chrono>

#include "server/store/ids.h"

namespace mentorlink::server {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace mentorlink::server
