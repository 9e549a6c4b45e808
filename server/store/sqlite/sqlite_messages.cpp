// SqliteStore: envelopes, numbered per pair and kept until acknowledged.
#include "protocol/wire/signatures.h"
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;

namespace {

// Identifies an envelope body inside the server only (a retried client_id must carry the same body).
constexpr std::string_view kEnvelopeBodyHashContext = "mentorlink/server/envelope-body";

}  // namespace

namespace sqlite_detail {

std::int64_t count_messages(sqlite::Database& db, PairId pair, TimeMs since) {
  auto st = db.prepare("SELECT count(*) FROM envelope_log WHERE pair_id = ?1 AND sent_at >= ?2");
  st.bind(1, pair).bind(2, since);
  st.step();
  return st.column_int(0);
}

}  // namespace sqlite_detail

Result<Written<StoredEnvelope>> SqliteStore::store_envelope(const EnvelopeRecord& envelope) {
  using Out = Written<StoredEnvelope>;
  const wire::Hash body_hash = wire::context_hash(
      kEnvelopeBodyHashContext, std::string_view(reinterpret_cast<const char*>(envelope.body.data()), envelope.body.size()));
  return run("store_envelope", [&]() -> Result<Out> {
    sqlite::Transaction tx(*db_);
    auto existing = db_->prepare(
        "SELECT seq, sent_at, body_hash FROM envelope_log WHERE pair_id = ?1 AND sender_id = ?2 AND client_id = ?3");
    existing.bind(1, envelope.pair).bind(2, envelope.sender).bind(3, envelope.client_id);
    if (existing.step() == Statement::Step::row) {
      const auto stored_hash = existing.column_blob(2);
      // Envelopes stored before body hashes were kept (schema 5 and older) count as the same body.
      if (!stored_hash.empty() && !std::equal(stored_hash.begin(), stored_hash.end(), body_hash.begin(), body_hash.end())) {
        return Out{Refusal{Refusal::Rule::client_id_reused, 0, existing.column_int(0)}};
      }
      StoredEnvelope out{envelope, true};
      out.envelope.seq = existing.column_int(0);
      out.envelope.sent_at = existing.column_int(1);
      return Out{std::move(out)};
    }
    existing.reset();
    const std::int64_t max_pending = quotas_.max_pending_envelopes_per_pair;
    auto pending = db_->prepare(
        "SELECT count(*) FROM (SELECT 1 FROM envelope_bodies WHERE recipient_id = ?1 AND pair_id = ?2 LIMIT ?3)");
    pending.bind(1, envelope.recipient).bind(2, envelope.pair).bind(3, max_pending);
    pending.step();
    if (pending.column_int(0) >= max_pending) return Out{Refusal{Refusal::Rule::recipient_backlog_full, max_pending}};
    pending.reset();
    auto next = db_->prepare("UPDATE pairs SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq");
    next.bind(1, envelope.pair);
    if (next.step() != Statement::Step::row) return absent("pair");
    StoredEnvelope out{envelope, false};
    out.envelope.seq = next.column_int(0);
    next.finish();
    auto log = db_->prepare(
        "INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at, "
        "body_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    log.bind(1, envelope.pair)
        .bind(2, out.envelope.seq)
        .bind(3, envelope.sender)
        .bind(4, envelope.sender_device)
        .bind(5, envelope.recipient)
        .bind(6, envelope.client_id)
        .bind(7, static_cast<std::int64_t>(envelope.body.size()))
        .bind(8, envelope.sent_at)
        .bind(9, body_hash);
    log.step();
    auto body = db_->prepare("INSERT INTO envelope_bodies (pair_id, seq, recipient_id, body) VALUES (?1, ?2, ?3, ?4)");
    body.bind(1, envelope.pair).bind(2, out.envelope.seq).bind(3, envelope.recipient).bind(4, envelope.body);
    body.step();
    tx.commit();
    return Out{std::move(out)};
  });
}

Result<std::vector<EnvelopeRecord>> SqliteStore::pending_envelopes(MemberId recipient, std::size_t limit,
                                                                   const std::map<PairId, std::int64_t>& after) {
  return run("pending_envelopes", [&]() -> Result<std::vector<EnvelopeRecord>> {
    // Pair by pair through the (recipient, pair, seq) index: each pair starts after its cursor.
    auto next_pair = db_->prepare(
        "SELECT pair_id FROM envelope_bodies WHERE recipient_id = ?1 AND pair_id > ?2 ORDER BY pair_id LIMIT 1");
    auto in_pair = db_->prepare(
        "SELECT b.pair_id, b.seq, l.sender_id, l.sender_device, l.client_id, b.body, l.sent_at "
        "FROM envelope_bodies b JOIN envelope_log l ON l.pair_id = b.pair_id AND l.seq = b.seq "
        "WHERE b.recipient_id = ?1 AND b.pair_id = ?2 AND b.seq > ?3 ORDER BY b.seq LIMIT ?4");
    std::vector<EnvelopeRecord> out;
    PairId pair = 0;
    while (out.size() < limit) {
      next_pair.bind(1, recipient).bind(2, pair);
      if (next_pair.step() != Statement::Step::row) break;
      pair = next_pair.column_int(0);
      next_pair.reset();
      const auto cursor = after.find(pair);
      in_pair.bind(1, recipient)
          .bind(2, pair)
          .bind(3, cursor == after.end() ? std::int64_t{0} : cursor->second)
          .bind(4, static_cast<std::int64_t>(limit - out.size()));
      while (in_pair.step() == Statement::Step::row) {
        EnvelopeRecord e;
        e.pair = in_pair.column_int(0);
        e.seq = in_pair.column_int(1);
        e.sender = in_pair.column_int(2);
        e.sender_device = in_pair.column_int(3);
        auto cid = in_pair.column_blob(4);
        e.client_id.assign(cid.begin(), cid.end());
        auto body = in_pair.column_blob(5);
        e.body.assign(body.begin(), body.end());
        e.sent_at = in_pair.column_int(6);
        e.recipient = recipient;
        out.push_back(std::move(e));
      }
      in_pair.reset();
    }
    return out;
  });
}

Result<std::int64_t> SqliteStore::ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs now) {
  return run("ack_envelopes", [&]() -> Result<std::int64_t> {
    sqlite::Transaction tx(*db_);
    auto mark = db_->prepare(
        "UPDATE envelope_log SET acked_at = ?4 WHERE pair_id = ?1 AND recipient_id = ?2 AND seq <= ?3 "
        "AND acked_at IS NULL");
    mark.bind(1, pair).bind(2, recipient).bind(3, up_to).bind(4, now);
    mark.step();
    auto del = db_->prepare("DELETE FROM envelope_bodies WHERE pair_id = ?1 AND recipient_id = ?2 AND seq <= ?3");
    del.bind(1, pair).bind(2, recipient).bind(3, up_to);
    del.step();
    const std::int64_t n = db_->changes();
    tx.commit();
    return n;
  });
}

Result<std::int64_t> SqliteStore::message_count(PairId pair, TimeMs since) {
  return run("message_count",
             [&]() -> Result<std::int64_t> { return sqlite_detail::count_messages(*db_, pair, since); });
}

}  // namespace mentorlink::server
