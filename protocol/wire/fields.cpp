#include "protocol/wire/fields.h"

#include <algorithm>

#include "protocol/wire/base64url.h"

namespace mentorlink::wire {
namespace json = boost::json;

namespace {

// True for well-formed UTF-8 without C0 control characters (tab excepted) or DEL.
bool is_clean_utf8(std::string_view s, bool allow_newlines) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && !(allow_newlines && c == '\n')) || c == 0x7F) return false;
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace

void FieldReader::fail(ErrorCode code, std::string_view key, std::string message) {
  if (status_.is_ok()) status_ = Status::error(code, std::move(message), std::string(key));
}

const json::value* FieldReader::find(std::string_view key, bool required) {
  if (!status_.is_ok()) return nullptr;
  const json::value* v = body_.if_contains(key);
  if ((v == nullptr || v->is_null()) && required) {
    fail(ErrorCode::missing_field, key, "field \"" + std::string(key) + "\" is required");
    return nullptr;
  }
  return (v != nullptr && v->is_null()) ? nullptr : v;
}

std::optional<std::string> FieldReader::optional_text(std::string_view key, std::size_t max_bytes) {
  const json::value* v = find(key, false);
  if (v == nullptr) return std::nullopt;
  const std::string k(key);
  if (!v->is_string()) {
    fail(ErrorCode::invalid_field, key, "field \"" + k + "\" must be a string");
    return std::nullopt;
  }
  std::string_view s = v->as_string();
  if (s.empty() || s.size() > max_bytes) {
    fail(ErrorCode::invalid_field, key,
         "field \"" + k + "\" must be 1 to " + std::to_string(max_bytes) + " bytes long");
    return std::nullopt;
  }
  if (!is_clean_utf8(s, max_bytes > 200)) {
    fail(ErrorCode::invalid_field, key, "field \"" + k + "\" must be UTF-8 text without control characters");
    return std::nullopt;
  }
  return std::string(s);
}

std::string FieldReader::text(std::string_view key, std::size_t max_bytes) {
  if (find(key, true) == nullptr) return {};
  return optional_text(key, max_bytes).value_or(std::string{});
}

std::string FieldReader::text_or_empty(std::string_view key, std::size_t max_bytes) {
  const json::value* v = find(key, true);
  if (v != nullptr && v->is_string() && v->get_string().empty()) return {};
  return text(key, max_bytes);
}

