#pragma once
// base64url without padding (RFC 4648 §5), the encoding of every binary value on the wire.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> data);

// Rejects padding, characters outside the URL-safe alphabet, impossible lengths and
// non-canonical trailing bits, so each value has exactly one encoding.
[[nodiscard]] std::optional<Bytes> base64url_decode(std::string_view text);

[[nodiscard]] std::string hex_encode(std::span<const std::uint8_t> data);

}  // namespace mentorlink::wire
