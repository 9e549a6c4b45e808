#pragma once
// The names of stored things and the time they are stamped with. The store's vocabulary, shared
// by the domain (server/core) and every store implementation; it depends on nothing else.

#include <cstdint>

namespace mentorlink::server {

// Milliseconds since the Unix epoch, UTC.
using TimeMs = std::int64_t;

using MemberId = std::int64_t;
using ProgrammeId = std::int64_t;
using PairId = std::int64_t;
using TemplateId = std::int64_t;
using DocumentId = std::int64_t;
using MeetingId = std::int64_t;

}  // namespace mentorlink::server
