#pragma once
// The load generator's deadline: a run that has not finished by then prints why (what it was still
// waiting for) and ends the process with kDeadlineExitCode, whatever its io_context is doing.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace mentorlink::bench {

inline constexpr int kDeadlineExitCode = 3;
// Beyond warm-up and measurement: connecting and logging clients in, and draining at the end.
inline constexpr double kDeadlineSlackSeconds = 30;
// Added per connection the run opens (TLS handshakes on a shared core).
inline constexpr double kDeadlineSecondsPerConnection = 0.01;
// Added per member `setup` enrols (an invite, a connection, an enrolment and a pair, each durable).
inline constexpr double kDeadlineSecondsPerMember = 0.25;

// --deadline's default: warm-up + measure + slack + connections × per-connection allowance.
double default_deadline_seconds(double warmup_s, double measure_s, std::size_t connections);

class Deadline {
 public:
  // on_expiry(reason) runs on the watchdog thread just before the process ends; it must only
  // write output (the run's threads are still going).
  Deadline(double seconds, std::function<void(const std::string& reason)> on_expiry);
  ~Deadline();  // disarms
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // What the run waits for now, as the end of a sentence: "the login result of client 12".
  void waiting_for(std::string what);

 private:
  void watch(std::chrono::steady_clock::time_point until);

  std::mutex mutex_;
  std::condition_variable disarmed_cv_;
  bool disarmed_ = false;          // guarded by mutex_
  std::string waiting_for_;        // guarded by mutex_
  double seconds_;
  std::function<void(const std::string&)> on_expiry_;
  std::thread watchdog_;
};

}  // namespace mentorlink::bench
