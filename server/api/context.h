#pragma once
// What a request handler may use. Everything here outlives every connection.

#include <string>
#include <vector>

#include "server/core/address_limiter.h"
#include "server/core/clock.h"
#include "server/core/hub.h"
#include "server/core/ice_servers.h"
#include "server/core/limits.h"
#include "server/observability/metrics.h"
#include "server/store/store.h"

namespace mentorlink::server {

namespace api {
class CommitBatcher;
}

struct ServerContext {
  Store& store;
  const Clock& clock;
  Hub& hub;
  Metrics& metrics;
  const Limits& limits;
  AddressLimiter& address_limiter;
  // Group commit for message.send / message.ack; without one, connections answer them directly.
  api::CommitBatcher* batcher = nullptr;
  // The exact Origins of the web app's pages (--app-origin); a web-login or web-enroll signature
  // counts only on a connection whose upgrade carried one of them (PROTOCOL.md §4). Set before serving.
  std::vector<std::string> app_origins{};
  // STUN and TURN servers for calls (--stun, --turn-url, --turn-secret-file). Set before serving.
  IceServers ice{};
};

}  // namespace mentorlink::server
