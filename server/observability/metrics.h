#pragma once
// Counters and latency histograms, rendered in the Prometheus text format at GET /metrics.
// Thread-safe. Labels are request types and error codes only: never names, keys or content.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "server/store/store_observer.h"

namespace mentorlink::server {

class Metrics final : public StoreObserver {
 public:
  void connection_opened();
  void connection_closed();
  void connection_rejected(std::string_view reason);
  void request(std::string_view type);
  void error(std::string_view code);
  void store_call(std::string_view operation, double seconds, bool failed) override;
  // One group commit of `requests` requests (server/api/commit_batcher.h).
  void commit_batch(std::size_t requests);

  std::int64_t open_connections() const { return open_connections_.load(); }
  std::string render_prometheus() const;

 private:
  static constexpr std::array<double, 10> kBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                   0.005,  0.01,    0.025,  0.05,  0.1};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
    std::uint64_t failures = 0;
  };

  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> connections_total_{0};
  std::atomic<std::uint64_t> commit_batches_{0};
  std::atomic<std::uint64_t> commit_batched_requests_{0};
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t, std::less<>> rejected_;   // guarded by mutex_
  std::map<std::string, std::uint64_t, std::less<>> requests_;   // guarded by mutex_
  std::map<std::string, std::uint64_t, std::less<>> errors_;     // guarded by mutex_
  std::map<std::string, Histogram, std::less<>> store_;          // guarded by mutex_
};

}  // namespace mentorlink::server
