// SqliteStore: envelopes, appended to the log in commit order and kept until acknowledged.
// The tables (migration 9) have no index but their ids; the message index (message_index.h)
// answers every question by pair or recipient, and is rebuilt here at start.
#include <algorithm>
#include <array>
#include <cstring>

#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/signatures.h"
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;

namespace {

// Identifies an envelope body inside the server only (a retried client_id must carry the same body).
constexpr std::string_view kEnvelopeBodyHashContext = "mentorlink/server/envelope-body";
// Names (pair, sender, client_id) in the message index; a match is checked against the log row.
constexpr std::string_view kClientIdDigestContext = "mentorlink/server/envelope-client-id";

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

std::uint64_t SqliteStore::client_id_digest(PairId pair, MemberId sender, std::span<const std::uint8_t> client_id) {
  // A secret of this process comes first, so a sender cannot choose client ids whose digests
  // crowd one part of the index's table (the index is rebuilt at every start; nothing stores it).
  // Requests carry exactly kClientIdBytes; a longer id (only from a damaged file) is cut there,
  // which can only add candidates, and the log row decides.
  static const wire::Nonce secret = wire::random_nonce();
  std::array<char, sizeof secret + 16 + wire::messages::kClientIdBytes> text{};
  const std::size_t id_bytes = std::min(client_id.size(), wire::messages::kClientIdBytes);
  std::memcpy(text.data(), secret.data(), secret.size());
  std::memcpy(text.data() + secret.size(), &pair, 8);
  std::memcpy(text.data() + secret.size() + 8, &sender, 8);
  std::memcpy(text.data() + secret.size() + 16, client_id.data(), id_bytes);
  const wire::Hash h =
      wire::context_hash(kClientIdDigestContext, std::string_view(text.data(), secret.size() + 16 + id_bytes));
  std::uint64_t digest = 0;
  std::memcpy(&digest, h.data(), sizeof digest);
  return digest;
}

void SqliteStore::load_message_index() {
  std::vector<std::int64_t> bodies;  // ids of the envelopes still pending, ascending
  auto with_body = db_->prepare("SELECT id FROM envelope_bodies ORDER BY id");
  while (with_body.step() == Statement::Step::row) bodies.push_back(with_body.column_int(0));
  with_body.reset();
  auto log = db_->prepare(
      "SELECT id, pair_id, seq, sender_id, recipient_id, client_id, sent_at FROM envelope_log ORDER BY id");
  std::size_t next_body = 0;
  while (log.step() == Statement::Step::row) {
    sqlite::MessageIndex::Entry e{};
    e.id = log.column_int(0);
    e.pair = log.column_int(1);
    e.seq = log.column_int(2);
    e.recipient = log.column_int(4);
    e.digest = client_id_digest(e.pair, log.column_int(3), log.column_blob(5));
    e.sent_at = log.column_int(6);
    while (next_body < bodies.size() && bodies[next_body] < e.id) ++next_body;
    e.pending = next_body < bodies.size() && bodies[next_body] == e.id;
    messages_->load(e);
  }
  log.reset();
  messages_->finish_load();
}

Result<Written<StoredEnvelope>> SqliteStore::store_envelope(const EnvelopeRecord& envelope) {
  using Out = Written<StoredEnvelope>;
  const wire::Hash body_hash = wire::context_hash(kEnvelopeBodyHashContext, as_text(envelope.body));
  const auto digest = client_id_digest(envelope.pair, envelope.sender, envelope.client_id);
  return run("store_envelope", [&]() -> Result<Out> {
    // A retry: the digest names candidates, the log row decides.
    std::optional<Out> earlier;
    auto row = db_->prepare(
        "SELECT pair_id, sender_id, client_id, seq, sent_at, body_hash FROM envelope_log WHERE id = ?1");
    messages_->client_ids().for_each(digest, [&](std::int64_t id) {
      if (earlier) return;
      row.bind(1, id);
      if (row.step() == Statement::Step::row && row.column_int(0) == envelope.pair &&
          row.column_int(1) == envelope.sender && as_text(row.column_blob(2)) == as_text(envelope.client_id)) {
        const auto stored_hash = row.column_blob(5);
        // Envelopes stored before body hashes were kept (schema 5 and older) count as the same body.
        if (!stored_hash.empty() && !std::equal(stored_hash.begin(), stored_hash.end(), body_hash.begin(), body_hash.end())) {
          earlier = Out{Refusal{Refusal::Rule::client_id_reused, 0, row.column_int(3)}};
        } else {
          StoredEnvelope out{envelope, true};
          out.envelope.seq = row.column_int(3);
          out.envelope.sent_at = row.column_int(4);
          earlier = Out{std::move(out)};
        }
      }
      row.reset();
    });
    if (earlier) return std::move(*earlier);

    sqlite_detail::IndexedTransaction tx(*db_, *messages_);
    if (!messages_->knows_pair(envelope.pair)) {
      auto pair = db_->prepare("SELECT 1 FROM pairs WHERE id = ?1");
      pair.bind(1, envelope.pair);
      if (pair.step() != Statement::Step::row) return absent("pair");
      pair.reset();
      messages_->add_pair(envelope.pair);
    }
    const std::int64_t max_pending = quotas_.max_pending_envelopes_per_pair;
    if (static_cast<std::int64_t>(messages_->pending_count(envelope.recipient, envelope.pair)) >= max_pending) {
      return Out{Refusal{Refusal::Rule::recipient_backlog_full, max_pending}};
    }
    StoredEnvelope out{envelope, false};
    out.envelope.seq = messages_->last_seq(envelope.pair) + 1;
    auto log = db_->prepare(
        "INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, body_hash, size, "
        "sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    log.bind(1, envelope.pair)
        .bind(2, out.envelope.seq)
        .bind(3, envelope.sender)
        .bind(4, envelope.sender_device)
        .bind(5, envelope.recipient)
        .bind(6, envelope.client_id)
        .bind(7, body_hash)
        .bind(8, static_cast<std::int64_t>(envelope.body.size()))
        .bind(9, envelope.sent_at);
    log.step();
    const std::int64_t id = db_->last_insert_id();
    auto body = db_->prepare("INSERT INTO envelope_bodies (id, body) VALUES (?1, ?2)");
    body.bind(1, id).bind(2, envelope.body);
    body.step();
    messages_->add({envelope.pair, out.envelope.seq, envelope.recipient, id, envelope.sent_at, digest, true});
    tx.commit();
    return Out{std::move(out)};
  });
}

Result<std::vector<EnvelopeRecord>> SqliteStore::pending_envelopes(MemberId recipient, std::size_t limit,
                                                                   const std::map<PairId, std::int64_t>& after) {
  return run("pending_envelopes", [&]() -> Result<std::vector<EnvelopeRecord>> {
    auto row = db_->prepare(
        "SELECT l.pair_id, l.seq, l.sender_id, l.sender_device, l.client_id, b.body, l.sent_at "
        "FROM envelope_log l JOIN envelope_bodies b ON b.id = l.id WHERE l.id = ?1");
    std::vector<EnvelopeRecord> out;
    messages_->for_each_pending(recipient, [&](PairId pair, const auto& list) {
      const auto cursor = after.find(pair);
      const std::int64_t from = cursor == after.end() ? 0 : cursor->second;
      auto it = std::upper_bound(list.begin(), list.end(), from,
                                 [](std::int64_t seq, const sqlite::MessageIndex::Pending& p) { return seq < p.seq; });
      for (; it != list.end() && out.size() < limit; ++it) {
        row.bind(1, it->id);
        if (row.step() == Statement::Step::row) {
          EnvelopeRecord e;
          e.pair = row.column_int(0);
          e.seq = row.column_int(1);
          e.sender = row.column_int(2);
          e.sender_device = row.column_int(3);
          auto cid = row.column_blob(4);
          e.client_id.assign(cid.begin(), cid.end());
          auto body = row.column_blob(5);
          e.body.assign(body.begin(), body.end());
          e.sent_at = row.column_int(6);
          e.recipient = recipient;
          out.push_back(std::move(e));
        }
        row.reset();
      }
      return out.size() < limit;
    });
    return out;
  });
}

Result<std::int64_t> SqliteStore::ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs) {
  return run("ack_envelopes", [&]() -> Result<std::int64_t> {
    sqlite_detail::IndexedTransaction tx(*db_, *messages_);
    const auto ids = messages_->acknowledge(recipient, pair, up_to);
    auto del = db_->prepare("DELETE FROM envelope_bodies WHERE id = ?1");
    for (const auto id : ids) {  // ascending: the pages of the log's tail, in order
      del.bind(1, id);
      del.step();
      del.reset();
    }
    tx.commit();
    return static_cast<std::int64_t>(ids.size());
  });
}

Result<std::int64_t> SqliteStore::message_count(PairId pair, TimeMs since) {
  return run("message_count", [&]() -> Result<std::int64_t> { return messages_->count_since(pair, since); });
}

}  // namespace mentorlink::server
