#pragma once
// Every operational limit of the server, named, with its default. Configurable on the command
// line (server/config.cpp) and listed in README.md.

#include <chrono>
#include <cstddef>
#include <cstdint>

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
};

}  // namespace mentorlink::server
