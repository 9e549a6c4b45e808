// hello, enroll, login, whoami (PROTOCOL.md, "Session set-up").
#include <array>

#include "protocol/wire/limits.h"
#include "protocol/wire/messages/session.h"
#include "protocol/wire/signatures.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/api/views.h"
#include "server/api/web_login.h"
#include "server/services/invites.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

Result<msg::HelloResult> hello(Call& call, const msg::HelloRequest& request) {
  const auto version = request.version;
  const std::string speaks = "this server speaks protocol " + std::to_string(wire::kProtocolVersion);
  if (version < wire::kProtocolVersion) {
    return Status::error(ErrorCode::unsupported_version, speaks + "; update your client", "version");
  }
  if (version > wire::kProtocolVersion) {
    return Status::error(ErrorCode::unsupported_version, speaks + " only; ask the operator to update the server",
                         "version");
  }
  // A second hello before login replaces the unused challenge; after login there is nothing to sign.
  if (call.session.member) {
    return Status::error(ErrorCode::already_authenticated, "this connection is already logged in; hello is not needed");
  }
  call.session.hello_done = true;
  call.session.challenge = wire::random_nonce();
  msg::HelloResult out;
  out.version = wire::kProtocolVersion;
  out.server = "mentorlink-server/" MENTORLINK_VERSION;
  out.challenge = *call.session.challenge;
  out.server_time = call.server.clock.now_ms();
  out.limits = {static_cast<std::int64_t>(call.server.limits.max_message_bytes), call.server.limits.idle_timeout.count()};
  return out;
}

// Takes the connection's challenge, which is good for exactly one attempt, and one of the
// address's attempt tokens.
Result<wire::Nonce> take_challenge(Call& call) {
  SessionState& session = call.session;
  if (session.member) return Status::error(ErrorCode::already_authenticated, "this connection is already logged in");
  if (!call.server.address_limiter.try_attempt(session.remote_address)) {
    return Status::error(ErrorCode::rate_limited,
                         "too many login attempts from your network address; wait a minute and try again");
  }
  if (!session.challenge) {
    return Status::error(ErrorCode::hello_required, "no unused challenge on this connection; send hello again");
  }
  wire::Nonce nonce = *session.challenge;
  session.challenge.reset();
  return nonce;
}

Status auth_failure(SessionState& session, Status status) {
  ++session.failed_auth_attempts;
  return status;
}

msg::SignedInResult signed_in(Call& call, const MemberRecord& member) {
  call.session.member = member.id;
  call.session.identity_key = member.identity_key;
  return msg::SignedInResult{member_view(member), std::nullopt};
}

Result<msg::SignedInResult> enroll(Call& call, const msg::EnrollRequest& request) {
  const auto& [code, identity, signature, name] = request;
  // Not normalised here: the signature covers the hash of exactly this text.
  if (wire::canonical_invite_code(code) != code) {
    return Status::error(ErrorCode::invalid_field,
                         "an invite code is 32 characters a-z and 2-7, without spaces, dashes or capitals", "invite");
  }

  auto nonce = take_challenge(call);
  if (!nonce.is_ok()) return nonce.status();

  const wire::Hash invite_hash = wire::invite_code_hash(code);
  auto verified = verify_auth_signature(call.server, call.session, nonce.value(), identity, signature, invite_hash);
  if (!verified.is_ok()) return auth_failure(call.session, verified);
  if (name) {
    auto invite = call.server.store.invite_by_hash(invite_hash);
    if (invite.is_ok() && invite.value().display_name != *name) {
      return auth_failure(call.session,
                          Status::error(ErrorCode::invite_name_mismatch,
                                        "this invite was made for \"" + invite.value().display_name + "\", not \"" +
                                            *name + "\"",
                                        "name"));
    }
  }
  auto redeemed = redeem_invite(call.server.store, invite_hash, identity, call.server.clock.now_ms());
  if (!redeemed.is_ok()) return auth_failure(call.session, redeemed.status());

  auto out = signed_in(call, redeemed.value().member);
  if (const auto& e = redeemed.value().enrolment) {
    auto programme = call.server.store.programme_by_id(e->programme);
    if (programme.is_ok()) out.programme = programme_view(programme.value(), e->role);
  }
  return out;
}

Result<msg::SignedInResult> login(Call& call, const msg::LoginRequest& request) {
  const auto& [identity, signature] = request;

  auto nonce = take_challenge(call);
  if (!nonce.is_ok()) return nonce.status();

  auto verified = verify_auth_signature(call.server, call.session, nonce.value(), identity, signature, std::nullopt);
  if (!verified.is_ok()) return auth_failure(call.session, verified);
  auto member = call.server.store.member_by_identity_key(identity);
  if (!member.is_ok() && member.status().code() == ErrorCode::not_found) {
    return auth_failure(call.session, Status::error(ErrorCode::unknown_identity, "no member has this identity key"));
  }
  if (!member.is_ok()) return auth_failure(call.session, member.status());
  return signed_in(call, member.value());
}

Result<msg::WhoamiResult> whoami(Call& call, const msg::WhoamiRequest&) {
  auto member = call.server.store.member_by_id(call.member());
  if (!member.is_ok()) return member.status();
  auto list = caller_programmes(call);
  if (!list.is_ok()) return list.status();
  return msg::WhoamiResult{member_view(member.value()), std::move(list.value())};
}

constexpr std::array kRoutes{
    typed_route<msg::HelloRequest, &hello>(Access::before_hello),
    typed_route<msg::EnrollRequest, &enroll>(Access::anonymous),
    typed_route<msg::LoginRequest, &login>(Access::anonymous),
    typed_route<msg::WhoamiRequest, &whoami>(Access::member),
};

}  // namespace

std::span<const Route> auth_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
