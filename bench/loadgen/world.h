#pragma once
// The benchmark's population on a mentorlink server: one coordinator, one programme and N pairs,
// enrolled through the real protocol (invites, signed enrol). Saved to a JSON file so that every
// scenario (and a restarted server on the same data folder) uses the same members. The file holds
// identity seeds: it is for throw-away benchmark data only.

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/device/identity.h"

namespace mentorlink::bench {

struct BenchMember {
  std::int64_t id = 0;
  std::int64_t pair = 0;
  std::vector<std::uint8_t> seed;  // Ed25519 seed
  device::IdentityKeyPair identity() const;
};

// Members 2k (mentor) and 2k+1 (mentee) form pair k.
struct World {
  std::string server_url;
  std::vector<BenchMember> members;
  std::size_t pairs() const { return members.size() / 2; }
};

// Enrols a coordinator with invite (from `mentorlink-server bootstrap`), creates a programme,
// enrols 2 * pairs members and forms the pairs. Throws std::runtime_error on any failure.
World make_world(const std::string& server_url, const std::string& ca_file, const std::string& invite,
                 std::size_t pairs);
// A world for a baseline relay: member ids 2.. and pair ids 1.., no server state.
World synthetic_world(std::size_t pairs);

void save_world(const World& world, const std::string& path);
World load_world(const std::string& path);

}  // namespace mentorlink::bench
