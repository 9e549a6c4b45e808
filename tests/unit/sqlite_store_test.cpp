#include <catch2/catch.hpp>
#include <algorithm>
#include <mutex>
#include <thread>

#include "protocol/wire/signatures.h"
#include "server/core/contracts.h"
#include "server/core/meetings.h"
#include "server/core/pairs.h"
#include "server/core/refusals.h"
#include "server/services/invites.h"
#include "server/store/sqlite/database.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/support/fake_clock.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::test::FakeClock;
using mentorlink::test::TempDir;
using wire::ErrorCode;

namespace {

wire::IdentityKey key(std::uint8_t fill) {
  wire::IdentityKey k{};
  k.fill(fill);
  return k;
}

struct Fixture {
  explicit Fixture(Quotas quotas = {}) : store{dir.path().string(), nullptr, Durability::full, quotas} {}
  TempDir dir;
  FakeClock clock;
  SqliteStore store;

  MemberRecord enrol_bootstrap(std::uint8_t fill) {
    auto invite = issue_bootstrap_invite(store, clock, "Coordinator", 7);
    REQUIRE(invite.is_ok());
    auto r = redeem_invite(store, invite.value().record.code_hash, key(fill), clock.now_ms());
    REQUIRE(r.is_ok());
    return r.value().member;
  }
  MemberRecord enrol_participant(ProgrammeId programme, std::uint8_t fill, const std::string& name) {
    auto invite = issue_invite(store, clock, programme, ProgrammeRole::participant, name, std::nullopt, 7);
    REQUIRE(invite.is_ok());
    auto r = redeem_invite(store, invite.value().record.code_hash, key(fill), clock.now_ms());
    REQUIRE(r.is_ok());
    return r.value().member;
  }
};

}  // namespace

TEST_CASE("an invite is redeemed once, before it expires, by a new identity", "[store]") {
  Fixture f;
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(invite.is_ok());
  const auto hash = invite.value().record.code_hash;
  CHECK(hash == wire::invite_code_hash(invite.value().code));

  auto first = redeem_invite(f.store, hash, key(1), f.clock.now_ms());
  REQUIRE(first.is_ok());
  CHECK(first.value().member.display_name == "Ada");
  CHECK(first.value().member.may_create_programmes);
  CHECK_FALSE(first.value().enrolment.has_value());

  CHECK(redeem_invite(f.store, hash, key(2), f.clock.now_ms()).status().code() == ErrorCode::invite_used);
  CHECK(f.store.member_by_identity_key(key(2)).status().code() == ErrorCode::not_found);
  CHECK(redeem_invite(f.store, wire::invite_code_hash("nope"), key(3), f.clock.now_ms()).status().code() ==
        ErrorCode::invite_unknown);
}

TEST_CASE("an expired invite is refused and creates no member", "[store]") {
  Fixture f;
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(invite.is_ok());
  f.clock.advance_days(7);
  CHECK(redeem_invite(f.store, invite.value().record.code_hash, key(1), f.clock.now_ms()).status().code() ==
        ErrorCode::invite_expired);
  CHECK(f.store.member_by_identity_key(key(1)).status().code() == ErrorCode::not_found);
  CHECK_FALSE(f.store.any_programme_creator().value());
}

TEST_CASE("an identity key belongs to one member, and a failed redemption leaves the invite usable", "[store]") {
  Fixture f;
  f.enrol_bootstrap(1);
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Bo", 7);
  REQUIRE(invite.is_ok());
  CHECK(redeem_invite(f.store, invite.value().record.code_hash, key(1), f.clock.now_ms()).status().code() ==
        ErrorCode::identity_taken);
  CHECK(redeem_invite(f.store, invite.value().record.code_hash, key(2), f.clock.now_ms()).is_ok());
}

TEST_CASE("a new bootstrap invite expires the older unused ones", "[store]") {
  Fixture f;
  auto older = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  auto newer = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(older.is_ok());
  REQUIRE(newer.is_ok());
  CHECK(redeem_invite(f.store, older.value().record.code_hash, key(1), f.clock.now_ms()).status().code() ==
        ErrorCode::invite_expired);
  CHECK(redeem_invite(f.store, newer.value().record.code_hash, key(1), f.clock.now_ms()).is_ok());
}

