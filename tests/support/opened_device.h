#pragma once
// A CLI member's device opened from its home with the real client library: its keys and saved
// state, for tests that read or change what the device holds between commands.

#include <catch2/catch.hpp>

#include "client-cli/lib/device_state.h"
#include "client-cli/lib/home.h"
#include "protocol/device/key_store.h"
#include "tests/support/cli.h"

namespace mentorlink::test {

struct OpenedDevice {
  client::Home home;
  device::UnlockedKeyStore keys;
  client::DeviceState state;

  // Writes `state` back, sealed as the CLI seals it.
  void save() const { REQUIRE(client::save_state(home, keys.storage_key, state).is_ok()); }
};

inline OpenedDevice open_device(const Cli& who) {
  client::Home home(who.home());
  auto sealed = home.read_key_store();
  REQUIRE(sealed.is_ok());
  auto keys = device::open_key_store(sealed.value(), kTestPassphrase);
  REQUIRE(keys.is_ok());
  auto state = client::load_state(home, keys.value().storage_key);
  REQUIRE(state.is_ok());
  return OpenedDevice{std::move(home), std::move(keys.value()), std::move(state.value())};
}

}  // namespace mentorlink::test
