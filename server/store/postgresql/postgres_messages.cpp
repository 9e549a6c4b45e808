// PostgresStore: published device keys, one-time prekeys and envelopes. Each pair's row is the
// lock every sender to the pair takes, so sequence numbers, duplicates and the backlog quota are
// decided in one place whichever server stores the envelope.
#include "protocol/wire/signatures.h"
#include "server/store/postgresql/postgres_store_internal.h"

namespace mentorlink::server {
using pg::Params;
using pg_detail::absent;

namespace {

// Identifies an envelope body inside the server only (a retried client_id must carry the same
// body); the same as SqliteStore's.
constexpr std::string_view kEnvelopeBodyHashContext = "mentorlink/server/envelope-body";

std::string_view as_text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A PostgreSQL array literal of integers: {1,2,3}.
std::string array_literal(const std::vector<std::int64_t>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  return out + "}";
}

}  // namespace

namespace pg_detail {

std::int64_t select_message_count(pg::Connection& db, PairId pair, TimeMs since) {
  return db.run("SELECT count(*) FROM envelope_log WHERE pair_id = $1 AND sent_at >= $2",
                Params().add(pair).add(since))
      .integer(0, 0);
}

}  // namespace pg_detail

Result<Written<std::monostate>> PostgresStore::publish_keys(const DeviceKeysRecord& keys,
                                                            const std::vector<OneTimePrekeyRecord>& one_time) {
  using Out = Written<std::monostate>;
  return run("publish_keys", [&]() -> Result<Out> {
    pg::Transaction tx(*db_);
    // The member's row serialises the member's publishes, so the quotas hold across servers.
    auto member = db_->run("SELECT 1 FROM members WHERE id = $1 FOR UPDATE", Params().add(keys.member));
    if (member.rows() == 0) return absent("member");
    auto devices = db_->run(
        "SELECT count(*), count(*) FILTER (WHERE device_id = $2) FROM device_keys WHERE member_id = $1",
        Params().add(keys.member).add(keys.device));
    const bool new_device = devices.integer(0, 1) == 0;
    if (new_device && devices.integer(0, 0) >= quotas_.max_devices_per_member) {
      return Out{Refusal{Refusal::Rule::too_many_devices, quotas_.max_devices_per_member}};
    }
    db_->run(
        "INSERT INTO device_keys (member_id, device_id, identity_dh_key, identity_dh_signature, signed_prekey_id, "
        "signed_prekey, signed_prekey_signature, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
        "ON CONFLICT (member_id, device_id) DO UPDATE SET identity_dh_key = $3, identity_dh_signature = $4, "
        "signed_prekey_id = $5, signed_prekey = $6, signed_prekey_signature = $7, updated_at = $8",
        Params()
            .add(keys.member)
            .add(keys.device)
            .add(keys.identity_dh_key)
            .add(keys.identity_dh_signature)
            .add(std::int64_t{keys.signed_prekey_id})
            .add(keys.signed_prekey)
            .add(keys.signed_prekey_signature)
            .add(keys.updated_at));
    for (const auto& k : one_time) {
      // A prekey id published before (a retried publish) is kept as it was.
      db_->run(
          "INSERT INTO one_time_prekeys (member_id, device_id, prekey_id, prekey) SELECT $1, $2, $3, $4 "
          "WHERE NOT EXISTS (SELECT 1 FROM taken_prekeys WHERE member_id = $1 AND device_id = $2 AND prekey_id = $3) "
          "ON CONFLICT DO NOTHING",
          Params().add(keys.member).add(keys.device).add(std::int64_t{k.id}).add(k.key));
    }
    const std::int64_t count =
        db_->run("SELECT count(*) FROM one_time_prekeys WHERE member_id = $1 AND device_id = $2",
                 Params().add(keys.member).add(keys.device))
            .integer(0, 0);
    if (count > quotas_.max_one_time_prekeys_per_device) {
      return Out{Refusal{Refusal::Rule::too_many_one_time_prekeys, quotas_.max_one_time_prekeys_per_device, count}};
    }
    tx.commit();
    return Out{std::monostate{}};
  });
}

Result<BundleRecord> PostgresStore::take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) {
  return run("take_bundle", [&]() -> Result<BundleRecord> {
    pg::Transaction tx(*db_);
    // The member's row serialises takes, so no prekey and no grant interval is used twice.
    auto st = db_->run(
        "SELECT d.member_id, d.device_id, m.identity_key, d.identity_dh_key, d.identity_dh_signature, "
        "d.signed_prekey_id, d.signed_prekey, d.signed_prekey_signature, d.updated_at "
        "FROM device_keys d JOIN members m ON m.id = d.member_id WHERE d.member_id = $1 "
        "ORDER BY d.device_id LIMIT 1 FOR UPDATE OF m",
        Params().add(member));
    if (st.rows() == 0) return absent("device");
    BundleRecord out;
    out.keys.member = st.integer(0, 0);
    out.keys.device = st.integer(0, 1);
    out.keys.identity_key = st.fixed_bytes<32>(0, 2);
    out.keys.identity_dh_key = st.fixed_bytes<32>(0, 3);
    out.keys.identity_dh_signature = st.fixed_bytes<64>(0, 4);
    out.keys.signed_prekey_id = static_cast<std::uint32_t>(st.integer(0, 5));
    out.keys.signed_prekey = st.fixed_bytes<32>(0, 6);
    out.keys.signed_prekey_signature = st.fixed_bytes<64>(0, 7);
    out.keys.updated_at = st.integer(0, 8);

    auto granted = db_->run("SELECT granted_at FROM prekey_grants WHERE pair_id = $1 AND requester_id = $2",
                            Params().add(pair).add(requester));
    if (granted.rows() > 0 && now - granted.integer(0, 0) < quotas_.one_time_prekey_interval_ms) {
      return out;  // the signed prekey alone: one requester cannot drain the partner's one-time prekeys
    }
    auto otk = db_->run(
        "DELETE FROM one_time_prekeys WHERE member_id = $1 AND device_id = $2 AND prekey_id = "
        "(SELECT min(prekey_id) FROM one_time_prekeys WHERE member_id = $1 AND device_id = $2) "
        "RETURNING prekey_id, prekey",
        Params().add(member).add(out.keys.device));
    if (otk.rows() > 0) {
      out.one_time_prekey = OneTimePrekeyRecord{static_cast<std::uint32_t>(otk.integer(0, 0)), otk.fixed_bytes<32>(0, 1)};
      db_->run("INSERT INTO taken_prekeys (member_id, device_id, prekey_id) VALUES ($1, $2, $3)",
               Params().add(member).add(out.keys.device).add(std::int64_t{out.one_time_prekey->id}));
      db_->run(
          "INSERT INTO prekey_grants (pair_id, requester_id, granted_at) VALUES ($1, $2, $3) "
          "ON CONFLICT (pair_id, requester_id) DO UPDATE SET granted_at = $3",
          Params().add(pair).add(requester).add(now));
    }
    tx.commit();
    return out;
  });
}