std::optional<std::int64_t> FieldReader::optional_integer(std::string_view key, std::int64_t min, std::int64_t max) {
  const json::value* v = find(key, false);
  if (v == nullptr) return std::nullopt;
  std::optional<std::int64_t> n;
  if (v->is_int64()) n = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max)) n = static_cast<std::int64_t>(v->as_uint64());
  if (!n || *n < min || *n > max) {
    fail(ErrorCode::invalid_field, key,
         "field \"" + std::string(key) + "\" must be an integer from " + std::to_string(min) + " to " +
             std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::int64_t FieldReader::integer(std::string_view key, std::int64_t min, std::int64_t max) {
  if (find(key, true) == nullptr) return 0;
  return optional_integer(key, min, max).value_or(0);
}

Bytes FieldReader::bytes(std::string_view key, std::size_t exact_bytes) {
  const json::value* v = find(key, true);
  if (v == nullptr) return {};
  std::optional<Bytes> decoded;
  if (v->is_string()) decoded = base64url_decode(v->as_string());
  if (!decoded || decoded->size() != exact_bytes) {
    fail(ErrorCode::invalid_field, key,
         "field \"" + std::string(key) + "\" must be " + std::to_string(exact_bytes) +
             " bytes in base64url without padding");
    return {};
  }
  return std::move(*decoded);
}

std::string FieldReader::choice(std::string_view key, std::initializer_list<std::string_view> allowed) {
  const json::value* v = find(key, true);
  if (v == nullptr) return {};
  if (v->is_string() && std::find(allowed.begin(), allowed.end(), std::string_view(v->as_string())) != allowed.end()) {
    return std::string(v->as_string());
  }
  std::string list;
  for (auto a : allowed) {
    if (!list.empty()) list += ", ";
    list += a;
  }
  fail(ErrorCode::invalid_field, key, "field \"" + std::string(key) + "\" must be one of: " + list);
  return {};
}

bool FieldReader::boolean(std::string_view key) {
  const json::value* v = find(key, true);
  if (v == nullptr) return false;
  if (!v->is_bool()) {
    fail(ErrorCode::invalid_field, key, "field \"" + std::string(key) + "\" must be true or false");
    return false;
  }
  return v->get_bool();
}

std::optional<double> FieldReader::optional_number(std::string_view key, double min, double max) {
  const json::value* v = find(key, false);
  if (v == nullptr) return std::nullopt;
  std::optional<double> n;
  if (v->is_double()) n = v->get_double();
  if (v->is_int64()) n = static_cast<double>(v->get_int64());
  if (v->is_uint64()) n = static_cast<double>(v->get_uint64());
  if (!n || !(*n >= min && *n <= max)) {  // also false for NaN
    fail(ErrorCode::invalid_field, key,
         "field \"" + std::string(key) + "\" must be a number from " + std::to_string(min) + " to " +
             std::to_string(max));
    return std::nullopt;
  }
  return n;
}

double FieldReader::number(std::string_view key, double min, double max) {
  if (find(key, true) == nullptr) return 0;
  return optional_number(key, min, max).value_or(0);
}

std::optional<std::string> FieldReader::optional_choice(std::string_view key,
                                                        std::initializer_list<std::string_view> allowed) {
  if (find(key, false) == nullptr) return std::nullopt;
  std::string out = choice(key, allowed);
  if (!ok()) return std::nullopt;
  return out;
}

Bytes FieldReader::bytes_up_to(std::string_view key, std::size_t max_bytes) {
  const json::value* v = find(key, true);
  if (v == nullptr) return {};
  std::optional<Bytes> decoded;
  if (v->is_string()) decoded = base64url_decode(v->get_string());
  if (!decoded || decoded->empty() || decoded->size() > max_bytes) {
    fail(ErrorCode::invalid_field, key,
         "field \"" + std::string(key) + "\" must be 1 to " + std::to_string(max_bytes) +
             " bytes in base64url without padding");
    return {};
  }
  return std::move(*decoded);
}

std::optional<Bytes> FieldReader::optional_bytes(std::string_view key, std::size_t exact_bytes) {
  if (find(key, false) == nullptr) return std::nullopt;
  Bytes out = bytes(key, exact_bytes);
  if (!ok()) return std::nullopt;
  return out;
}

const json::array* FieldReader::array(std::string_view key, std::size_t max_items) {
  const json::value* v = find(key, true);
  if (v == nullptr) return nullptr;
  if (!v->is_array() || v->get_array().size() > max_items) {
    fail(ErrorCode::invalid_field, key,
         "field \"" + std::string(key) + "\" must be an array of at most " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return &v->get_array();
}

std::vector<std::int64_t> FieldReader::integers(std::string_view key, std::size_t max_items, std::int64_t min,
                                                std::int64_t max) {
  std::vector<std::int64_t> out;
  const json::array* items = array(key, max_items);
  if (items == nullptr) return out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const json::value& v = (*items)[i];
    std::optional<std::int64_t> n;
    if (v.is_int64()) n = v.get_int64();
    if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(max)) n = static_cast<std::int64_t>(v.get_uint64());
    if (!n || *n < min || *n > max) {
      const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      fail(ErrorCode::invalid_field, path,
           "field \"" + path + "\" must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return {};
    }
    out.push_back(*n);
  }
  return out;
}

bool FieldReader::take(std::string_view path, const Status& inner) {
  if (inner.is_ok()) return true;
  const std::string full = inner.field().empty() ? std::string(path) : std::string(path) + "." + inner.field();
  std::string message = inner.message();
  const std::string quoted = "field \"" + inner.field() + "\"";
  if (!inner.field().empty() && message.starts_with(quoted)) {
    message = "field \"" + full + "\"" + message.substr(quoted.size());
  }
  fail(inner.code(), full, std::move(message));
  return false;
}

}  // namespace mentorlink::wire
