#pragma once
// What the server knows about one WebSocket connection. Owned by the connection; touched only
// from its strand.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/bytes.h"
#include "server/core/delivery_cursor.h"
#include "server/store/records.h"

namespace mentorlink::server {

struct SessionState {
  std::string remote_address;     // for logs and per-address limits; never sent to other members
  wire::ExporterValue exporter{};  // TLS exporter of this connection (RFC 9266), set after the handshake
  std::optional<std::string> origin;  // the Origin header of the WebSocket upgrade, if it had one

  bool hello_done = false;
  std::optional<wire::Nonce> challenge;  // issued by hello; consumed by the next login or enroll
  int failed_auth_attempts = 0;

  std::optional<MemberId> member;  // set once logged in or enrolled
  wire::IdentityKey identity_key{};  // the member's (it never changes), set with member
  // Programmes whose live metadata this connection asked for (report.watch); the connection
  // registers them with the hub after the request and clears the list.
  std::vector<ProgrammeId> watch_requests;
  // Envelopes this connection was pushed or fetched (message.sync); shared with the hub's pushes.
  std::shared_ptr<DeliveryCursor> delivered = std::make_shared<DeliveryCursor>();
};

}  // namespace mentorlink::server
