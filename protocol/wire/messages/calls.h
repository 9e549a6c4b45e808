#pragma once
// call.ice_servers (PROTOCOL.md §6 "Calls"): the STUN and TURN servers a member's browser may use,
// TURN with credentials minted for that member.

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/messages/codec.h"

namespace mentorlink::wire::messages {

inline constexpr std::size_t kMaxIceServers = 16;
inline constexpr std::size_t kMaxIceUrls = 16;
inline constexpr std::size_t kMaxIceTextBytes = 512;

struct IceServer {
  std::vector<std::string> urls;  // stun:, stuns:, turn: or turns: URLs
  std::optional<std::string> username;
  std::optional<std::string> credential;
  boost::json::object encode() const;
  static Result<IceServer> decode(const boost::json::object& o);
};

struct IceServersResult {
  std::vector<IceServer> ice_servers;
  std::int64_t expires_at = 0;  // ms since 1970: when the TURN credentials stop working
  boost::json::object encode() const;
  static Result<IceServersResult> decode(const boost::json::object& o);
};

struct IceServersRequest : EmptyBody<IceServersResult> {
  static constexpr std::string_view kType = "call.ice_servers";
};

}  // namespace mentorlink::wire::messages
