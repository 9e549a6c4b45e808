#include "client-cli/lib/account.h"

#include <chrono>
#include <filesystem>

#include "client-cli/lib/device_state.h"
#include "client-cli/lib/messenger.h"

#include "protocol/wire/base64url.h"
#include "protocol/wire/signatures.h"

namespace mentorlink::client {
namespace msg = wire::messages;
using wire::ErrorCode;

Result<wire::Nonce> say_hello(Connection& connection) {
  auto hello = connection.call(msg::HelloRequest{});
  if (!hello.is_ok()) return hello.status();
  return hello.value().challenge;
}

Result<msg::SignedInResult> log_in(Connection& connection, const device::IdentityKeyPair& identity) {
  auto challenge = say_hello(connection);
  if (!challenge.is_ok()) return challenge.status();
  const auto message = wire::login_message(challenge.value(), connection.exporter(), identity.public_key());
  auto result = connection.call(msg::LoginRequest{identity.public_key(), identity.sign(message)});
  if (result.is_ok() && result.value().member.identity_key != identity.public_key()) {
    return unreadable_reply(msg::LoginRequest::kType,
                            Status::error(ErrorCode::invalid_field, "it names another member's identity key",
                                          "member.identity_key"));
  }
  return result;
}

Result<msg::SignedInResult> enroll(const Home& home, const EnrollRequest& request) {
  if (home.enrolled()) {
    auto existing = home.load_config();
    return Status::error(ErrorCode::conflict,
                         "this device is already enrolled in " + home.dir().string() +
                             (existing.is_ok() ? " as " + existing.value().name : std::string()) +
                             "; use another --home for another member");
  }
  auto address = parse_server_url(request.server_url);
  if (!address.is_ok()) return address.status();
  std::error_code ec;
  const std::string ca = std::filesystem::absolute(request.ca_file, ec).string();
  if (!std::filesystem::exists(ca)) {
    return Status::error(ErrorCode::not_found, "no CA certificate at " + request.ca_file, "ca");
  }

  auto identity = device::IdentityKeyPair::generate();
  if (auto s = home.write_pending_key_store(device::seal_key_store(identity, request.passphrase, request.cost));
      !s.is_ok()) {
    return s;
  }
  auto fail = [&home](Status s) -> Result<msg::SignedInResult> {
    home.discard_pending_key_store();
    return s;
  };

  auto connection = Connection::open(address.value(), ca);
  if (!connection.is_ok()) return fail(connection.status());
  auto& conn = *connection.value();
  auto challenge = say_hello(conn);
  if (!challenge.is_ok()) return fail(challenge.status());

  const auto invite_hash = wire::invite_code_hash(request.invite);
  const auto message = wire::enroll_message(challenge.value(), conn.exporter(), identity.public_key(), invite_hash);
  auto result =
      conn.call(msg::EnrollRequest{request.invite, identity.public_key(), identity.sign(message), request.name});
  if (!result.is_ok()) return fail(result.status());
  const auto& member = result.value().member;
  if (member.identity_key != identity.public_key()) {
    return fail(unreadable_reply(msg::EnrollRequest::kType,
                                 Status::error(ErrorCode::invalid_field, "it names another member's identity key",
                                               "member.identity_key")));
  }

  HomeConfig config;
  config.server_url = address.value().url();
  config.ca_file = ca;
  config.member_id = member.id;
  config.name = member.name;
  config.identity_key = wire::base64url_encode(identity.public_key());
  if (auto s = home.commit_pending_key_store(); !s.is_ok()) return s;
  if (auto s = home.save_config(config); !s.is_ok()) return s;

  // Publish this device's X3DH keys now, so partners can start sessions while it is offline.
  // A failure here is not fatal: every messaging command publishes what is missing.
  auto sealed = home.read_key_store();
  auto keys = sealed.is_ok() ? device::open_key_store(sealed.value(), request.passphrase)
                             : Result<device::UnlockedKeyStore>(sealed.status());
  if (keys.is_ok()) {
    auto state = load_state(home, keys.value().storage_key);
    if (state.is_ok()) {
      Messenger messenger(conn, keys.value().identity, state.value(),
                          [&] { return save_state(home, keys.value().storage_key, state.value()); });
      (void)messenger.prepare_device(device_now_ms());
    }
  }
  conn.close();
  return result;
}

std::int64_t device_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<MemberSession> connect_as_member(const Home& home, const std::string& passphrase,
                                        std::chrono::milliseconds timeout) {
  auto config = home.load_config();
  if (!config.is_ok()) return config.status();
  auto sealed = home.read_key_store();
  if (!sealed.is_ok()) return sealed.status();
  auto keys = device::open_key_store(sealed.value(), passphrase);
  if (!keys.is_ok()) return keys.status();
  auto address = parse_server_url(config.value().server_url);
  if (!address.is_ok()) return address.status();
  auto connection = Connection::open(address.value(), config.value().ca_file, timeout);
  if (!connection.is_ok()) return connection.status();
  auto login = log_in(*connection.value(), keys.value().identity);
  if (!login.is_ok()) return login.status();
  return MemberSession{std::move(connection.value()), std::move(config.value()), std::move(keys.value())};
}

}  // namespace mentorlink::client