Result<std::int64_t> PostgresStore::one_time_prekey_count(MemberId member, std::int64_t device) {
  return run("one_time_prekey_count", [&]() -> Result<std::int64_t> {
    return db_->run("SELECT count(*) FROM one_time_prekeys WHERE member_id = $1 AND device_id = $2",
                    Params().add(member).add(device))
        .integer(0, 0);
  });
}

Result<Written<StoredEnvelope>> PostgresStore::store_envelope(const EnvelopeRecord& envelope) {
  using Out = Written<StoredEnvelope>;
  const wire::Hash body_hash = wire::context_hash(kEnvelopeBodyHashContext, as_text(envelope.body));
  return run("store_envelope", [&]() -> Result<Out> {
    pg::Transaction tx(*db_);
    // Takes the pair's next number and holds its row until commit: every other sender to the
    // pair, on any server, waits here and then sees this envelope.
    auto next = db_->run("UPDATE pairs SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
                         Params().add(envelope.pair));
    if (next.rows() == 0) return absent("pair");
    auto earlier = db_->run(
        "SELECT seq, sent_at, body_hash FROM envelope_log WHERE pair_id = $1 AND sender_id = $2 AND client_id = $3",
        Params().add(envelope.pair).add(envelope.sender).add(envelope.client_id));
    if (earlier.rows() > 0) {  // a retry; tx rolls the number back
      const auto stored_hash = earlier.bytes(0, 2);
      if (!std::equal(stored_hash.begin(), stored_hash.end(), body_hash.begin(), body_hash.end())) {
        return Out{Refusal{Refusal::Rule::client_id_reused, 0, earlier.integer(0, 0)}};
      }
      StoredEnvelope out{envelope, true};
      out.envelope.seq = earlier.integer(0, 0);
      out.envelope.sent_at = earlier.integer(0, 1);
      return Out{std::move(out)};
    }
    const std::int64_t max_pending = quotas_.max_pending_envelopes_per_pair;
    const std::int64_t pending =
        db_->run("SELECT count(*) FROM envelope_bodies WHERE recipient_id = $1 AND pair_id = $2",
                 Params().add(envelope.recipient).add(envelope.pair))
            .integer(0, 0);
    if (pending >= max_pending) return Out{Refusal{Refusal::Rule::recipient_backlog_full, max_pending}};
    StoredEnvelope out{envelope, false};
    out.envelope.seq = next.integer(0, 0);
    db_->run(
        "WITH logged AS (INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, "
        "body_hash, size, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id) "
        "INSERT INTO envelope_bodies (id, recipient_id, pair_id, seq, body) SELECT id, $5, $1, $2, $10 FROM logged",
        Params()
            .add(envelope.pair)
            .add(out.envelope.seq)
            .add(envelope.sender)
            .add(envelope.sender_device)
            .add(envelope.recipient)
            .add(envelope.client_id)
            .add(body_hash)
            .add(static_cast<std::int64_t>(envelope.body.size()))
            .add(envelope.sent_at)
            .add(envelope.body));
    tx.commit();
    return Out{std::move(out)};
  });
}

