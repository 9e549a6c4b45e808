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
  DeviceState state;
  std::unique_ptr<Messenger> messenger;
};

// Logs in, loads the device state and makes sure the device's keys are published.
Result<std::unique_ptr<Messaging>> open_messaging(Context& ctx);

// Opens only the key store (no network): for commands that read local history.
Result<device::UnlockedKeyStore> unlock_home(Context& ctx);

// pair id → the partner's display name, from pair.list.
Result<std::map<PairId, std::string>> partner_names(Connection& connection);

}  // namespace mentorlink::client::commands
