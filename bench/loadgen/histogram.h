#pragma once
// A latency histogram with bounded relative error: values (nanoseconds) fall into buckets of
// 1/64 of their power of two, so any percentile is within 1.6 % of the true value. Fixed size,
// no allocation while recording.

#include <array>
#include <cstdint>

namespace mentorlink::bench {

class Histogram {
 public:
  void record(std::uint64_t value_ns);
  void merge(const Histogram& other);
  std::uint64_t count() const { return count_; }
  // The value at quantile q in [0, 1] (upper edge of its bucket); 0 when empty.
  std::uint64_t percentile(double q) const;
  std::uint64_t max() const { return max_; }

 private:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr int kBuckets = 64 << kSubBits;
  static std::size_t index_of(std::uint64_t v);
  static std::uint64_t upper_edge(std::size_t index);

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace mentorlink::bench
