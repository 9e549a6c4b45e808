#include "server/api/web_login.h"

#include <algorithm>

#include "protocol/wire/signatures.h"

namespace mentorlink::server::api {
using wire::ErrorCode;

namespace {

bool verifies_bound(const SessionState& session, const wire::Nonce& nonce, const wire::IdentityKey& identity,
                    const wire::Signature& signature, const std::optional<wire::Hash>& invite_hash) {
  const auto message = invite_hash ? wire::enroll_message(nonce, session.exporter, identity, *invite_hash)
                                   : wire::login_message(nonce, session.exporter, identity);
  return wire::verify_signature(identity, message, signature);
}

bool verifies_for_origin(std::string_view origin, const wire::Nonce& nonce, const wire::IdentityKey& identity,
                         const wire::Signature& signature, const std::optional<wire::Hash>& invite_hash) {
  if (origin.size() > wire::kMaxWebOriginBytes) return false;
  const auto message = invite_hash ? wire::web_enroll_message(nonce, origin, identity, *invite_hash)
                                   : wire::web_login_message(nonce, origin, identity);
  return wire::verify_signature(identity, message, signature);
}

}  // namespace

wire::Status verify_auth_signature(const ServerContext& server, const SessionState& session, const wire::Nonce& nonce,
                                   const wire::IdentityKey& identity, const wire::Signature& signature,
                                   const std::optional<wire::Hash>& invite_hash) {
  if (verifies_bound(session, nonce, identity, signature, invite_hash)) return wire::Status::ok();
  const std::string_view what = invite_hash ? "enrolment" : "login";
  const auto& allowed = server.app_origins;
  if (session.origin && verifies_for_origin(*session.origin, nonce, identity, signature, invite_hash)) {
    if (std::find(allowed.begin(), allowed.end(), *session.origin) != allowed.end()) return wire::Status::ok();
    return wire::Status::error(ErrorCode::bad_signature,
                               "a web " + std::string(what) + " from a page at " + *session.origin +
                                   " is refused: this server's web app is at " +
                                   (allowed.empty() ? std::string("no origin (see --app-origin)") : allowed.front()),
                               "signature");
  }
  // A web signature naming the app's origin, sent on a connection without that Origin: relayed or replayed.
  for (const auto& origin : allowed) {
    if (verifies_for_origin(origin, nonce, identity, signature, invite_hash)) {
      return wire::Status::error(ErrorCode::bad_signature,
                                 "a web " + std::string(what) + " signature counts only on a connection opened by the "
                                 "web app's page (WebSocket upgrade with Origin " + origin + ")",
                                 "signature");
    }
  }
  return wire::Status::error(ErrorCode::bad_signature,
                             "the " + std::string(what) + " signature does not verify for this connection", "signature");
}

}  // namespace mentorlink::server::api
