#pragma once
// Everything this device remembers about its pairs: X3DH keys, ratchet sessions, which identity
// key it trusts for each partner, what it has seen of each pair's sequence, messages waiting to
// be acknowledged by the server, and the history. Kept in <home>/state.sealed, encrypted under
// the key store's storage key (protocol/device/sealed_file.h); the JSON inside carries
// "format": kStateFormat. Read and write it only while holding the home's lock (home.h).

#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client-cli/lib/home.h"
#include "client-cli/lib/limits.h"
#include "protocol/device/device_keys.h"
#include "protocol/device/document_chain.h"
#include "protocol/device/document_cipher.h"
#include "protocol/device/message_format.h"
#include "protocol/device/message_order.h"
#include "protocol/device/secure_buffer.h"
#include "protocol/device/session.h"

namespace mentorlink::client {

using PairId = std::int64_t;

struct HistoryEntry {
  std::int64_t seq = 0;
  bool mine = false;
  std::string text;
  std::int64_t sent_at = 0;
  std::uint64_t counter = 0;  // the sender's authenticated per-pair counter (PROTOCOL.md §12.7); 0: kept from protocol 1
};

// A message encrypted and saved before it was sent, so a retry after a crash or a lost
// response sends the very same bytes (the server deduplicates by client_id).
struct PendingSend {
  wire::Bytes client_id;
  wire::Bytes body;
  std::string text;  // for history (chat only)
  device::PayloadKind kind = device::PayloadKind::chat;
  std::uint64_t counter = 0;  // the counter encrypted into body
};

struct PairState {
  std::vector<device::Session> sessions;  // newest last; at most kMaxSessionsPerPair
  std::size_t active = 0;                 // the session used to send
  std::optional<wire::IdentityKey> partner_key;  // the partner identity key this device trusts
  bool verified = false;                         // the member compared safety numbers and said so
  std::optional<wire::IdentityKey> changed_key;  // a different key was offered; sending stops until accepted
  // Partner keys this device trusted before partner_key, oldest first: documents signed with them
  // while they were the partner's still verify (PROTOCOL.md §14.3).
  std::vector<wire::IdentityKey> former_partner_keys;
  std::string partner_name;                      // as the server last named them; empty if never heard
  // Delivery bookkeeping only (seq is not authenticated): which envelopes were already taken in.
  std::int64_t contiguous = 0;                   // every seq <= this has been seen
  std::set<std::int64_t> seen_above;             // seen seqs > contiguous
  // Order and completeness (authenticated): the counter of this device's next message in the pair,
  // and the partner's counters received, across sessions.
  std::uint64_t next_counter = device::kFirstCounter;
  device::ReceivedCounters received;
  std::vector<PendingSend> pending;
  std::vector<HistoryEntry> history;
  // The newest access-log entry this device verified (mentorlink access-log); later reads must extend it.
  std::int64_t access_seq = 0;
  wire::Hash access_hash{};

  bool seen(std::int64_t seq) const { return seq <= contiguous || seen_above.count(seq) > 0; }
  // Keeps at most kMaxSeenAbove seqs above contiguous; beyond that the oldest holes are given up.
  void mark_seen(std::int64_t seq);
};

using DocumentId = std::int64_t;

// What this device holds for one document: the keys that open its versions (by key id), which
// of them the partner has been sent, and the newest version this device verified, which every
// later read must extend (document_chain.h).
struct DocumentState {
  PairId pair = 0;
  // What this document is, as the member asked for it when this device first read it; the
  // server cannot later present the same id as another document. Unset until then.
  std::optional<wire::DocumentIdentity> identity;
  std::map<wire::DocumentKeyId, device::DocumentKey> keys;
  std::set<wire::DocumentKeyId> shared;
  std::set<wire::DocumentKeyId> to_share;  // used for a version the server accepted, not yet sent
  // Keys a partner shared that have opened no version on this device yet, with the pair whose
  // session carried them; a key leaves once it opens one (kMaxPendingKeySharesPerPair).
  std::map<wire::DocumentKeyId, PairId> unopened_shares;
  std::optional<device::ChainHead> head;
};

struct DeviceState {
  std::optional<device::DeviceKeys> keys;
  bool keys_published = false;
  std::map<PairId, PairState> pairs;
  std::map<DocumentId, DocumentState> documents;
};

// Key shares waiting in pair (PROTOCOL.md §14.4): received from the partner and not yet opening
// anything, and this device's own not yet sent.
std::size_t unopened_key_shares(const DeviceState& state, PairId pair);
std::size_t unsent_key_shares(const DeviceState& state, PairId pair);

// Whether this device may keep key, shared by pair's partner for document: forbidden, with the
// sentence, once the pair has kMaxPendingKeySharesPerPair unopened shares (a key the document
// already holds always fits). Changes nothing.
wire::Status room_for_key_share(const DeviceState& state, PairId pair, DocumentId document,
                                const wire::DocumentKeyId& key);
// Whether this device may start sending one more key in pair: forbidden, with the sentence, once
// kMaxPendingKeySharesPerPair keys of the pair's documents wait to be sent. Changes nothing.
wire::Status room_for_unsent_key_share(const DeviceState& state, PairId pair);

// What the JSON inside state.sealed says about its own layout. Files without it were written by
// mentorlink 1 (protocol version 1), whose sessions protocol 2 cannot continue.
inline constexpr std::int64_t kStateFormat = 2;

// A missing file is an empty state. A file of protocol 1 is refused with a sentence that says
// what to do (mentorlink upgrade-home).
wire::Result<DeviceState> load_state(const Home& home, const device::SecureBuffer& storage_key);

// mentorlink upgrade-home: replaces a protocol-1 state.sealed with one this version reads, keeping
// the device keys, each pair's trusted partner key and history and which seqs were seen; sessions,
// unsent messages and document keys cannot be carried over. The old file stays as state.v1.sealed.
struct UpgradeSummary {
  std::size_t pairs = 0;
  std::size_t history = 0;  // messages kept
  std::size_t unsent = 0;   // messages encrypted for the old sessions, dropped
};
wire::Result<UpgradeSummary> upgrade_protocol_1_state(const Home& home, const device::SecureBuffer& storage_key);

wire::Status save_state(const Home& home, const device::SecureBuffer& storage_key, const DeviceState& state);

}  // namespace mentorlink::client
