#pragma once
// Where the key store's passphrase comes from: $MENTORLINK_PASSPHRASE, else a prompt on the
// terminal with echo off.

#include <string>

#include "protocol/wire/status.h"

namespace mentorlink::client {

inline constexpr std::size_t kMinPassphraseBytes = 8;

// confirm: ask twice and require both to match (used when a key store is made).
wire::Result<std::string> read_passphrase(bool confirm);

}  // namespace mentorlink::client