TEST_CASE("concurrent redemptions of one invite: exactly one wins", "[store]") {
  Fixture f;
  auto invite = issue_bootstrap_invite(f.store, f.clock, "Ada", 7);
  REQUIRE(invite.is_ok());
  std::atomic<int> wins{0};
  std::atomic<int> used{0};
  std::vector<std::thread> threads;
  for (std::uint8_t i = 1; i <= 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = redeem_invite(f.store, invite.value().record.code_hash, key(i), f.clock.now_ms());
      if (r.is_ok()) ++wins;
      if (!r.is_ok() && r.status().code() == ErrorCode::invite_used) ++used;
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wins == 1);
  CHECK(used == 7);
}

TEST_CASE("programmes enrol their creator, invites enrol into their programme", "[store]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  auto programme = f.store.create_programme("Grads", "growth", ada.id, f.clock.now_ms(), std::nullopt);
  REQUIRE(programme.is_ok());
  const auto maria = f.enrol_participant(programme.value().id, 2, "Maria");

  auto enrolments = f.store.enrolments_in(programme.value().id);
  REQUIRE(enrolments.is_ok());
  REQUIRE(enrolments.value().size() == 2);
  CHECK(enrolments.value()[0].role == ProgrammeRole::coordinator);
  CHECK(enrolments.value()[1].member == maria.id);
  CHECK(enrolments.value()[1].role == ProgrammeRole::participant);
  CHECK(f.store.programmes_of_member(maria.id).value().size() == 1);
  CHECK(f.store.enrolment(programme.value().id + 1, maria.id).status().code() == ErrorCode::not_found);
}

TEST_CASE("pairs: one active pair per mentor and mentee, ending twice is a conflict", "[store]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");

  auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms());
  REQUIRE(pair.is_ok());
  CHECK(create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).status().code() ==
        ErrorCode::conflict);
  // The other way round is a different pair: Tom may mentor Maria in something else.
  CHECK(create_pair(f.store, programme.id, tom.id, maria.id, ada.id, f.clock.now_ms()).is_ok());

  f.clock.advance_days(30);
  auto ended = end_pair(f.store, pair.value().id, tom.id, f.clock.now_ms());
  REQUIRE(ended.is_ok());
  CHECK(ended.value().ended_at == f.clock.now_ms());
  CHECK(ended.value().ended_by == tom.id);
  CHECK(end_pair(f.store, pair.value().id, tom.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(end_pair(f.store, 999, tom.id, f.clock.now_ms()).status().code() == ErrorCode::not_found);
  // Once ended, the same two may be paired again.
  CHECK(create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).is_ok());
}

TEST_CASE("what the store acknowledged is there after reopening the file", "[store]") {
  TempDir dir;
  FakeClock clock;
  ProgrammeId id = 0;
  {
    SqliteStore store(dir.path().string(), nullptr);
    auto invite = issue_bootstrap_invite(store, clock, "Ada", 7);
    auto ada = redeem_invite(store, invite.value().record.code_hash, key(1), clock.now_ms());
    id = store.create_programme("Grads", "", ada.value().member.id, clock.now_ms(), std::nullopt).value().id;
  }
  SqliteStore reopened(dir.path().string(), nullptr);
  CHECK(reopened.programme_by_id(id).value().name == "Grads");
  CHECK(reopened.member_by_identity_key(key(1)).value().display_name == "Ada");
}

namespace {
DeviceKeysRecord device_keys_for(MemberId member) {
  DeviceKeysRecord k;
  k.member = member;
  k.device = 1;
  k.identity_dh_key.fill(1);
  k.signed_prekey_id = 1;
  k.signed_prekey.fill(2);
  return k;
}

std::vector<OneTimePrekeyRecord> prekeys(std::uint32_t first, std::uint32_t count) {
  std::vector<OneTimePrekeyRecord> out;
  for (std::uint32_t i = first; i < first + count; ++i) {
    OneTimePrekeyRecord r;
    r.id = i;
    r.key.fill(static_cast<std::uint8_t>(i));
    out.push_back(r);
  }
  return out;
}
}  // namespace

