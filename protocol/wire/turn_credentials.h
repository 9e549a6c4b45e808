#pragma once
// Short-lived TURN credentials in the TURN REST scheme that coturn's use-auth-secret checks
// (PROTOCOL.md §6 "Calls"): username = "<expiry unix seconds>:<member id>",
// credential = base64(HMAC-SHA1(secret, username)) with standard padding.

#include <cstdint>
#include <string>
#include <string_view>

namespace mentorlink::wire {

struct TurnCredential {
  std::string username;
  std::string credential;
};

// The credential for member, valid until expiry_unix_s, under the secret shared with the TURN server.
TurnCredential turn_credential(std::string_view secret, std::int64_t expiry_unix_s, std::int64_t member);

// base64 (RFC 4648 §4, padded) of HMAC-SHA1(key, data): the coturn password of a REST username.
std::string turn_password(std::string_view secret, std::string_view username);

}  // namespace mentorlink::wire
