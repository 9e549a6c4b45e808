#pragma once
// What messaging commands share: a logged-in member with their device state and a Messenger,
// set up once per command. Heap-allocated so the references inside stay valid.

#include <memory>

#include "client-cli/commands/commands.h"
#include "client-cli/lib/account.h"
#include "client-cli/lib/messenger.h"

namespace mentorlink::client::commands {

struct Messaging {
  MemberSession session;
  Home home;
  DeviceState state;
  std::unique_ptr<Messenger> messenger;
  HomeLock lock;  // held while state is used; chat releases it between operations

  // Takes the home's lock and reads the device state again (another mentorlink process may have
  // changed it); state may be used and saved while the returned lock is held.
  Result<HomeLock> lock_fresh();

  // Runs work with the home unlocked (a person editing in $EDITOR must not stop a chat in
  // another terminal), then locks it again and re-reads the state.
  template <class Work>
  auto while_unlocked(Work&& work) {
    lock.release();
    auto result = work();
    auto again = lock_fresh();
    if (!again.is_ok()) return decltype(result)(again.status());
    lock = std::move(again.value());
    return result;
  }
};

// Logs in, locks the home, loads the device state and makes sure the device's keys are published.
Result<std::unique_ptr<Messaging>> open_messaging(Context& ctx);

// Opens only the key store (no network): for commands that read local history.
Result<device::UnlockedKeyStore> unlock_home(Context& ctx);

// "-- Maria started a call from the web app; calls need the web app" (a kind-03 offer, §12.8).
std::string call_started_line(const std::string& partner);

// pair id → the partner's display name, from pair.list.
Result<std::map<PairId, std::string>> partner_names(Connection& connection);

}  // namespace mentorlink::client::commands
