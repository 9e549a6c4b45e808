#pragma once
// Meeting times as people type them: 2026-12-01T10:00Z, 2026-12-01 10:00+01:00, or without a zone
// in this device's local time zone. Seconds are optional.

#include <cstdint>
#include <optional>
#include <string_view>

namespace mentorlink::client {

// Milliseconds since the Unix epoch, or nullopt if the text is not such a time.
std::optional<std::int64_t> parse_time(std::string_view text);

}  // namespace mentorlink::client
