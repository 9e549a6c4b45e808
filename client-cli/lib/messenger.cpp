#include "client-cli/lib/messenger.h"

#include <algorithm>
#include <map>
#include <set>

#include "client-cli/lib/output.h"
#include "protocol/device/device_keys.h"
#include "protocol/device/message_format.h"
#include "protocol/wire/call_signal.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/keys.h"

namespace mentorlink::client {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

constexpr std::size_t kClientIdBytes = msg::kClientIdBytes;
// Call ids one run remembers to announce each call once; beyond this, calls go unannounced.
constexpr std::size_t kMaxAnnouncedCalls = 1024;
constexpr std::int64_t kDevice = 1;  // one device per member for now

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Status changed_key_error(PairId pair) {
  const auto p = std::to_string(pair);
  return Status::error(ErrorCode::forbidden,
                       "your partner's identity key in pair " + p +
                           " has changed, so nothing is sent until you accept it: compare safety numbers "
                           "(mentorlink safety-number " + p + ") over a channel you trust, then run "
                           "mentorlink trust " + p + " --accept-new-key followed by that number",
                       "pair");
}

// Adds a session this device answered. The new one is sent on, except when both members started a
// session before hearing from each other: then both sides send on the one started by the member
// with the smaller identity key (PROTOCOL.md §12.4, "Simultaneous starts").
void add_answered_session(PairState& ps, device::Session session, const wire::IdentityKey& mine) {
  const auto& theirs = session.partner_identity();
  const bool keep_ours = ps.active < ps.sessions.size() && ps.sessions[ps.active].awaiting_reply() &&
                         std::lexicographical_compare(mine.begin(), mine.end(), theirs.begin(), theirs.end());
  ps.sessions.push_back(std::move(session));
  std::size_t keep = keep_ours ? ps.active : ps.sessions.size() - 1;
  if (ps.sessions.size() > kMaxSessionsPerPair) {
    const std::size_t oldest = keep == 0 ? 1 : 0;
    ps.sessions.erase(ps.sessions.begin() + static_cast<std::ptrdiff_t>(oldest));
    if (keep > oldest) --keep;
  }
  ps.active = keep;
}

// A reply that could not be read leaves a sent message where it was: the server may have stored it,
// and the retry with the same client_id is deduplicated.
bool kept_for_retry(const Status& s) {
  return s.code() == ErrorCode::internal || s.code() == ErrorCode::malformed || s.code() == ErrorCode::unavailable;
}

}  // namespace

Messenger::Messenger(Connection& connection, const device::IdentityKeyPair& identity, DeviceState& state,
                     std::function<Status()> persist)
    : connection_(&connection), identity_(identity), state_(state), persist_(std::move(persist)) {}

Messenger::Messenger(const device::IdentityKeyPair& identity, DeviceState& state, std::function<Status()> persist)
    : connection_(nullptr), identity_(identity), state_(state), persist_(std::move(persist)) {}

Status Messenger::publish(const std::vector<wire::OneTimePrekey>& one_time) {
  const auto& keys = *state_.keys;
  msg::KeysPublishRequest request;
  request.device = kDevice;
  request.identity_dh_key = keys.identity_dh().public_key();
  request.identity_dh_signature = keys.identity_dh_signature();
  request.signed_prekey = keys.current_signed_prekey();
  request.one_time_prekeys = one_time;
  auto r = connection_->call(request);
  return r.is_ok() ? Status::ok() : r.status();
}

Status Messenger::prepare_device(std::int64_t now_ms) {
  if (!state_.keys) {
    state_.keys = device::DeviceKeys::generate(identity_, now_ms);
    state_.keys->add_one_time_prekeys(device::kOneTimePrekeyBatch);
    if (auto s = persist_(); !s.is_ok()) return s;  // secrets on disk before their public halves leave
  }
  if (!state_.keys_published) {
    if (auto s = publish(state_.keys->one_time_public()); !s.is_ok()) return s;
    state_.keys_published = true;
    return persist_();
  }
  auto status = connection_->call(msg::KeysStatusRequest{kDevice});
  if (!status.is_ok()) return status.status();
  const bool low = status.value().low;
  const bool rotate = state_.keys->signed_prekey_due(now_ms);
  if (!low && !rotate) return Status::ok();
  std::vector<wire::OneTimePrekey> fresh;
  if (low) fresh = state_.keys->add_one_time_prekeys(device::kOneTimePrekeyBatch);
  if (rotate) state_.keys->rotate_signed_prekey(identity_, now_ms);
  if (auto s = persist_(); !s.is_ok()) return s;
  return publish(fresh);
}