TEST_CASE("7: a one-time prekey is never handed out twice, also under concurrent fetches", "[store][prekeys]") {
  Fixture f(Quotas{.one_time_prekey_interval_ms = 0});
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();
  REQUIRE(accepted(f.store.publish_keys(device_keys_for(maria.id), prekeys(1, 20))).is_ok());

  std::mutex mutex;
  std::vector<std::uint32_t> handed_out;
  int without = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        auto b = f.store.take_bundle(maria.id, pair.id, tom.id, f.clock.now_ms());
        REQUIRE(b.is_ok());
        std::lock_guard lock(mutex);
        if (b.value().one_time_prekey) {
          handed_out.push_back(b.value().one_time_prekey->id);
        } else {
          ++without;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(handed_out.begin(), handed_out.end());
  CHECK(handed_out.size() == 20);
  CHECK(std::adjacent_find(handed_out.begin(), handed_out.end()) == handed_out.end());
  CHECK(without == 12);
  CHECK(f.store.one_time_prekey_count(maria.id, 1).value() == 0);

  // A retried publish of the same ids cannot bring a handed-out prekey back.
  REQUIRE(accepted(f.store.publish_keys(device_keys_for(maria.id), prekeys(1, 20))).is_ok());
  CHECK(f.store.one_time_prekey_count(maria.id, 1).value() == 0);
  CHECK_FALSE(f.store.take_bundle(maria.id, pair.id, tom.id, f.clock.now_ms()).value().one_time_prekey.has_value());
}

TEST_CASE("envelopes: one sequence per pair, deduplicated by client id, kept until acknowledged", "[store][envelopes]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();

  auto envelope = [&](MemberId from, MemberId to, std::uint8_t id) {
    EnvelopeRecord e;
    e.pair = pair.id;
    e.sender = from;
    e.recipient = to;
    e.client_id = wire::Bytes(16, id);
    e.body = wire::Bytes{1, 2, 3, id};
    e.sent_at = f.clock.now_ms();
    return e;
  };
  CHECK(accepted(f.store.store_envelope(envelope(maria.id, tom.id, 1))).value().envelope.seq == 1);
  CHECK(accepted(f.store.store_envelope(envelope(tom.id, maria.id, 1))).value().envelope.seq == 2);  // same id, other sender
  CHECK(accepted(f.store.store_envelope(envelope(maria.id, tom.id, 2))).value().envelope.seq == 3);
  auto retry = accepted(f.store.store_envelope(envelope(maria.id, tom.id, 1)));
  CHECK(retry.value().duplicate);
  CHECK(retry.value().envelope.seq == 1);

  auto pending = f.store.pending_envelopes(tom.id, 10).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].seq == 1);
  CHECK(pending[1].seq == 3);
  CHECK(pending[1].body == wire::Bytes{1, 2, 3, 2});
  CHECK(f.store.ack_envelopes(tom.id, pair.id, 1, f.clock.now_ms()).value() == 1);
  CHECK(f.store.pending_envelopes(tom.id, 10).value().size() == 1);
  // Acknowledging cannot touch someone else's envelopes.
  CHECK(f.store.ack_envelopes(tom.id, pair.id, 3, f.clock.now_ms()).value() == 1);
  CHECK(f.store.pending_envelopes(maria.id, 10).value().size() == 1);
  // A retry after delivery is still recognised.
  CHECK(accepted(f.store.store_envelope(envelope(maria.id, tom.id, 2))).value().duplicate);
}

