#pragma once
// The load generator's scenarios (bench/README.md). Each connects its clients, runs a warm-up,
// measures for a fixed window, and returns figures; the caller prints them as one JSON line.

#include <sys/types.h>

#include <boost/json/object.hpp>
#include <cstddef>
#include <string>

#include "bench/loadgen/deadline.h"
#include "bench/loadgen/world.h"
#include "bench/loadgen/ws_client.h"

namespace mentorlink::bench {

// mentorlink: hello + signed login, the real protocol. baseline: {"type":"login","body":{"member"}}.
enum class Target { mentorlink, baseline };

struct Common {
  Endpoint endpoint;
  Target target = Target::mentorlink;
  pid_t server_pid = 0;   // sampled for CPU time and RSS
  double warmup_s = 2;
  double measure_s = 8;
  Deadline* deadline = nullptr;  // told what the run waits for; may be null
};

struct RelayOptions {
  std::size_t payload_bytes = 64;  // plaintext bytes per message
  std::size_t window = 4;          // closed loop: sends in flight per client
  double rate = 0;                 // open loop: messages per second in total; 0 means closed loop
  bool encrypt = false;            // Double Ratchet per message (else sent pre-encrypted)
  std::size_t ack_every = 64;      // a receiver acknowledges after this many envelopes
};

// Every member of world connects; each sends to its partner. Closed loop measures throughput,
// open loop (rate > 0) latency from the intended send time to decryption by the partner.
boost::json::object run_relay(const Common& common, const World& world, const RelayOptions& options);

// connections idle TLS WebSocket connections (upgraded, not logged in): server RSS per connection.
boost::json::object run_idle(const Common& common, std::size_t connections);

// concurrency loops of connect + TLS + WebSocket upgrade + login, then close.
boost::json::object run_handshakes(const Common& common, const World& world, std::size_t concurrency);

// One mentee per pair writes signed, encrypted versions of the pair's goals document, one after
// another (mentorlink only).
boost::json::object run_documents(const Common& common, const World& world, std::size_t payload_bytes);

}  // namespace mentorlink::bench
