#include "protocol/device/message_order.h"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "protocol/device/message_format.h"

namespace mentorlink::device {
namespace json = boost::json;

bool ReceivedCounters::contains(std::uint64_t counter) const {
  return (counter >= kFirstCounter && counter <= contiguous_) || above_.count(counter) > 0;
}

bool ReceivedCounters::add(std::uint64_t counter) {
  if (counter < kFirstCounter || contains(counter)) return false;
  above_.insert(counter);
  while (!above_.empty() && *above_.begin() == contiguous_ + 1) {
    above_.erase(above_.begin());
    ++contiguous_;
  }
  return true;
}

std::uint64_t ReceivedCounters::highest() const { return above_.empty() ? contiguous_ : *above_.rbegin(); }

std::uint64_t ReceivedCounters::missing_between(std::uint64_t after, std::uint64_t before) const {
  if (before <= after + 1) return 0;
  const std::uint64_t lo = after + 1;  // the range [lo, before)
  std::uint64_t received = 0;
  if (contiguous_ >= lo) received += std::min(contiguous_ + 1, before) - lo;
  for (auto it = above_.lower_bound(lo); it != above_.end() && *it < before; ++it) ++received;
  return (before - lo) - received;
}

json::value ReceivedCounters::to_json() const {
  json::array above;
  for (auto c : above_) above.push_back(c);
  return json::object{{"contiguous", contiguous_}, {"above", std::move(above)}};
}

std::optional<ReceivedCounters> ReceivedCounters::from_json(const json::value& v) {
  const auto* o = v.if_object();
  if (o == nullptr) return std::nullopt;
  const auto* contiguous = o->if_contains("contiguous");
  const auto* above = o->if_contains("above");
  if (contiguous == nullptr || !contiguous->is_number() || above == nullptr || !above->is_array()) return std::nullopt;
  ReceivedCounters out;
  std::error_code ec;
  out.contiguous_ = contiguous->to_number<std::uint64_t>(ec);
  if (ec || out.contiguous_ > kMaxCounter) return std::nullopt;
  for (const auto& c : above->as_array()) {
    const auto n = c.to_number<std::uint64_t>(ec);
    if (ec || n <= out.contiguous_ + 1 || n > kMaxCounter) return std::nullopt;
    out.above_.insert(n);
  }
  return out;
}

std::vector<OrderNote> order_notes(std::span<const std::uint64_t> shown, const ReceivedCounters& received) {
  std::vector<OrderNote> notes;
  notes.reserve(shown.size());
  std::uint64_t highest = 0;
  for (auto c : shown) {
    OrderNote note;
    if (c > highest) {
      note.missing_before = received.missing_between(highest, c);
      highest = c;
    } else {
      note.out_of_order = true;
    }
    notes.push_back(note);
  }
  return notes;
}

}  // namespace mentorlink::device
