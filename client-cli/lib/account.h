#pragma once
// Enrolling a device and logging in (PROTOCOL.md, "Session set-up").

#include <memory>
#include <optional>
#include <string>

#include "client-cli/lib/connection.h"
#include "client-cli/lib/home.h"
#include "protocol/device/identity.h"
#include "protocol/device/key_store.h"
#include "protocol/wire/messages/session.h"

namespace mentorlink::client {

struct EnrollRequest {
  std::string server_url;
  std::string ca_file;
  std::string invite;
  std::optional<std::string> name;
  device::KdfCost cost = device::KdfCost::interactive();
  std::string passphrase;
};

// Makes a new identity key on this device, seals it into home, and redeems the invite.
// Returns the server's enroll result. On failure home is left as it was.
Result<wire::messages::SignedInResult> enroll(const Home& home, const EnrollRequest& request);

// hello on an open connection; returns the challenge.
Result<wire::Nonce> say_hello(Connection& connection);

// Signs the login challenge with identity, bound to this connection's TLS exporter.
// The result must name this identity key.
Result<wire::messages::SignedInResult> log_in(Connection& connection, const device::IdentityKeyPair& identity);

// A logged-in connection with the device's unlocked keys.
struct MemberSession {
  std::unique_ptr<Connection> connection;
  HomeConfig config;
  device::UnlockedKeyStore keys;
};

// Opens the key store with passphrase, connects to the server in home's config and logs in.
// timeout bounds each request (Connection::kListenTimeout for a connection that waits for events).
Result<MemberSession> connect_as_member(const Home& home, const std::string& passphrase,
                                        std::chrono::milliseconds timeout = Connection::kDefaultTimeout);

// Milliseconds since the Unix epoch on this device's clock.
std::int64_t device_now_ms();

}  // namespace mentorlink::client
