#pragma once
// A Clock that tests move by hand.

#include <atomic>

#include "server/core/clock.h"

namespace mentorlink::test {

class FakeClock final : public server::Clock {
 public:
  explicit FakeClock(server::TimeMs start = 1'800'000'000'000) : now_(start) {}
  server::TimeMs now_ms() const override { return now_.load(); }
  void advance_ms(server::TimeMs ms) { now_ += ms; }
  void advance_days(int days) { now_ += server::TimeMs{days} * 24 * 60 * 60 * 1000; }

 private:
  std::atomic<server::TimeMs> now_;
};

}  // namespace mentorlink::test
