#pragma once
// Every operational limit of the server, named, with its default. Configurable on the command
// line (server/app/server_app.cpp) and listed in PROTOCOL.md §1.

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "server/store/quotas.h"

namespace mentorlink::server {

struct Limits {
  // Largest WebSocket message accepted; larger ones close the connection with 1009.
  std::size_t max_message_bytes = 256 * 1024;
  // Largest HTTP request header block (upgrade, /healthz, /metrics).
  std::size_t max_http_header_bytes = 8 * 1024;
  // TLS handshake plus HTTP upgrade request must complete within this.
  std::chrono::milliseconds handshake_timeout{10'000};
  // A WebSocket with no traffic is pinged at half this and closed at this.
  std::chrono::milliseconds idle_timeout{60'000};
  // Frames waiting to be written to one connection; a reader slower than this is disconnected.
  std::size_t max_outbound_queue = 1024;
  // Failed login/enroll attempts on one connection before it is closed.
  int max_auth_failures_per_connection = 5;
  // Simultaneous connections; more are refused at accept.
  std::size_t max_connections = 20'000;
  // Largest end-to-end encrypted envelope body accepted by message.send.
  std::size_t max_envelope_bytes = 128 * 1024;
  // Requests (message.send / message.ack / document.write) committed together in one store transaction at most.
  std::size_t max_commit_batch = 1024;
  // message.send / message.ack requests of one connection waiting for their commit; the server
  // stops reading that connection until one is answered.
  std::size_t max_pipelined_requests = 32;
  // Envelopes returned by one message.sync, and their total body bytes (at least one is always sent).
  std::size_t max_sync_batch = 500;
  std::size_t max_sync_bytes = 4 * 1024 * 1024;
  // Simultaneous connections from one IP address (offices share one; raise for load tests).
  std::size_t max_connections_per_address = 1000;
  // Login and enroll attempts from one IP address per minute (token bucket, refilled evenly).
  std::size_t auth_attempts_per_address_per_minute = 600;
  // One-time prekeys accepted in one keys.publish.
  std::size_t max_one_time_prekeys_per_publish = 200;
  // What members may make the server store (server/store/quotas.h).
  Quotas quotas;
  // A dashboard sign-in link works once, within this; the session it opens lasts this long.
  std::chrono::milliseconds dashboard_link_ttl{5 * 60 * 1000};
  std::chrono::milliseconds dashboard_session_ttl{8 * 60 * 60 * 1000};
  // Versions of one document (document.write) and documents of one pair (document.open), at
  // most; beyond them the request fails with quota_exceeded. A pair has an agenda and two
  // feedbacks per meeting, so the second must stay well above three times the meetings per pair.
  std::int64_t max_versions_per_document = 1'000;
  std::int64_t max_documents_per_pair = 20'000;
};

}  // namespace mentorlink::server