Status Messenger::check_partner_key(PairState& pair, const wire::IdentityKey& offered) {
  if (!pair.partner_key) {
    pair.partner_key = offered;  // first use: trusted until the member verifies or it changes
    return Status::ok();
  }
  if (*pair.partner_key == offered) return Status::ok();
  pair.changed_key = offered;
  return Status::error(ErrorCode::forbidden, "changed key");
}

Result<wire::IdentityKey> Messenger::partner_identity(PairId pair) {
  auto r = connection_->call(msg::KeysIdentityRequest{pair});
  if (!r.is_ok()) return r.status();
  if (r.value().pair != pair) {
    return unreadable_reply(msg::KeysIdentityRequest::kType,
                            Status::error(ErrorCode::invalid_field, "it names pair " + std::to_string(r.value().pair) +
                                                                        ", not " + std::to_string(pair), "pair"));
  }
  const wire::IdentityKey key = r.value().identity_key;
  (void)check_partner_key(state_.pairs[pair], key);  // a changed key is recorded, not an error here
  if (auto s = persist_(); !s.is_ok()) return s;
  return key;
}

Result<SentMessage> Messenger::send_text(PairId pair, const std::string& text) {
  if (text.empty()) return Status::error(ErrorCode::invalid_field, "there is no text to send");
  if (!is_utf8(text)) return Status::error(ErrorCode::invalid_field, "a message must be UTF-8 text");
  if (text.size() > device::kMaxPayloadBytes) {
    return Status::error(ErrorCode::invalid_field,
                         "a message may be at most " + std::to_string(device::kMaxPayloadBytes) + " bytes");
  }
  return send_payload(pair, device::PayloadKind::chat, bytes_of(text), text);
}

Result<SentMessage> Messenger::send_call_signal(PairId pair, std::span<const std::uint8_t> payload) {
  if (payload.empty() || payload.size() > device::kMaxPayloadBytes) {
    return Status::error(ErrorCode::invalid_field, "a call signal is 1 to " + std::to_string(device::kMaxPayloadBytes) + " bytes");
  }
  return send_payload(pair, device::PayloadKind::call_signal, payload, "");
}

Result<SentMessage> Messenger::share_document_key(PairId pair, const device::DocumentKeyShare& share) {
  auto payload = device::encode_key_share(share);
  auto sent = send_payload(pair, device::PayloadKind::document_key, payload, "");
  device::wipe(payload);
  return sent;
}

Result<SentMessage> Messenger::send_payload(PairId pair, device::PayloadKind kind, std::span<const std::uint8_t> payload,
                                            const std::string& history_text) {
  auto& ps = state_.pairs[pair];
  if (ps.changed_key) return changed_key_error(pair);
  if (!state_.keys) return Status::error(ErrorCode::conflict, "this device has no keys yet; run mentorlink sync first");
  if (ps.sessions.empty()) {
    auto fetched = connection_->call(msg::KeysFetchRequest{pair});
    if (!fetched.is_ok()) return fetched.status();
    const wire::PrekeyBundle& bundle = fetched.value().bundle;
    if (!check_partner_key(ps, bundle.identity_key).is_ok()) {
      if (auto s = persist_(); !s.is_ok()) return s;
      return changed_key_error(pair);
    }
    auto session =
        device::Session::initiate(identity_, *state_.keys, bundle, static_cast<std::uint64_t>(pair), device::system_random());
    if (!session.is_ok()) {
      return Status::error(ErrorCode::bad_signature,
                           std::string("cannot start a session: ") + std::string(device::describe(session.error())));
    }
    ps.sessions.push_back(std::move(session.value()));
    ps.active = ps.sessions.size() - 1;
  }
  if (ps.next_counter > device::kMaxCounter) {
    return Status::error(ErrorCode::conflict, "this device has sent as many messages in pair " + std::to_string(pair) +
                                                  " as the protocol can count");
  }
  auto body = ps.sessions[ps.active].encrypt(kind, ps.next_counter, payload);
  if (!body.is_ok()) return Status::error(ErrorCode::invalid_field, std::string(device::describe(body.error())));
  PendingSend pending{wire::Bytes(kClientIdBytes), std::move(body.value()), history_text, kind, ps.next_counter};
  device::system_random().fill(pending.client_id);
  ++ps.next_counter;
  ps.pending.push_back(pending);
  if (auto s = persist_(); !s.is_ok()) return s;

  // Earlier unsent messages go first, so the server's order follows the order of writing.
  SyncResult problems;
  auto flushed = flush_pending(pair, problems);
  if (!flushed.is_ok()) {
    return Status::error(ErrorCode::internal, flushed.status().message() +
                                                  "; the message is saved and will be sent by the next mentorlink sync");
  }
  if (!problems.problems.empty()) return Status::error(problems.problems.back().code, problems.problems.back().what);
  if (flushed.value().empty()) return Status::error(ErrorCode::internal, "the message was not sent");
  return flushed.value().back();
}

