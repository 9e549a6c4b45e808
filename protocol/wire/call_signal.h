#pragma once
// What the CLI reads of a call signal (message kind 03, PROTOCOL.md §12.8): it takes part in no
// call, so it only tells the person that one started. The web app decodes every field.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace mentorlink::wire {

inline constexpr std::int64_t kCallSignalVersion = 1;
inline constexpr std::size_t kCallIdBytes = 16;

struct CallSignalSummary {
  std::string call;  // the sender's call id, base64url of 16 bytes
  std::string type;  // "offer" | "answer" | "candidate" | "hangup"
  bool restart = false;
};

// The version, call id, type and restart flag of a kind-03 payload; nullopt for anything that is
// not a version-1 call signal with those fields well formed. Never throws.
std::optional<CallSignalSummary> read_call_signal_summary(std::span<const std::uint8_t> payload);

}  // namespace mentorlink::wire
