#pragma once
// The access log a pair can read (PROTOCOL.md §15): every coordinator response that carried the
// pair's metadata is an entry, and entries form a hash chain per pair, so a client that remembers
// the newest hash it saw notices a log that was edited, truncated or forked.
//
//   entry_hash = BLAKE2b-256("mentorlink/v1/access-log" ‖ 00 ‖ previous_hash(32) ‖ u64be(pair)
//                ‖ u64be(seq) ‖ u64be(coordinator) ‖ u64be(at) ‖ u32be(len) ‖ what ‖ u32be(len) ‖ fields)
//   previous_hash of seq 1 is 32 zero bytes; strings are UTF-8, len is their byte length.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire/bytes.h"

namespace mentorlink::wire {

inline constexpr std::string_view kAccessLogContext = "mentorlink/v1/access-log";

struct AccessEntry {
  std::uint64_t pair = 0;
  std::uint64_t seq = 0;  // from 1, per pair
  std::uint64_t coordinator = 0;
  std::int64_t at = 0;
  std::string what;    // "report", "event:meeting.ended", ...
  std::string fields;  // comma-separated field names that were sent
  Hash previous{};
};

[[nodiscard]] Hash access_entry_hash(const AccessEntry& entry);

// The names in an entry's fields text, in order: "pair,status" → {"pair", "status"}. Field names
// never contain a comma, so the JSON array and the hashed text say the same.
[[nodiscard]] std::vector<std::string> access_field_names(std::string_view fields_text);

}  // namespace mentorlink::wire
