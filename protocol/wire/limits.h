#pragma once
// Protocol-level constants and field limits. Server operational limits live in server/config.h.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mentorlink::wire {

inline constexpr std::int64_t kProtocolVersion = 2;
// The path stays /v1 in version 2, so that a version 1 client reaches hello and is told to update.
inline constexpr std::string_view kWebSocketPath = "/v1";

inline constexpr std::size_t kMaxDisplayNameBytes = 100;
inline constexpr std::size_t kMaxProgrammeNameBytes = 120;
inline constexpr std::size_t kMaxPurposeBytes = 2000;
inline constexpr std::size_t kMaxTypeBytes = 64;
inline constexpr std::int64_t kMaxRequestId = (std::int64_t{1} << 53) - 1;  // exact in a JSON double
inline constexpr std::int64_t kMaxId = (std::int64_t{1} << 53) - 1;
inline constexpr std::int64_t kMaxDeviceId = 1'000'000;
// Entries of message.sync's `after` (one per pair the client leaves unacknowledged).
inline constexpr std::size_t kMaxSyncCursors = 1000;

inline constexpr std::int64_t kDefaultInviteDays = 7;
inline constexpr std::int64_t kMaxInviteDays = 90;

// Programme settings (programme.create, programme.update): the cadence target in days, and how
// long both members must be present together for a meeting to count as held.
inline constexpr std::int64_t kMaxCadenceDays = 365;
inline constexpr std::int64_t kMaxMinHeldMinutes = 240;

}  // namespace mentorlink::wire

namespace mentorlink::wire {

inline constexpr std::size_t kMaxTemplateNameBytes = 120;
inline constexpr std::size_t kMaxTemplateTextBytes = 32768;
// A document version body: v2 header, the largest padded plaintext bucket (65536), AEAD tag.
inline constexpr std::size_t kMaxDocumentVersionBytes = 142 + 65536 + 16;
// Versions returned by one document.get.
inline constexpr std::int64_t kMaxVersionsPerRead = 100;

}  // namespace mentorlink::wire
