#pragma once
// Why a session operation failed. One enum with precise variants, so callers and tests can tell
// a replay from a forgery from an attack on the skipped-key store.

#include <string_view>
#include <utility>
#include <variant>

namespace mentorlink::device {

enum class SessionError {
  invalid_bundle,         // a prekey bundle's signatures do not verify
  invalid_key,            // a public key of low order (DH output would be zero)
  unrecognized_version,   // unknown message type byte
  invalid_message,        // truncated or malformed message bytes
  bad_mac,                // AEAD authentication failed: tampered, or not for this session
  duplicated_message,     // this message (or its session start, or its counter) was already received: a replay
  too_many_skipped,       // the header claims a gap larger than kMaxSkip
  wrong_kind,             // the payload is of a different kind than the caller expects
  untrusted_identity,     // the partner's identity key is not the one this device trusts
  no_session,             // nothing to decrypt with and not a prekey message
  unknown_prekey,         // a prekey message names a prekey this device does not have
  cannot_send_yet,        // a responder's session has no sending chain before its first message arrives
};

constexpr std::string_view describe(SessionError e) {
  switch (e) {
    case SessionError::invalid_bundle: return "the partner's key bundle has a bad signature";
    case SessionError::invalid_key: return "a public key is invalid";
    case SessionError::unrecognized_version: return "the message has an unknown version";
    case SessionError::invalid_message: return "the message is malformed";
    case SessionError::bad_mac: return "the message failed authentication";
    case SessionError::duplicated_message: return "the message was already received";
    case SessionError::too_many_skipped: return "the message skips too many messages";
    case SessionError::wrong_kind: return "the message is of an unexpected kind";
    case SessionError::untrusted_identity: return "the partner's identity key changed";
    case SessionError::no_session: return "there is no session for this message";
    case SessionError::unknown_prekey: return "the message uses a prekey this device no longer has";
    case SessionError::cannot_send_yet: return "this session cannot send before it has received a message";
  }
  return "session error";
}

template <class T>
class [[nodiscard]] SessionResult {
 public:
  SessionResult(T value) : state_(std::move(value)) {}                // NOLINT
  SessionResult(SessionError error) : state_(error) {}                // NOLINT
  bool is_ok() const noexcept { return std::holds_alternative<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& value() const& { return std::get<T>(state_); }
  SessionError error() const { return std::get<SessionError>(state_); }

 private:
  std::variant<T, SessionError> state_;
};

}  // namespace mentorlink::device
