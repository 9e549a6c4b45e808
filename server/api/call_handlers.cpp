// call.ice_servers (PROTOCOL.md §6 "Calls"): STUN servers as configured, TURN servers with
// credentials for the member asking, in the TURN REST scheme coturn's use-auth-secret checks.
// The server never sees a call's signalling or media: that travels end to end (§12.8, §12.9).
#include "protocol/wire/messages/calls.h"
#include "protocol/wire/turn_credentials.h"
#include "server/api/handler.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;

namespace {

Result<msg::IceServersResult> ice_servers(Call& call, const msg::IceServersRequest&) {
  const IceServers& ice = call.server.ice;
  const std::int64_t expiry_s = call.server.clock.now_ms() / 1000 + ice.credential_ttl_seconds;
  msg::IceServersResult out;
  out.expires_at = expiry_s * 1000;
  if (!ice.stun_urls.empty()) out.ice_servers.push_back(msg::IceServer{ice.stun_urls, std::nullopt, std::nullopt});
  if (!ice.turn_urls.empty()) {
    auto minted = wire::turn_credential(ice.turn_secret, expiry_s, call.member());
    out.ice_servers.push_back(msg::IceServer{ice.turn_urls, std::move(minted.username), std::move(minted.credential)});
  }
  return out;
}

constexpr std::array kRoutes{
    typed_route<msg::IceServersRequest, &ice_servers>(Access::member),
};

}  // namespace

std::span<const Route> call_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
