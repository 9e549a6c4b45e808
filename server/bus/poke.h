#pragma once
// What one node tells the others through the bus: short pokes, never content. The database stays
// the only source of truth; a node that misses pokes catches up from it (BusReceiver::resync).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server::bus {

// A poke is at most this long on the wire; a heartbeat carries at most kMaxMembersPerPoke members
// (a node with more online members sends several).
inline constexpr std::size_t kMaxPokeBytes = 64 * 1024;
inline constexpr std::size_t kMaxMembersPerPoke = 2000;

enum class PokeKind {
  envelopes,    // member has envelopes up to seq in pair: nodes with a connection of member read them
  event,        // a metadata event frame (PROTOCOL.md §7, never "message") for member's connections
  online,       // member has a connection on node (also the heartbeat: every online member of node)
  offline,      // member has no connection left on node
  activity,     // a programme.activity body for the programme's watchers on every node
  lease_ended,  // a dashboard session ended: watchers under it close
  resync,       // node dropped pokes it meant to publish: every node catches up from the store
};

struct Poke {
  PokeKind kind = PokeKind::event;
  std::int64_t node = 0;          // the publishing node (Bus::node(), positive)
  std::vector<MemberId> members{};  // envelopes, event: exactly one; online, offline: one or more
  PairId pair = 0;                // envelopes
  std::int64_t seq = 0;           // envelopes
  std::string frame{};            // event: the frame; activity: the event body (JSON object)
  ProgrammeId programme = 0;      // activity
  wire::Hash session{};           // lease_ended
  std::uint16_t close_code = 0;   // lease_ended
};

std::string encode(const Poke& poke);
// Checks every field; a poke from a node of another version or a stray publisher is refused.
wire::Result<Poke> decode(std::string_view text);

}  // namespace mentorlink::server::bus
