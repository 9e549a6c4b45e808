#pragma once
// What the client keeps on a device, bounded whatever the server or a partner sends (PROTOCOL.md
// names each). Going beyond one is refused with a sentence and changes nothing, unless noted.

#include <cstddef>

namespace mentorlink::client {

// Ratchet sessions kept per pair (the oldest beyond it is forgotten).
inline constexpr std::size_t kMaxSessionsPerPair = 4;
// The seq of an envelope is the server's choice (attack 27): these bound what it can make a device
// remember, whatever numbers it sends (beyond it the oldest holes are given up).
inline constexpr std::size_t kMaxSeenAbove = 4096;
// Document key shares waiting, per pair (PROTOCOL.md §14.4), in each direction: keys the partner
// sent that have opened no version on this device yet, and keys of this device's documents not
// yet sent to the partner. An honest partner shares one key per document it starts (two a
// meeting at most), so this is far beyond any real backlog; a device sent more keeps the rest of
// the pair's messages on the server, and a member with this many unsent keys cannot start another.
inline constexpr std::size_t kMaxPendingKeySharesPerPair = 1000;
// Entries of one pair's access log read at once (PROTOCOL.md §15). A coordinator's read adds one
// entry; years of a busy programme stay far below this. The server writes the chain's hashes, so
// it could make up entries without end: beyond this the log is refused and nothing is kept.
inline constexpr std::size_t kMaxAccessLogEntries = 100'000;

}  // namespace mentorlink::client
