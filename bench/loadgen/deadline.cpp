#include "bench/loadgen/deadline.h"

#include <cstdio>
#include <cstdlib>

namespace mentorlink::bench {

double default_deadline_seconds(double warmup_s, double measure_s, std::size_t connections) {
  return warmup_s + measure_s + kDeadlineSlackSeconds +
         static_cast<double>(connections) * kDeadlineSecondsPerConnection;
}

Deadline::Deadline(double seconds, std::function<void(const std::string&)> on_expiry)
    : waiting_for_("the run to start"), seconds_(seconds), on_expiry_(std::move(on_expiry)) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  watchdog_ = std::thread([this, until] { watch(until); });
}

Deadline::~Deadline() {
  {
    std::lock_guard lock(mutex_);
    disarmed_ = true;
  }
  disarmed_cv_.notify_all();
  watchdog_.join();
}

void Deadline::waiting_for(std::string what) {
  std::lock_guard lock(mutex_);
  waiting_for_ = std::move(what);
}

void Deadline::watch(std::chrono::steady_clock::time_point until) {
  std::unique_lock lock(mutex_);
  if (disarmed_cv_.wait_until(lock, until, [this] { return disarmed_; })) return;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%g", seconds_);
  const std::string reason = "no result within the deadline of " + std::string(seconds) +
                             " s (--deadline): still waiting for " + waiting_for_ + ".";
  lock.unlock();
  on_expiry_(reason);
  std::fflush(nullptr);
  std::_Exit(kDeadlineExitCode);
}

}  // namespace mentorlink::bench
