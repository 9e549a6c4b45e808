#pragma once
// base64url fields in the device's own JSON state files. Throws std::invalid_argument on a value
// of the wrong shape; callers that read files catch it and report a damaged file.

#include <array>
#include <boost/json/value.hpp>
#include <span>
#include <stdexcept>
#include <string>

#include "protocol/wire/base64url.h"

namespace mentorlink::device {

inline std::string b64(std::span<const std::uint8_t> bytes) { return wire::base64url_encode(bytes); }

inline wire::Bytes bytes_from_b64(const boost::json::value& v) {
  auto decoded = wire::base64url_decode(v.as_string());
  if (!decoded) throw std::invalid_argument("not base64url");
  return std::move(*decoded);
}

template <std::size_t N>
std::array<std::uint8_t, N> fixed_from_b64(const boost::json::value& v) {
  auto bytes = bytes_from_b64(v);
  if (bytes.size() != N) throw std::invalid_argument("wrong length");
  std::array<std::uint8_t, N> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

}  // namespace mentorlink::device
