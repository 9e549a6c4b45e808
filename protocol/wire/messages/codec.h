#pragma once
// What every typed message (protocol/wire/messages/*.h) is built from. Each request, result and
// event is one struct with
//   static constexpr std::string_view kType (requests) or kEvent (events),
//   boost::json::object encode() const, and
//   static Result<T> decode(const boost::json::object&), which never throws: a missing field, a
//   wrong JSON type, an integer out of range, an array longer than its limit or a binary value of
//   the wrong length is a Status naming the field (its path for nested values, "pairs[2].mentor.id").
// A request's result type is its Reply. Unknown fields are ignored (PROTOCOL.md §11).

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/status.h"

namespace mentorlink::wire::messages {

// Times are milliseconds since the Unix epoch; counts are never negative.
inline constexpr std::int64_t kMaxTime = kMaxId;
inline constexpr std::int64_t kMaxCount = kMaxId;

// The value decoded so far, or the first problem the reader found.
template <class T>
Result<T> finish(const FieldReader& in, T value) {
  if (!in.ok()) return in.status();
  return value;
}

inline boost::json::value nullable(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

template <class T>
boost::json::array encode_all(const std::vector<T>& items) {
  boost::json::array out;
  out.reserve(items.size());
  for (const auto& item : items) out.push_back(item.encode());
  return out;
}

inline boost::json::array encode_ids(const std::vector<std::int64_t>& ids) {
  boost::json::array out;
  for (auto id : ids) out.push_back(id);
  return out;
}

// A request whose body is empty; Reply is its result.
template <class Reply_>
struct EmptyBody {
  using Reply = Reply_;
  boost::json::object encode() const { return {}; }
};

}  // namespace mentorlink::wire::messages
