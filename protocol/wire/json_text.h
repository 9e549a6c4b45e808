#pragma once
// Parsing one JSON text of a frame. Unlike boost::json::parse, an object that names a key twice
// is refused (Boost.JSON would silently keep the last value, so two readers of the same text
// could disagree about it).

#include <boost/json/value.hpp>
#include <string_view>

#include "protocol/wire/status.h"

namespace mentorlink::wire {

// The value, or malformed with a sentence saying what is wrong.
[[nodiscard]] Result<boost::json::value> parse_json_text(std::string_view text);

}  // namespace mentorlink::wire
