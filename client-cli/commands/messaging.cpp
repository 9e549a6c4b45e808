#include "client-cli/commands/messaging.h"

#include <cctype>

#include "client-cli/commands/member_session.h"
#include "client-cli/lib/output.h"
#include "client-cli/lib/passphrase.h"
#include "protocol/wire/messages/pairs.h"

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

namespace {

// The partner's name as a label in front of their lines. The server chooses names, so one that
// reads as this client's own label ("you", in any case, with any spaces) is shown marked.
std::string partner_label(const std::string& name) {
  std::string folded;
  for (char c : name) {
    if (c != ' ' && c != '\t') folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return folded == "you" ? "\"" + name + "\" (your partner)" : name;
}

}  // namespace

Result<std::map<PairId, std::string>> partner_names(Connection& connection) {
  std::map<PairId, std::string> out;
  auto pairs = connection.call(wire::messages::PairListRequest{});
  if (!pairs.is_ok()) return pairs.status();
  for (const auto& p : pairs.value().pairs) {
    if (auto partner = p.partner()) out[p.id] = partner_label(partner->name);
  }
  return out;
}

std::string call_started_line(const std::string& partner) {
  return "-- " + one_line(partner) + " started a call from the web app; calls need the web app\n";
}

}  // namespace mentorlink::client::commands