Result<std::vector<SentMessage>> Messenger::flush_pending(PairId pair, SyncResult& problems) {
  std::vector<SentMessage> sent_now;
  auto& ps = state_.pairs[pair];
  while (!ps.pending.empty()) {
    const PendingSend pending = ps.pending.front();
    auto sent = connection_->call(msg::MessageSendRequest{pair, kDevice, pending.client_id, pending.body});
    if (sent.is_ok() && sent.value().pair != pair) {
      sent = unreadable_reply(msg::MessageSendRequest::kType,
                              Status::error(ErrorCode::invalid_field, "it names another pair", "pair"));
    }
    if (!sent.is_ok() && kept_for_retry(sent.status())) return sent.status();
    ps.pending.erase(ps.pending.begin());
    if (sent.is_ok()) {
      const SentMessage out{pair, sent.value().seq, sent.value().sent_at};
      if (pending.kind == device::PayloadKind::chat) {
        ps.history.push_back(HistoryEntry{out.seq, true, pending.text, out.sent_at, pending.counter});
      }
      ps.mark_seen(out.seq);
      sent_now.push_back(out);
    } else {  // refused by the server (the pair ended, ...): it will never be delivered
      const std::string what = pending.kind == device::PayloadKind::chat           ? "\"" + pending.text + "\""
                               : pending.kind == device::PayloadKind::document_key ? "a document key"
                                                                                   : "a call signal";
      problems.problems.push_back(SyncProblem{pair, 0, what + " was not sent: " + sent.status().message(),
                                              sent.status().code()});
    }
    if (auto s = persist_(); !s.is_ok()) return s;
  }
  return sent_now;
}

bool Messenger::take_document_key(PairId pair, std::span<const std::uint8_t> payload) {
  auto share = device::parse_key_share(payload);
  if (!share || share->pair != static_cast<std::uint64_t>(pair) || share->document == 0 ||
      share->document > static_cast<std::uint64_t>(wire::kMaxId)) {
    return false;
  }
  const auto document = static_cast<DocumentId>(share->document);
  // A share names its document without proof: it is refused only for a document this device verified
  // as another pair's, and otherwise binds nothing (a wrong key simply opens nothing, §14.4).
  if (auto known = state_.documents.find(document);
      known != state_.documents.end() && known->second.identity && known->second.identity->pair != static_cast<std::uint64_t>(pair)) {
    return false;
  }
  auto& doc = state_.documents[document];
  const auto id = device::document_key_id(share->key);
  if (doc.keys.count(id) == 0) doc.unopened_shares[id] = pair;  // until it opens a version (room_for_key_share)
  doc.keys[id] = share->key;
  doc.shared.insert(id);  // the partner has it: they sent it
  device::wipe(share->key);
  return true;
}

