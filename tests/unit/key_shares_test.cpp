// Document key shares waiting per pair (device_state.h, PROTOCOL.md §14.4): bounded in both
// directions by kMaxPendingKeySharesPerPair, whatever a partner or the server sends.
#include <catch2/catch.hpp>

#include "client-cli/lib/device_state.h"
#include "protocol/device/random_source.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::client;

namespace {

// A key pair's partner shared for document, as take_document_key keeps it.
wire::DocumentKeyId keep_shared_key(DeviceState& state, PairId pair, DocumentId document) {
  const auto key = device::new_document_key(device::system_random());
  const auto id = device::document_key_id(key);
  auto& d = state.documents[document];
  d.keys[id] = key;
  d.shared.insert(id);
  d.unopened_shares[id] = pair;
  return id;
}

wire::DocumentKeyId new_key_id() { return device::document_key_id(device::new_document_key(device::system_random())); }

}  // namespace

TEST_CASE("key shares: a pair's unopened shares stop at the limit; other pairs and held keys still fit",
          "[key-shares]") {
  DeviceState state;
  for (std::size_t i = 0; i < kMaxPendingKeySharesPerPair - 1; ++i) {
    (void)keep_shared_key(state, 7, static_cast<DocumentId>(1000 + i));
  }
  CHECK(unopened_key_shares(state, 7) == kMaxPendingKeySharesPerPair - 1);
  CHECK(room_for_key_share(state, 7, 5, new_key_id()).is_ok());  // the last one that fits
  const auto last = keep_shared_key(state, 7, 5);
  CHECK(unopened_key_shares(state, 7) == kMaxPendingKeySharesPerPair);

  const auto before = state.documents.size();
  const auto refused = room_for_key_share(state, 7, 6, new_key_id());
  CHECK(refused.code() == wire::ErrorCode::forbidden);
  CHECK(refused.message().find("your partner in pair 7 has sent keys for " + std::to_string(kMaxPendingKeySharesPerPair) +
                               " documents that have not been opened on this device") != std::string::npos);
  CHECK(room_for_key_share(state, 7, 5, new_key_id()).code() == wire::ErrorCode::forbidden);  // another key, same document
  CHECK(state.documents.size() == before);  // asking changes nothing

  CHECK(room_for_key_share(state, 7, 5, last).is_ok());  // the same key again adds nothing
  CHECK(room_for_key_share(state, 8, 6, new_key_id()).is_ok());  // another pair has its own room
  CHECK(unopened_key_shares(state, 8) == 0);

  // A key that opened a version waits no more, and makes room.
  state.documents[5].unopened_shares.erase(last);
  CHECK(room_for_key_share(state, 7, 6, new_key_id()).is_ok());
}

TEST_CASE("key shares: keys waiting to be sent stop at the limit, counted per pair", "[key-shares]") {
  DeviceState state;
  for (std::size_t i = 0; i < kMaxPendingKeySharesPerPair; ++i) {
    auto& d = state.documents[static_cast<DocumentId>(i + 1)];
    d.identity = wire::DocumentIdentity{3, i + 1, wire::DocumentKind::agenda, i + 1, 0};
    d.to_share.insert(new_key_id());
  }
  CHECK(unsent_key_shares(state, 3) == kMaxPendingKeySharesPerPair);
  const auto refused = room_for_unsent_key_share(state, 3);
  CHECK(refused.code() == wire::ErrorCode::forbidden);
  CHECK(refused.message().find("have not reached your partner yet") != std::string::npos);
  CHECK(refused.message().find("nothing was written") != std::string::npos);
  CHECK(room_for_unsent_key_share(state, 4).is_ok());
  state.documents[1].to_share.clear();
  CHECK(room_for_unsent_key_share(state, 3).is_ok());
}

TEST_CASE("key shares: which pair's share a key is survives the state file", "[key-shares]") {
  test::TempDir tmp;
  const Home home(tmp.path());
  device::SecureBuffer storage_key(32);
  DeviceState state;
  const auto waiting = keep_shared_key(state, 7, 11);
  const auto key = device::new_document_key(device::system_random());
  state.documents[11].keys[device::document_key_id(key)] = key;  // this device's own key
  REQUIRE(save_state(home, storage_key, state).is_ok());
  const auto loaded = load_state(home, storage_key);
  REQUIRE(loaded.is_ok());
  const auto& d = loaded.value().documents.at(11);
  CHECK(d.keys.size() == 2);
  REQUIRE(d.unopened_shares.size() == 1);
  CHECK(d.unopened_shares.at(waiting) == 7);
  CHECK(unopened_key_shares(loaded.value(), 7) == 1);
}
