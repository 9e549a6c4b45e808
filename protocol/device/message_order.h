#pragma once
// Order and completeness of one partner's messages in a pair, from the counter each message
// carries inside its encryption (PROTOCOL.md §12.7). The server's seq is not authenticated, so
// only this can tell a drop, a reorder or a replay between two messages that did arrive.

#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <vector>

namespace mentorlink::device {

// The counters received from one partner in one pair, across sessions.
class ReceivedCounters {
 public:
  bool contains(std::uint64_t counter) const;
  // Records counter; false (and no change) if it was already received: a replay.
  [[nodiscard]] bool add(std::uint64_t counter);
  // The highest counter received, 0 before the first.
  std::uint64_t highest() const;
  // How many counters strictly between after and before were never received (0 if before <= after + 1).
  // Counts without walking the range, so a huge counter costs nothing.
  std::uint64_t missing_between(std::uint64_t after, std::uint64_t before) const;

  boost::json::value to_json() const;
  static std::optional<ReceivedCounters> from_json(const boost::json::value& v);

 private:
  std::uint64_t contiguous_ = 0;  // every counter 1..contiguous_ was received
  std::set<std::uint64_t> above_;  // received counters > contiguous_ + 1
};

// Where a message stands among the partner's messages shown before it.
struct OrderNote {
  std::uint64_t missing_before = 0;  // the partner's messages that never arrived, between the previous one and this
  bool out_of_order = false;         // the partner sent it before a message shown above it
};

// One note per counter, for the partner's messages in the order they are shown; received holds
// every counter that arrived (of any kind), so a late arrival is not counted as missing.
std::vector<OrderNote> order_notes(std::span<const std::uint64_t> shown, const ReceivedCounters& received);

}  // namespace mentorlink::device
