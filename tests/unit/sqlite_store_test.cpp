// What is particular to SqliteStore: opening and migrating older files. Everything a Store must do
// is in the conformance suite (tests/conformance/), which runs against SqliteStore too.
#include <catch2/catch.hpp>
#include <array>
#include <cstring>
#include <set>

#include "protocol/wire/signatures.h"
#include "server/core/refusals.h"
#include "server/store/sqlite/database.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::test::TempDir;
using wire::ErrorCode;

TEST_CASE("a data folder of a protocol 1 server opens and migrates, its data intact", "[store][migration]") {
  TempDir dir;
  const auto path = SqliteStore::database_path(dir.path().string());
  {
    sqlite::Database db(path);
    sqlite::migrate(db, sqlite::kProtocolV1SchemaVersion);
    REQUIRE(db.user_version() == 5);
    db.exec("INSERT INTO members (id, identity_key, display_name, may_create_programmes, created_at) VALUES "
            "(1, randomblob(32), 'Ada', 1, 1), (2, randomblob(32), 'Maria', 0, 1), "
            "(3, randomblob(32), 'Tom', 0, 1)");
    db.exec("INSERT INTO programmes (id, name, purpose, created_by, created_at) VALUES (1, 'Grads', '', 1, 1)");
    db.exec("INSERT INTO pairs (id, programme_id, mentor_id, mentee_id, formed_by, formed_at, last_seq) "
            "VALUES (1, 1, 2, 3, 1, 1, 1)");
    db.exec("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at) "
            "VALUES (1, 1, 2, 1, 3, X'11111111111111111111111111111111', 3, 5)");
    db.exec("INSERT INTO envelope_bodies (pair_id, seq, recipient_id, body) VALUES (1, 1, 3, X'010203')");
  }
  SqliteStore store(dir.path().string(), nullptr);
  const auto pending = store.pending_envelopes(3, 10).value();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].body == wire::Bytes{1, 2, 3});
  CHECK(store.member_by_id(2).value().display_name == "Maria");

  EnvelopeRecord e;
  e.pair = 1;
  e.sender = 2;
  e.recipient = 3;
  e.client_id = wire::Bytes(16, 0x11);
  e.body = wire::Bytes{9, 9};
  e.sent_at = 6;
  // Stored before body hashes were kept: a retry of its client_id is taken as the same message.
  CHECK(accepted(store.store_envelope(e)).value().duplicate);
  e.client_id = wire::Bytes(16, 0x22);
  CHECK(accepted(store.store_envelope(e)).value().envelope.seq == 2);
  e.body = wire::Bytes{8};
  CHECK(accepted(store.store_envelope(e)).status().code() == ErrorCode::conflict);  // new rows are checked

  sqlite::Database db(path);
  CHECK(db.user_version() == sqlite::latest_schema_version());
}


