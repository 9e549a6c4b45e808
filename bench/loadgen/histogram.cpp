#include "bench/loadgen/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace mentorlink::bench {

// Values below 64 have their own bucket each; above, bucket = (exponent, top 6 bits after the
// leading one).
std::size_t Histogram::index_of(std::uint64_t v) {
  if (v < (1u << kSubBits)) return static_cast<std::size_t>(v);
  const int exponent = static_cast<int>(std::bit_width(v)) - 1;  // >= kSubBits
  const auto sub = (v >> (exponent - kSubBits)) & ((1u << kSubBits) - 1);
  return static_cast<std::size_t>((exponent - kSubBits + 1) << kSubBits) + static_cast<std::size_t>(sub);
}

std::uint64_t Histogram::upper_edge(std::size_t index) {
  if (index < (1u << kSubBits)) return index;
  const int exponent = static_cast<int>(index >> kSubBits) + kSubBits - 1;
  const auto sub = index & ((1u << kSubBits) - 1);
  const auto base = (std::uint64_t{1} << exponent) | (std::uint64_t{sub} << (exponent - kSubBits));
  return base + (std::uint64_t{1} << (exponent - kSubBits)) - 1;
}

void Histogram::record(std::uint64_t value_ns) {
  ++counts_[std::min(index_of(value_ns), counts_.size() - 1)];
  ++count_;
  max_ = std::max(max_, value_ns);
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t Histogram::percentile(double q) const {
  if (count_ == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= std::max<std::uint64_t>(rank, 1)) return std::min(upper_edge(i), max_);
  }
  return max_;
}

}  // namespace mentorlink::bench