Result<std::vector<EnvelopeRecord>> PostgresStore::pending_envelopes(MemberId recipient, std::size_t limit,
                                                                     const std::map<PairId, std::int64_t>& after) {
  return run("pending_envelopes", [&]() -> Result<std::vector<EnvelopeRecord>> {
    std::vector<std::int64_t> pairs;
    std::vector<std::int64_t> cursors;
    for (const auto& [pair, seq] : after) {
      pairs.push_back(pair);
      cursors.push_back(seq);
    }
    auto r = db_->run(
        "SELECT l.pair_id, l.seq, l.sender_id, l.sender_device, l.client_id, b.body, l.sent_at "
        "FROM envelope_bodies b JOIN envelope_log l ON l.id = b.id "
        "LEFT JOIN unnest($2::bigint[], $3::bigint[]) AS a(pair_id, after_seq) ON a.pair_id = b.pair_id "
        "WHERE b.recipient_id = $1 AND b.seq > coalesce(a.after_seq, 0) ORDER BY b.pair_id, b.seq LIMIT $4",
        Params()
            .add(recipient)
            .add(array_literal(pairs))
            .add(array_literal(cursors))
            .add(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX))));
    std::vector<EnvelopeRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
      EnvelopeRecord e;
      e.pair = r.integer(i, 0);
      e.seq = r.integer(i, 1);
      e.sender = r.integer(i, 2);
      e.sender_device = r.integer(i, 3);
      e.client_id = r.bytes(i, 4);
      e.body = r.bytes(i, 5);
      e.sent_at = r.integer(i, 6);
      e.recipient = recipient;
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::int64_t> PostgresStore::ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs) {
  return run("ack_envelopes", [&]() -> Result<std::int64_t> {
    return db_->run("DELETE FROM envelope_bodies WHERE recipient_id = $1 AND pair_id = $2 AND seq <= $3",
                    Params().add(recipient).add(pair).add(up_to))
        .affected();
  });
}

Result<std::int64_t> PostgresStore::message_count(PairId pair, TimeMs since) {
  return run("message_count",
             [&]() -> Result<std::int64_t> { return pg_detail::select_message_count(*db_, pair, since); });
}

}  // namespace mentorlink::server