Result<std::optional<IncomingMessage>> Messenger::take_in(const msg::Envelope& envelope, SyncResult& result) {
  const PairId pair = envelope.pair;
  const std::int64_t seq = envelope.seq;
  const std::int64_t sender = envelope.sender;
  const std::int64_t sent_at = envelope.sent_at;
  const wire::Bytes& body = envelope.body;
  // The pair id is the server's word: a pair joins the device's state only with a session from it.
  const bool new_pair = state_.pairs.count(pair) == 0;
  auto& ps = state_.pairs[pair];
  if (ps.seen(seq)) return std::optional<IncomingMessage>();  // delivered before: already in history
  auto drop = [&](std::string why) -> Result<std::optional<IncomingMessage>> {
    result.problems.push_back(SyncProblem{pair, seq, std::move(why)});
    if (new_pair && ps.sessions.empty()) {
      state_.pairs.erase(pair);
      return std::optional<IncomingMessage>();
    }
    ps.mark_seen(seq);
    if (auto s = persist_(); !s.is_ok()) return s;
    return std::optional<IncomingMessage>();
  };

  auto undecryptable = [&](device::SessionError e) {
    if (e == device::SessionError::duplicated_message) {
      return drop("message " + std::to_string(seq) + " repeats a message already received (a replay) and was rejected");
    }
    return drop("message " + std::to_string(seq) + " could not be decrypted (" + std::string(device::describe(e)) +
                ") and was dropped");
  };
  auto parsed = device::parse_message(body);
  if (!parsed.is_ok()) return undecryptable(parsed.error());
  const bool prekey_message = parsed.value().prekey.has_value();  // prekey messages never change the active session

  // Every session is tried on a copy, the active one first: state changes only for a message kept.
  std::optional<device::Plaintext> plaintext;
  std::optional<device::Session> opened;
  std::optional<std::size_t> opened_at;           // index in ps.sessions; none for a new session
  std::optional<device::DeviceKeys> keys_after;   // for a new session: the keys without its one-time prekey
  std::optional<device::SessionError> session_error;  // the most telling reason no session could read it
  for (std::size_t k = 0; k < ps.sessions.size() && !plaintext; ++k) {
    const std::size_t i = (ps.active + k) % ps.sessions.size();
    device::Session trial = ps.sessions[i];
    auto r = trial.decrypt(body, device::system_random());
    if (r.is_ok()) {
      plaintext = std::move(r.value());
      opened = std::move(trial);
      opened_at = i;
    } else if (!session_error || r.error() == device::SessionError::duplicated_message) {
      session_error = r.error();
    }
  }
  if (!plaintext) {
    // A prekey message of a session this device holds failed there, so that session's reason stands.
    const auto& prekey = parsed.value().prekey;
    const bool starts_held_session =
        prekey && std::any_of(ps.sessions.begin(), ps.sessions.end(), [&](const device::Session& s) {
          return s.initial_ephemeral() == prekey->ephemeral_key;
        });
    if (!prekey || starts_held_session) {
      return undecryptable(session_error.value_or(device::SessionError::no_session));
    }
    if (!state_.keys) return undecryptable(device::SessionError::unknown_prekey);  // no keys: nothing it could use
    device::DeviceKeys keys = *state_.keys;
    auto accepted =
        device::Session::accept(identity_, keys, static_cast<std::uint64_t>(pair), body, device::system_random());
    if (!accepted.is_ok()) return undecryptable(accepted.error());
    // Only a session start that authenticated may pin or change the partner's key: a forged one
    // claiming some key is dropped above and leaves the trusted key as it was.
    if (!check_partner_key(ps, prekey->identity_key).is_ok()) {
      device::wipe(accepted.value().plaintext.payload);
      if (auto s = persist_(); !s.is_ok()) return s;
      return changed_key_error(pair);  // left on the server until the member decides
    }
    plaintext = std::move(accepted.value().plaintext);
    opened = std::move(accepted.value().session);
    keys_after = std::move(keys);
  }
  if (ps.received.contains(plaintext->counter)) {  // an old message again, even in a new session
    device::wipe(plaintext->payload);
    return undecryptable(device::SessionError::duplicated_message);
  }
  if (plaintext->kind == device::PayloadKind::document_key) {
    // Decided before anything is kept: a share beyond the pair's limit stays on the server, and
    // this device's sessions and counters stay as they were, so it can be taken in later.
    if (auto share = device::parse_key_share(plaintext->payload)) {
      Status room = Status::ok();
      if (share->document <= static_cast<std::uint64_t>(wire::kMaxId)) {
        const auto document = static_cast<DocumentId>(share->document);
        room = room_for_key_share(state_, pair, document, device::document_key_id(share->key));
      }
      device::wipe(share->key);
      if (!room.is_ok()) {
        device::wipe(plaintext->payload);
        return room;
      }
    }
  }
  const std::uint64_t highest = ps.received.highest();
  const std::uint64_t counter = plaintext->counter;
  const std::uint64_t missing_before = ps.received.missing_between(highest, counter);
  const bool out_of_order = counter < highest;
  (void)ps.received.add(counter);
  if (opened_at) {
    ps.sessions[*opened_at] = std::move(*opened);
    if (!prekey_message) ps.active = *opened_at;  // a reply in a session makes it the one we send on
  } else {
    add_answered_session(ps, std::move(*opened), identity_.public_key());
    state_.keys = std::move(*keys_after);
  }

  if (plaintext->kind == device::PayloadKind::document_key) {
    const bool kept = take_document_key(pair, plaintext->payload);
    device::wipe(plaintext->payload);
    if (!kept) return drop("message " + std::to_string(seq) + " carried a document key for another pair and was set aside");
    ps.mark_seen(seq);
    if (auto s = persist_(); !s.is_ok()) return s;  // the key is kept before the message is acknowledged
    return std::optional<IncomingMessage>();
  }
  if (plaintext->kind == device::PayloadKind::call_signal) {
    // Kept like any message (counter, acknowledgement) but never shown as set aside: the CLI takes
    // part in no call, so it says once per call that one started.
    const auto signal = wire::read_call_signal_summary(plaintext->payload);
    device::wipe(plaintext->payload);
    if (signal && signal->type == "offer" && !signal->restart && announced_calls_.size() < kMaxAnnouncedCalls &&
        announced_calls_.insert(signal->call).second) {
      result.calls.push_back(CallStarted{pair, seq, sender});
    }
    ps.mark_seen(seq);
    if (auto s = persist_(); !s.is_ok()) return s;
    return std::optional<IncomingMessage>();
  }
  if (plaintext->kind != device::PayloadKind::chat) {
    device::wipe(plaintext->payload);
    return drop("message " + std::to_string(seq) +
                " is of a kind this version of mentorlink cannot show and was set aside");
  }
  IncomingMessage msg{pair,    seq,     sender,         std::string(plaintext->payload.begin(), plaintext->payload.end()),
                      sent_at, counter, missing_before, out_of_order};
  device::wipe(plaintext->payload);
  ps.history.push_back(HistoryEntry{seq, false, msg.text, sent_at, counter});
  ps.mark_seen(seq);
  if (auto s = persist_(); !s.is_ok()) return s;  // in history before it is acknowledged
  return std::optional<IncomingMessage>(std::move(msg));
}

