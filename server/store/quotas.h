#pragma once
// The server's quotas on what members may make it store (SECURITY.md, attack 29). The store
// enforces each inside the transaction that would exceed it, so concurrent requests cannot
// overshoot; a refusal is quota_exceeded and changes nothing. Configurable on the command line
// (server/app/server_app.cpp) and listed in PROTOCOL.md §1.

#include <cstdint>

#include "server/store/ids.h"

namespace mentorlink::server {

struct Quotas {
  // Device ids under which one member may publish keys (keys.publish).
  std::int64_t max_devices_per_member = 4;
  // One-time prekeys stored for one device; handed-out prekeys no longer count.
  std::int64_t max_one_time_prekeys_per_device = 1000;
  // Meetings of one pair, whatever their status (meeting.schedule, meeting.start).
  std::int64_t max_meetings_per_pair = 5000;
  // Envelopes addressed to one member in one pair and not yet acknowledged (message.send).
  std::int64_t max_pending_envelopes_per_pair = 10'000;
  // keys.fetch gives one requester at most one of the partner's one-time prekeys per pair in
  // this interval; within it the bundle carries the signed prekey alone. 0 turns this off.
  TimeMs one_time_prekey_interval_ms = 60 * 60 * 1000;
};

}  // namespace mentorlink::server
