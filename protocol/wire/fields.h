#pragma once
// Typed access to a request or result body. The first problem found is kept as a Status with
// code missing_field or invalid_field naming the field; later reads return defaults.
// Unknown fields are ignored so that later protocol revisions can add fields.

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire/bytes.h"
#include "protocol/wire/status.h"

namespace mentorlink::wire {

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& body) : body_(body) {}

  // Non-empty UTF-8 text of at most max_bytes, without control characters.
  std::string text(std::string_view key, std::size_t max_bytes);
  std::optional<std::string> optional_text(std::string_view key, std::size_t max_bytes);
  // As text(), but "" is allowed.
  std::string text_or_empty(std::string_view key, std::size_t max_bytes);
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

  bool boolean(std::string_view key);
  // A JSON number (integer or not) from min to max.
  double number(std::string_view key, double min, double max);
  std::optional<double> optional_number(std::string_view key, double min, double max);
  std::optional<std::string> optional_choice(std::string_view key, std::initializer_list<std::string_view> allowed);
  // base64url without padding, 1 to max_bytes decoded.
  Bytes bytes_up_to(std::string_view key, std::size_t max_bytes);
  std::optional<Bytes> optional_bytes(std::string_view key, std::size_t exact_bytes);
  // An array of integers from min to max, at most max_items long.
  std::vector<std::int64_t> integers(std::string_view key, std::size_t max_items, std::int64_t min, std::int64_t max);

  // A nested object decoded by T::decode(const boost::json::object&) -> Result<T>. A problem inside
  // is reported with the path to it ("bundle.signed_prekey.id").
  template <class T>
  T object(std::string_view key) {
    const boost::json::value* v = find(key, true);
    if (v == nullptr) return T{};
    return nested<T>(key, *v).value_or(T{});
  }
  template <class T>
  std::optional<T> optional_object(std::string_view key) {
    const boost::json::value* v = find(key, false);
    if (v == nullptr) return std::nullopt;
    return nested<T>(key, *v);
  }
  // An array of objects decoded by T::decode, at most max_items long.
  template <class T>
  std::vector<T> list(std::string_view key, std::size_t max_items) {
    std::vector<T> out;
    const boost::json::array* items = array(key, max_items);
    if (items == nullptr) return out;
    out.reserve(items->size());
    for (std::size_t i = 0; i < items->size() && ok(); ++i) {
      auto item = nested<T>(std::string(key) + "[" + std::to_string(i) + "]", (*items)[i]);
      if (item) out.push_back(std::move(*item));
    }
    if (!ok()) out.clear();
    return out;
  }

  bool ok() const { return status_.is_ok(); }
  const Status& status() const { return status_; }

 private:
  const boost::json::value* find(std::string_view key, bool required);
  const boost::json::array* array(std::string_view key, std::size_t max_items);
  // Records inner's problem under path (path.field) and returns false, or returns true.
  bool take(std::string_view path, const Status& inner);
  template <class T>
  std::optional<T> nested(std::string_view path, const boost::json::value& v) {
    if (!v.is_object()) {
      fail(ErrorCode::invalid_field, path, "field \"" + std::string(path) + "\" must be an object");
      return std::nullopt;
    }
    auto decoded = T::decode(v.get_object());
    if (!decoded.is_ok()) {
      (void)take(path, decoded.status());
      return std::nullopt;
    }
    return std::move(decoded).value();
  }
  void fail(ErrorCode code, std::string_view key, std::string message);

  const boost::json::object& body_;
  Status status_;
};

}  // namespace mentorlink::wire
