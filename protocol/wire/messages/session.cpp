#include "protocol/wire/messages/session.h"

#include "protocol/wire/base64url.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

json::object HelloResult::Limits::encode() const {
  return {{"max_message_bytes", max_message_bytes}, {"idle_timeout_ms", idle_timeout_ms}};
}

Result<HelloResult::Limits> HelloResult::Limits::decode(const json::object& o) {
  FieldReader in(o);
  Limits v;
  v.max_message_bytes = in.integer("max_message_bytes", 1, kMaxCount);
  v.idle_timeout_ms = in.integer("idle_timeout_ms", 1, kMaxCount);
  return finish(in, v);
}

json::object HelloResult::encode() const {
  return {{"version", version},
          {"server", server},
          {"challenge", base64url_encode(challenge)},
          {"server_time", server_time},
          {"limits", limits.encode()}};
}

Result<HelloResult> HelloResult::decode(const json::object& o) {
  FieldReader in(o);
  HelloResult v;
  v.version = in.integer("version", kProtocolVersion, kProtocolVersion);
  v.server = in.text("server", kMaxServerNameBytes);
  v.challenge = in.fixed<kNonceBytes>("challenge");
  v.server_time = in.integer("server_time", 0, kMaxTime);
  v.limits = in.object<Limits>("limits");
  return finish(in, std::move(v));
}

json::object HelloRequest::encode() const { return {{"version", version}}; }

Result<HelloRequest> HelloRequest::decode(const json::object& o) {
  FieldReader in(o);
  HelloRequest v;
  v.version = in.integer("version", 0, kMaxId);
  return finish(in, v);
}

json::object SignedInResult::encode() const {
  json::object o{{"member", member.encode()}};
  if (programme) o["programme"] = programme->encode();
  return o;
}

Result<SignedInResult> SignedInResult::decode(const json::object& o) {
  FieldReader in(o);
  SignedInResult v;
  v.member = in.object<MemberView>("member");
  v.programme = in.optional_object<ProgrammeView>("programme");
  return finish(in, std::move(v));
}

json::object EnrollRequest::encode() const {
  json::object o{{"invite", invite},
                 {"identity_key", base64url_encode(identity_key)},
                 {"signature", base64url_encode(signature)}};
  if (name) o["name"] = *name;
  return o;
}

Result<EnrollRequest> EnrollRequest::decode(const json::object& o) {
  FieldReader in(o);
  EnrollRequest v;
  v.invite = in.text("invite", kMaxInviteCodeBytes);
  v.identity_key = in.fixed<kPublicKeyBytes>("identity_key");
  v.signature = in.fixed<kSignatureBytes>("signature");
  v.name = in.optional_text("name", kMaxDisplayNameBytes);
  return finish(in, std::move(v));
}

json::object LoginRequest::encode() const {
  return {{"identity_key", base64url_encode(identity_key)}, {"signature", base64url_encode(signature)}};
}

Result<LoginRequest> LoginRequest::decode(const json::object& o) {
  FieldReader in(o);
  LoginRequest v;
  v.identity_key = in.fixed<kPublicKeyBytes>("identity_key");
  v.signature = in.fixed<kSignatureBytes>("signature");
  return finish(in, v);
}

json::object WhoamiResult::encode() const {
  return {{"member", member.encode()}, {"programmes", encode_all(programmes)}};
}

Result<WhoamiResult> WhoamiResult::decode(const json::object& o) {
  FieldReader in(o);
  WhoamiResult v;
  v.member = in.object<MemberView>("member");
  v.programmes = in.list<ProgrammeView>("programmes", kMaxProgrammesPerMember);
  return finish(in, std::move(v));
}

}  // namespace mentorlink::wire::messages
