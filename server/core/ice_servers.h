#pragma once
// The STUN and TURN servers handed to members' browsers (call.ice_servers, PROTOCOL.md §6 "Calls").
// The TURN secret is shared with the TURN server (coturn static-auth-secret) and never leaves here.

#include <cstdint>
#include <string>
#include <vector>

namespace mentorlink::server {

// How long minted TURN credentials stay valid unless --turn-credential-ttl says otherwise. The web
// app fetches them when it joins a call, and coturn refuses an allocation's refresh once they have
// expired, so this bounds how long a relayed call can last: a day, as the TURN REST scheme suggests.
inline constexpr std::int64_t kDefaultTurnCredentialTtlSeconds = 24 * 3600;
inline constexpr std::int64_t kMaxTurnCredentialTtlSeconds = 7 * 24 * 3600;
// A TURN secret file holds at most this many bytes (one line; a trailing newline is not part of it).
inline constexpr std::size_t kMaxTurnSecretBytes = 1024;
// The environment variable that may hold the TURN secret instead of a file.
inline constexpr const char* kTurnSecretEnv = "MENTORLINK_TURN_SECRET";

struct IceServers {
  std::vector<std::string> stun_urls;
  std::vector<std::string> turn_urls;
  std::string turn_secret;  // set whenever turn_urls is not empty
  std::int64_t credential_ttl_seconds = kDefaultTurnCredentialTtlSeconds;
};

}  // namespace mentorlink::server