TEST_CASE("documents: one per identity, versions append only as the next, survive reopening", "[store][documents]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme =
      f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), TemplateDraft{"Contract", "Text"}).value();
  CHECK(f.store.latest_templates(programme.id).value().size() == 1);
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();

  DocumentRecord identity;
  identity.pair = pair.id;
  identity.kind = wire::DocumentKind::contract;
  identity.created_by = tom.id;
  const auto doc = accepted(f.store.open_document(identity, f.clock.now_ms(), 100)).value();
  CHECK(accepted(f.store.open_document(identity, f.clock.now_ms(), 100)).value().id == doc.id);
  identity.kind = wire::DocumentKind::reflection;
  identity.owner = maria.id;
  const auto maria_reflection = accepted(f.store.open_document(identity, f.clock.now_ms(), 100)).value();
  identity.owner = tom.id;
  CHECK(accepted(f.store.open_document(identity, f.clock.now_ms(), 100)).value().id != maria_reflection.id);

  auto version = [&](std::int64_t n, std::uint8_t fill) {
    VersionRecord v;
    v.document = doc.id;
    v.version = n;
    v.author = tom.id;
    v.body = wire::Bytes(200, fill);
    v.hash.fill(fill);
    v.created_at = f.clock.now_ms();
    return v;
  };
  CHECK(contract_status(f.store, pair.id).value().state == ContractState::none);
  REQUIRE(accepted(f.store.append_version(version(1, 1), wire::Hash{})).is_ok());
  CHECK(contract_status(f.store, pair.id).value().state == ContractState::draft);
  CHECK(accepted(f.store.append_version(version(1, 1), wire::Hash{})).value().duplicate);
  CHECK(accepted(f.store.append_version(version(1, 9), wire::Hash{})).status().code() == ErrorCode::conflict);
  CHECK(accepted(f.store.append_version(version(3, 3), version(1, 1).hash)).status().code() == ErrorCode::conflict);
  CHECK(accepted(f.store.append_version(version(2, 2), wire::Hash{})).status().code() == ErrorCode::conflict);  // wrong previous
  REQUIRE(accepted(f.store.append_version(version(2, 2), version(1, 1).hash)).is_ok());

  wire::Signature sig{};
  CHECK(sign_contract(f.store, doc, 1, tom.id, sig, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(sign_contract(f.store, doc, 2, tom.id, sig, f.clock.now_ms()).value().state == ContractState::signed_by_one);
  CHECK(sign_contract(f.store, doc, 2, tom.id, sig, f.clock.now_ms()).value().state == ContractState::signed_by_one);
  f.clock.advance_ms(5);
  const auto both = sign_contract(f.store, doc, 2, maria.id, sig, f.clock.now_ms()).value();
  CHECK(both.state == ContractState::signed_by_both);
  CHECK(both.signed_at == f.clock.now_ms());
  REQUIRE(accepted(f.store.append_version(version(3, 3), version(2, 2).hash)).is_ok());
  CHECK(contract_status(f.store, pair.id).value().state == ContractState::draft);

  SqliteStore reopened{f.dir.path().string(), nullptr};
  const auto versions = reopened.versions(doc.id, 1, 10).value();
  REQUIRE(versions.size() == 3);
  CHECK(versions[1].body == wire::Bytes(200, 2));
  CHECK(reopened.document_by_id(doc.id).value().latest_version == 3);
}

TEST_CASE("meetings: steps in order, one under way per pair, presence intervals", "[store][meetings]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();

  const auto scheduled = schedule_meeting(f.store, pair.id, f.clock.now_ms() + 1000, tom.id, f.clock.now_ms()).value();
  CHECK(scheduled.status == MeetingStatus::scheduled);
  CHECK(join_meeting(f.store, scheduled.id, maria.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(end_meeting(f.store, scheduled.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  const auto started = start_meeting(f.store, pair.id, scheduled.id, tom.id, f.clock.now_ms()).value();
  CHECK(started.status == MeetingStatus::started);
  CHECK(started.presence.size() == 1);
  CHECK(start_meeting(f.store, pair.id, std::nullopt, maria.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(cancel_meeting(f.store, scheduled.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  f.clock.advance_ms(10);
  REQUIRE(join_meeting(f.store, scheduled.id, maria.id, f.clock.now_ms()).is_ok());
  CHECK(join_meeting(f.store, scheduled.id, maria.id, f.clock.now_ms()).value().presence.size() == 2);  // no-op
  f.clock.advance_ms(10);
  const auto ended = end_meeting(f.store, scheduled.id, f.clock.now_ms()).value();
  CHECK(ended.status == MeetingStatus::ended);
  for (const auto& p : ended.presence) CHECK(p.left_at == f.clock.now_ms());
  CHECK(f.store.meetings_of_pair(pair.id).value().size() == 1);
}

TEST_CASE("one transaction for a batch: every call in it is kept, a failing call alone rolls back", "[store][batch]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();
  auto envelope = [&](std::uint8_t id, PairId in_pair) {
    EnvelopeRecord e;
    e.pair = in_pair;
    e.sender = maria.id;
    e.recipient = tom.id;
    e.client_id = wire::Bytes(16, id);
    e.body = wire::Bytes{id};
    e.sent_at = f.clock.now_ms();
    return e;
  };

  std::vector<wire::Result<StoredEnvelope>> stored;
  const auto batch = f.store.in_one_transaction([&] {
    stored.push_back(accepted(f.store.store_envelope(envelope(1, pair.id))));
    stored.push_back(accepted(f.store.store_envelope(envelope(2, pair.id + 100))));  // no such pair
    stored.push_back(accepted(f.store.store_envelope(envelope(3, pair.id))));
  });
  REQUIRE(batch.is_ok());
  REQUIRE(stored.size() == 3);
  CHECK(stored[0].is_ok());
  REQUIRE_FALSE(stored[1].is_ok());
  CHECK(stored[1].status().code() == wire::ErrorCode::not_found);
  CHECK(stored[2].is_ok());
  const auto pending = f.store.pending_envelopes(tom.id, 10).value();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].seq == 1);
  CHECK(pending[1].seq == 2);  // the failed call took no sequence number

  // Kept across a reopen: the batch was committed, not left open.
  const auto path = f.dir.path().string();
  SqliteStore reopened{path, nullptr};
  CHECK(reopened.pending_envelopes(tom.id, 10).value().size() == 2);
}

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

TEST_CASE("29: quotas are enforced in the store's transaction", "[store][quota]") {
  Fixture f(Quotas{.max_devices_per_member = 1,
                   .max_one_time_prekeys_per_device = 10,
                   .max_meetings_per_pair = 2,
                   .max_pending_envelopes_per_pair = 3,
                   .one_time_prekey_interval_ms = 60'000});
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = f.store.create_programme("Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();

  REQUIRE(accepted(f.store.publish_keys(device_keys_for(maria.id), prekeys(1, 10))).is_ok());
  auto second_device = device_keys_for(maria.id);
  second_device.device = 2;
  CHECK(accepted(f.store.publish_keys(second_device, {})).status().code() == ErrorCode::quota_exceeded);
  CHECK(accepted(f.store.publish_keys(device_keys_for(maria.id), prekeys(11, 1))).status().code() == ErrorCode::quota_exceeded);
  CHECK(f.store.one_time_prekey_count(maria.id, 1).value() == 10);

  // One one-time prekey per requester and pair per interval; after it, the next.
  CHECK(f.store.take_bundle(maria.id, pair.id, tom.id, f.clock.now_ms()).value().one_time_prekey->id == 1);
  CHECK_FALSE(f.store.take_bundle(maria.id, pair.id, tom.id, f.clock.now_ms()).value().one_time_prekey.has_value());
  f.clock.advance_ms(59'999);
  CHECK_FALSE(f.store.take_bundle(maria.id, pair.id, tom.id, f.clock.now_ms()).value().one_time_prekey.has_value());
  f.clock.advance_ms(1);
  CHECK(f.store.take_bundle(maria.id, pair.id, tom.id, f.clock.now_ms()).value().one_time_prekey->id == 2);
  CHECK(f.store.one_time_prekey_count(maria.id, 1).value() == 8);

  const auto at = f.clock.now_ms() + 1000;
  REQUIRE(schedule_meeting(f.store, pair.id, at, maria.id, f.clock.now_ms()).is_ok());
  REQUIRE(schedule_meeting(f.store, pair.id, at, maria.id, f.clock.now_ms()).is_ok());
  CHECK(schedule_meeting(f.store, pair.id, at, maria.id, f.clock.now_ms()).status().code() == ErrorCode::quota_exceeded);
  CHECK(start_meeting(f.store, pair.id, std::nullopt, maria.id, f.clock.now_ms()).status().code() ==
        ErrorCode::quota_exceeded);
  CHECK(f.store.meetings_of_pair(pair.id).value().size() == 2);

  auto envelope = [&](std::uint8_t id) {
    EnvelopeRecord e;
    e.pair = pair.id;
    e.sender = maria.id;
    e.recipient = tom.id;
    e.client_id = wire::Bytes(16, id);
    e.body = wire::Bytes{id};
    e.sent_at = f.clock.now_ms();
    return e;
  };
  for (std::uint8_t i = 1; i <= 3; ++i) REQUIRE(accepted(f.store.store_envelope(envelope(i))).is_ok());
  CHECK(accepted(f.store.store_envelope(envelope(4))).status().code() == ErrorCode::quota_exceeded);
  CHECK(accepted(f.store.store_envelope(envelope(3))).value().duplicate);  // a retry is no new envelope
  REQUIRE(f.store.ack_envelopes(tom.id, pair.id, 1, f.clock.now_ms()).is_ok());
  CHECK(accepted(f.store.store_envelope(envelope(4))).value().envelope.seq == 4);
}
