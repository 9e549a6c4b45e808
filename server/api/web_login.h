#pragma once
// Which signed layout a login or enroll signature may use on a connection (PROTOCOL.md §4, §5):
// the CLI's layouts bind the TLS exporter; a web page cannot read it, so the web layouts bind the
// Origin of the WebSocket upgrade, and count only when that Origin is one of the app's own.

#include <optional>

#include "protocol/wire/bytes.h"
#include "protocol/wire/status.h"
#include "server/api/context.h"
#include "server/core/session_state.h"

namespace mentorlink::server::api {

// OK if signature verifies over the login layout (invite_hash empty) or the enroll layout for this
// connection; otherwise bad_signature, field "signature", with a sentence saying why.
wire::Status verify_auth_signature(const ServerContext& server, const SessionState& session, const wire::Nonce& nonce,
                                   const wire::IdentityKey& identity, const wire::Signature& signature,
                                   const std::optional<wire::Hash>& invite_hash);

}  // namespace mentorlink::server::api