Result<std::optional<IncomingMessage>> Messenger::receive(const msg::Envelope& envelope, SyncResult& result) {
  auto in = take_in(envelope, result);
  if (in.is_ok()) {
    if (auto s = acknowledge(envelope.pair, envelope.seq); !s.is_ok()) return s;
  }
  return in;
}

Status Messenger::acknowledge(PairId pair, std::int64_t up_to) {
  auto r = connection_->call(msg::MessageAckRequest{pair, up_to});
  return r.is_ok() ? Status::ok() : r.status();
}

Result<SyncResult> Messenger::sync() {
  SyncResult result;
  for (auto& [pair, ps] : state_.pairs) {
    if (ps.pending.empty()) continue;
    auto flushed = flush_pending(pair, result);
    if (!flushed.is_ok()) return flushed.status();
    result.resent.insert(result.resent.end(), flushed.value().begin(), flushed.value().end());
  }

  // Pairs whose envelopes we leave on the server (a key change to accept), with the highest seq
  // seen: the next message.sync starts after it, so such a pair never hides the others.
  std::map<PairId, std::int64_t> left_after;
  std::set<PairId> blocked;
  for (;;) {
    msg::MessageSyncRequest request;
    for (const auto& [pair, seq] : left_after) request.after.push_back(msg::SyncCursor{pair, seq});
    // The whole batch is decoded before any of it is taken in: a reply that cannot be read
    // changes nothing on this device.
    auto batch = connection_->call(request);
    if (!batch.is_ok()) return batch.status();
    std::map<PairId, std::int64_t> ack_up_to;
    bool moved_on = false;  // the next sync starts somewhere new: nothing here is asked for twice
    for (const auto& env : batch.value().envelopes) {
      const PairId pair = env.pair;
      const std::int64_t seq = env.seq;
      if (blocked.count(pair) == 0) {
        auto in = take_in(env, result);
        if (in.is_ok()) {
          if (in.value()) result.received.push_back(std::move(*in.value()));
          ack_up_to[pair] = seq;
          moved_on = true;
          continue;
        }
        if (in.status().code() != ErrorCode::forbidden) return in.status();
        blocked.insert(pair);
        result.problems.push_back(SyncProblem{pair, seq, in.status().message()});
      }
      if (seq > left_after[pair]) {
        left_after[pair] = seq;
        moved_on = true;
      }
    }
    for (const auto& [pair, seq] : ack_up_to) {
      auto acked = acknowledge(pair, seq);
      if (acked.is_ok()) continue;
      // Envelopes the server filed under a pair this device is not in, and then will not let it
      // acknowledge: said once, skipped by the next message.sync, and no reason to fail the others.
      const bool foreign = state_.pairs.count(pair) == 0 &&
                           (acked.code() == ErrorCode::not_found || acked.code() == ErrorCode::forbidden);
      if (!foreign) return acked;
      result.problems.push_back(SyncProblem{pair, seq, "the server delivered messages under pair " +
                                                           std::to_string(pair) + ", which you are not in, "
                                                           "and refused their acknowledgement; they were ignored"});
      left_after[pair] = std::max(left_after[pair], seq);
    }
    if (!batch.value().more || !moved_on) break;
  }
  result.left_on_server = std::move(blocked);
  return result;
}

}  // namespace mentorlink::client