TEST_CASE("a data folder of schema 8 moves its envelopes into the log layout: pending, acknowledged, numbering and "
          "client ids as before",
          "[store][migration]") {
  TempDir dir;
  const auto path = SqliteStore::database_path(dir.path().string());
  const wire::Bytes third{3, 3, 3};
  {
    sqlite::Database db(path);
    sqlite::migrate(db, 8);
    db.exec("INSERT INTO members (id, identity_key, display_name, may_create_programmes, created_at) VALUES "
            "(1, randomblob(32), 'Ada', 1, 1), (2, randomblob(32), 'Maria', 0, 1), (3, randomblob(32), 'Tom', 0, 1)");
    db.exec("INSERT INTO programmes (id, name, purpose, created_by, created_at) VALUES (1, 'Grads', '', 1, 1)");
    db.exec("INSERT INTO pairs (id, programme_id, mentor_id, mentee_id, formed_by, formed_at, last_seq) VALUES "
            "(1, 1, 2, 3, 1, 1, 4), (2, 1, 3, 2, 1, 1, 0)");
    // Pair 1: seq 1 acknowledged (no body), 2 and 3 pending for Tom, 4 acknowledged by Maria.
    db.exec("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at, "
            "acked_at) VALUES (1, 1, 2, 1, 3, X'01010101010101010101010101010101', 1, 100, 150), "
            "(1, 2, 2, 1, 3, X'02020202020202020202020202020202', 1, 200, NULL), "
            "(1, 4, 3, 1, 2, X'04040404040404040404040404040404', 1, 400, 450)");
    auto st = db.prepare("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, "
                         "size, sent_at, body_hash) VALUES (1, 3, 2, 1, 3, X'03030303030303030303030303030303', 3, 300, ?1)");
    st.bind(1, wire::context_hash("mentorlink/server/envelope-body",
                                  std::string_view(reinterpret_cast<const char*>(third.data()), third.size())));
    st.step();
    st.reset();
    db.exec("INSERT INTO envelope_bodies (pair_id, seq, recipient_id, body) VALUES (1, 2, 3, X'02'), (1, 3, 3, X'030303')");
  }
  SqliteStore store(dir.path().string(), nullptr);
  const auto pending = store.pending_envelopes(3, 10).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].seq == 2);
  CHECK(pending[0].body == wire::Bytes{2});
  CHECK(pending[1].seq == 3);
  CHECK(pending[1].body == third);
  CHECK(pending[1].client_id == wire::Bytes(16, 3));
  CHECK(pending[1].sent_at == 300);
  CHECK(store.pending_envelopes(2, 10).value().empty());
  CHECK(store.message_count(1, 200).value() == 3);

  EnvelopeRecord e;
  e.pair = 1;
  e.sender = 2;
  e.recipient = 3;
  e.client_id = wire::Bytes(16, 1);
  e.body = wire::Bytes{7};
  e.sent_at = 500;
  const auto acknowledged = accepted(store.store_envelope(e)).value();  // no body hash then: the same message
  CHECK(acknowledged.duplicate);
  CHECK(acknowledged.envelope.seq == 1);
  e.client_id = wire::Bytes(16, 3);
  CHECK(accepted(store.store_envelope(e)).status().code() == ErrorCode::conflict);  // its hash says another body
  e.body = third;
  CHECK(accepted(store.store_envelope(e)).value().envelope.seq == 3);
  e.client_id = wire::Bytes(16, 5);
  CHECK(accepted(store.store_envelope(e)).value().envelope.seq == 5);  // after the newest, acknowledged or not
  e.pair = 2;
  e.recipient = 2;
  e.sender = 3;
  CHECK(accepted(store.store_envelope(e)).value().envelope.seq == 1);
  CHECK(store.ack_envelopes(3, 1, 3, 600).value() == 2);

  sqlite::Database db(path);
  CHECK(db.user_version() == sqlite::latest_schema_version());
  auto columns = db.prepare("SELECT count(*) FROM pragma_table_info('pairs') WHERE name = 'last_seq'");
  columns.step();
  CHECK(columns.column_int(0) == 0);
}

TEST_CASE("client ids chosen to crowd the message index's table under a public digest spread out under its keyed one",
          "[store][messages]") {
  // A sender who could compute the digest would search client ids offline whose digests share
  // their low bits (the table's slot), so that every insert probes one long run of slots.
  const auto public_digest = [](std::int64_t pair, std::int64_t sender, const std::array<std::uint8_t, 16>& id) {
    std::string text(16 + id.size(), '\0');
    std::memcpy(text.data(), &pair, 8);
    std::memcpy(text.data() + 8, &sender, 8);
    std::memcpy(text.data() + 16, id.data(), id.size());
    const auto h = wire::context_hash("mentorlink/server/envelope-client-id", text);
    std::uint64_t digest = 0;
    std::memcpy(&digest, h.data(), sizeof digest);
    return digest;
  };
  constexpr std::uint64_t kSlots = 256;
  std::vector<std::array<std::uint8_t, 16>> crowded;
  for (std::uint64_t n = 0; crowded.size() < 64; ++n) {
    std::array<std::uint8_t, 16> id{};
    std::memcpy(id.data(), &n, sizeof n);
    if (public_digest(7, 3, id) % kSlots == 0) crowded.push_back(id);
  }
  std::set<std::uint64_t> slots;
  for (const auto& id : crowded) slots.insert(server::SqliteStore::client_id_digest(7, 3, id) % kSlots);
  CHECK(slots.size() >= 32);  // 64 draws over 256 slots: about 57 distinct when the digest is unpredictable
}
