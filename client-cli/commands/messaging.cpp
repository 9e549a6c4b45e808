#include "client-cli/commands/messaging.h"

#include "client-cli/commands/member_session.h"
#include "client-cli/lib/passphrase.h"

namespace mentorlink::client::commands {
using wire::ErrorCode;

Result<HomeLock> Messaging::lock_fresh() {
  auto held = HomeLock::acquire(home, home_lock_wait());
  if (!held.is_ok()) return held.status();
  auto fresh = load_state(home, session.keys.storage_key);
  if (!fresh.is_ok()) return fresh.status();
  state = std::move(fresh.value());
  return held;
}

Result<std::unique_ptr<Messaging>> open_messaging(Context& ctx) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return session.status();
  auto m = std::make_unique<Messaging>(Messaging{std::move(session.value()), ctx.home, DeviceState{}, nullptr, HomeLock{}});
  auto held = m->lock_fresh();
  if (!held.is_ok()) return held.status();
  m->lock = std::move(held.value());
  Messaging* raw = m.get();
  m->messenger = std::make_unique<Messenger>(*m->session.connection, m->session.keys.identity, m->state, [raw] {
    return save_state(raw->home, raw->session.keys.storage_key, raw->state);
  });
  if (auto s = m->messenger->prepare_device(device_now_ms()); !s.is_ok()) return s;
  return m;
}

Result<device::UnlockedKeyStore> unlock_home(Context& ctx) {
  if (!ctx.home.enrolled()) {
    return Status::error(ErrorCode::not_found, "this device has not enrolled yet (nothing in " +
                                                   ctx.home.dir().string() + "); run mentorlink enroll first");
  }
  auto passphrase = read_passphrase(false);
  if (!passphrase.is_ok()) return passphrase.status();
  auto sealed = ctx.home.read_key_store();
  if (!sealed.is_ok()) return sealed.status();
  return device::open_key_store(sealed.value(), passphrase.value());
}

std::map<PairId, std::string> partner_names(Connection& connection) {
  std::map<PairId, std::string> out;
  auto pairs = connection.request("pair.list");
  if (!pairs.is_ok()) return out;
  for (const auto& p : pairs.value().at("pairs").as_array()) {
    const auto& role = p.at("your_role");
    if (!role.is_string()) continue;
    const auto& partner = role.as_string() == "mentor" ? p.at("mentee") : p.at("mentor");
    out[p.at("id").to_number<PairId>()] = std::string(partner.at("name").as_string());
  }
  return out;
}

}  // namespace mentorlink::client::commands
