#pragma once
// Typed access to a request or result body. The first problem found is kept as a Status with
// code missing_field or invalid_field naming the field; later reads return defaults.
// Unknown fields are ignored so that later protocol revisions can add fields.

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/wire/bytes.h"
#include "protocol/wire/status.h"

namespace mentorlink::wire {

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& body) : body_(body) {}

  // Non-empty UTF-8 text of at most max_bytes, without control characters.
  std::string text(std::string_view key, std::size_t max_bytes);
  std::optional<std::string> optional_text(std::string_view key, std::size_t max_bytes);
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
  std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min, std::int64_t max);
  // base64url without padding; decoded length must equal exact_bytes.
  Bytes bytes(std::string_view key, std::size_t exact_bytes);
  // One of the given words.
  std::string choice(std::string_view key, std::initializer_list<std::string_view> allowed);

  template <std::size_t N>
  std::array<std::uint8_t, N> fixed(std::string_view key) {
    std::array<std::uint8_t, N> out{};
    Bytes b = bytes(key, N);
    if (b.size() == N) std::copy(b.begin(), b.end(), out.begin());
    return out;
  }

  bool ok() const { return status_.is_ok(); }
  const Status& status() const { return status_; }

 private:
  const boost::json::value* find(std::string_view key, bool required);
  void fail(ErrorCode code, std::string_view key, std::string message);

  const boost::json::object& body_;
  Status status_;
};

}  // namespace mentorlink::wire
