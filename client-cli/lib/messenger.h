#pragma once
// Messaging for one logged-in member: publishing device keys, starting sessions, sending,
// receiving, acknowledging, and the trust rules for partners' identity keys.
//
// Ordering contract (so nothing is lost or sent twice across crashes): ratchet state and the
// encrypted message are saved before a message goes out; a received message is saved to history
// before it is acknowledged; the server deduplicates retries by client_id and the device
// deduplicates deliveries by sequence number. Order and completeness come from the sender's
// counter inside each message (PROTOCOL.md §12.7), never from seq.

#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "client-cli/lib/connection.h"
#include "client-cli/lib/device_state.h"
#include "protocol/device/identity.h"
#include "protocol/wire/messages/envelopes.h"

namespace mentorlink::client {

struct SentMessage {
  PairId pair = 0;
  std::int64_t seq = 0;
  std::int64_t sent_at = 0;
};

struct IncomingMessage {
  PairId pair = 0;
  std::int64_t seq = 0;
  std::int64_t sender = 0;
  std::string text;
  std::int64_t sent_at = 0;
  std::uint64_t counter = 0;         // the partner's authenticated counter
  std::uint64_t missing_before = 0;  // the partner's messages not received between the highest so far and this
  bool out_of_order = false;         // the partner sent it before one that already arrived
};

// Something a sync could not take in, said in a sentence (a changed key, a forged message).
struct SyncProblem {
  PairId pair = 0;
  std::int64_t seq = 0;
  std::string what;
  wire::ErrorCode code = wire::ErrorCode::internal;  // for refused sends: the server's reason
};

// The partner started a call from the web app (a kind-03 offer, §12.8); said once per call id.
struct CallStarted {
  PairId pair = 0;
  std::int64_t seq = 0;
  std::int64_t sender = 0;
};

struct SyncResult {
  std::vector<IncomingMessage> received;
  std::vector<CallStarted> calls;
  std::vector<SentMessage> resent;  // earlier sends that only now reached the server
  std::vector<SyncProblem> problems;
  // Pairs with an envelope left on the server unread: a later one acknowledged would delete it.
  std::set<PairId> left_on_server;
};

class Messenger {
 public:
  // persist writes state to disk; it is called before every step that must not be lost.
  Messenger(Connection& connection, const device::IdentityKeyPair& identity, DeviceState& state,
            std::function<Status()> persist);

  // Without a connection: only take_in() may be used (the fuzz target feeds it server frames).
  Messenger(const device::IdentityKeyPair& identity, DeviceState& state, std::function<Status()> persist);

  // Makes and publishes device keys on first use; refills one-time prekeys when the server says
  // they run low; rotates the signed prekey when it is due.
  Status prepare_device(std::int64_t now_ms);

  Result<SentMessage> send_text(PairId pair, const std::string& text);
  // Sends a call signal payload (PayloadKind::call_signal, PROTOCOL.md §12.8) as the web app does;
  // never kept in the history.
  Result<SentMessage> send_call_signal(PairId pair, std::span<const std::uint8_t> payload);
  // Sends a document's key to the partner over the pair's session (PayloadKind::document_key).
  Result<SentMessage> share_document_key(PairId pair, const device::DocumentKeyShare& share);
  // Sends what an earlier run encrypted but could not deliver, then takes in the backlog.
  Result<SyncResult> sync();
  // One pushed "message" event (live delivery). nullopt if it was already seen. Its acknowledgement
  // covers every earlier envelope of the pair: pass none of a pair after one left on the server.
  Result<std::optional<IncomingMessage>> receive(const wire::messages::Envelope& envelope, SyncResult& problems);

  // The partner's identity key as the server states it (keys.identity); records it on first use.
  Result<wire::IdentityKey> partner_identity(PairId pair);

  Status acknowledge(PairId pair, std::int64_t up_to);

  // Decrypts one envelope into history (or keeps the document key it carries) and saves the state;
  // acknowledges nothing. nullopt if it was seen before or was not chat; a message that cannot be
  // read is dropped into result.problems; forbidden if the partner's key changed (left on the server).
  Result<std::optional<IncomingMessage>> take_in(const wire::messages::Envelope& envelope, SyncResult& result);

 private:
  // Encrypts payload for the partner, saves it, then sends every saved message of the pair in order.
  Result<SentMessage> send_payload(PairId pair, device::PayloadKind kind, std::span<const std::uint8_t> payload,
                                   const std::string& history_text);
  // Keeps a document key the partner shared; false if it names another pair.
  bool take_document_key(PairId pair, std::span<const std::uint8_t> payload);
  Status check_partner_key(PairState& pair, const wire::IdentityKey& offered);
  Status publish(const std::vector<wire::OneTimePrekey>& one_time);
  // Sends pair's saved messages in order. Stops with an internal error (network) and keeps the
  // rest; a message the server refuses is dropped and reported in problems.
  Result<std::vector<SentMessage>> flush_pending(PairId pair, SyncResult& problems);

  Connection* connection_;  // null for a Messenger made without one
  const device::IdentityKeyPair& identity_;
  DeviceState& state_;
  std::function<Status()> persist_;
  // Call ids already announced by this run (a call's later offers, restarts and candidates say nothing).
  std::set<std::string> announced_calls_;
};

}  // namespace mentorlink::client
