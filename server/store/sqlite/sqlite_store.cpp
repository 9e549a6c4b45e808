#include "server/store/sqlite/sqlite_store.h"
#include "server/store/sqlite/wal_checkpointer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "protocol/wire/signatures.h"
#include "server/store/sqlite/database.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using wire::ErrorCode;
using sqlite_detail::insert_template;
using sqlite_detail::to_array;

namespace {

// Identifies an envelope body inside the server only (a retried client_id must carry the same body).
constexpr std::string_view kEnvelopeBodyHashContext = "mentorlink/server/envelope-body";

ProgrammeRole role_column(const Statement& st, int index) {
  return programme_role_from_string(st.column_text(index)).value_or(ProgrammeRole::participant);
}

constexpr std::string_view kMemberColumns = "id, identity_key, display_name, may_create_programmes, created_at";

MemberRecord read_member(const Statement& st) {
  MemberRecord m;
  m.id = st.column_int(0);
  m.identity_key = to_array<wire::kPublicKeyBytes>(st.column_blob(1));
  m.display_name = st.column_text(2);
  m.may_create_programmes = st.column_int(3) != 0;
  m.created_at = st.column_int(4);
  return m;
}

InviteRecord read_invite(const Statement& st) {
  InviteRecord i;
  i.id = st.column_int(0);
  i.code_hash = to_array<wire::kHashBytes>(st.column_blob(1));
  i.programme = st.column_optional_int(2);
  i.role = role_column(st, 3);
  i.display_name = st.column_text(4);
  i.created_by = st.column_optional_int(5);
  i.created_at = st.column_int(6);
  i.expires_at = st.column_int(7);
  i.used_at = st.column_optional_int(8);
  i.used_by = st.column_optional_int(9);
  return i;
}

ProgrammeRecord read_programme(const Statement& st) {
  return ProgrammeRecord{st.column_int(0),  st.column_text(1), st.column_text(2), st.column_int(3), st.column_int(4),
                         static_cast<int>(st.column_int(5)), static_cast<int>(st.column_int(6))};
}

PairRecord read_pair(const Statement& st) {
  PairRecord p;
  p.id = st.column_int(0);
  p.programme = st.column_int(1);
  p.mentor = st.column_int(2);
  p.mentee = st.column_int(3);
  p.formed_by = st.column_int(4);
  p.formed_at = st.column_int(5);
  p.ended_at = st.column_optional_int(6);
  p.ended_by = st.column_optional_int(7);
  return p;
}

EnrolmentRecord read_enrolment(const Statement& st) {
  return EnrolmentRecord{st.column_int(0), st.column_int(1), st.column_text(2), role_column(st, 3), st.column_int(4)};
}

constexpr std::string_view kSelectInvite =
    "SELECT id, code_hash, programme_id, role, display_name, created_by, created_at, expires_at, used_at, used_by "
    "FROM invites WHERE code_hash = ?1";
constexpr std::string_view kSelectPair =
    "SELECT id, programme_id, mentor_id, mentee_id, formed_by, formed_at, ended_at, ended_by FROM pairs WHERE id = ?1";
constexpr std::string_view kSelectEnrolment =
    "SELECT e.programme_id, e.member_id, m.display_name, e.role, e.joined_at FROM enrolments e "
    "JOIN members m ON m.id = e.member_id WHERE e.programme_id = ?1 AND e.member_id = ?2";

Result<PairRecord> select_pair(sqlite::Database& db, PairId id) {
  auto st = db.prepare(kSelectPair);
  st.bind(1, id);
  if (st.step() != Statement::Step::row) return Status::error(ErrorCode::not_found, "no such pair", "pair");
  return read_pair(st);
}

Result<EnrolmentRecord> select_enrolment(sqlite::Database& db, ProgrammeId programme, MemberId member) {
  auto st = db.prepare(kSelectEnrolment);
  st.bind(1, programme).bind(2, member);
  if (st.step() != Statement::Step::row) {
    return Status::error(ErrorCode::not_found, "that member is not enrolled in this programme");
  }
  return read_enrolment(st);
}

}  // namespace

std::string SqliteStore::database_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "mentorlink.db").string();
}

SqliteStore::SqliteStore(const std::string& data_dir, StoreObserver* observer, Durability durability, Quotas quotas)
    : observer_(observer), quotas_(quotas) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error("cannot create the data folder " + data_dir + ": " + ec.message());
  try {
    db_ = std::make_unique<sqlite::Database>(database_path(data_dir));
    db_->exec("PRAGMA journal_mode = WAL");
    // See the header: FULL is durable at COMMIT, also on power loss.
    db_->exec(durability == Durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF");
    db_->exec("PRAGMA foreign_keys = ON");
    sqlite::migrate(*db_);
    db_->exec("PRAGMA wal_autocheckpoint = 0");  // the checkpointer's thread does it, off the commit path
    checkpointer_ = std::make_unique<sqlite::WalCheckpointer>(database_path(data_dir));
  } catch (const sqlite::Error& e) {
    throw std::runtime_error(std::string("cannot open the store: ") + e.what());
  }
}

SqliteStore::~SqliteStore() { checkpointer_.reset(); }

Status SqliteStore::in_one_transaction(const std::function<void()>& body) {
  return run("batch", [&]() -> Status {
    sqlite::Transaction tx(*db_);
    body();
    tx.commit();
    return Status::ok();
  });
}

Status SqliteStore::all_or_nothing(const std::function<Status()>& body) {
  return run("all_or_nothing", [&]() -> Status {
    sqlite::Transaction tx(*db_);
    if (auto s = body(); !s.is_ok()) return s;  // tx rolls back everything body did
    tx.commit();
    return Status::ok();
  });
}

Result<MemberRecord> SqliteStore::member_by_id(MemberId id) {
  return run("member_by_id", [&]() -> Result<MemberRecord> {
    auto st = db_->prepare("SELECT " + std::string(kMemberColumns) + " FROM members WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != Statement::Step::row) return Status::error(ErrorCode::not_found, "no such member", "member");
    return read_member(st);
  });
}

Result<MemberRecord> SqliteStore::member_by_identity_key(const wire::IdentityKey& key) {
  return run("member_by_identity_key", [&]() -> Result<MemberRecord> {
    auto st = db_->prepare("SELECT " + std::string(kMemberColumns) + " FROM members WHERE identity_key = ?1");
    st.bind(1, key);
    if (st.step() != Statement::Step::row) {
      return Status::error(ErrorCode::unknown_identity, "no member has this identity key");
    }
    return read_member(st);
  });
}

Result<bool> SqliteStore::any_programme_creator() {
  return run("any_programme_creator", [&]() -> Result<bool> {
    auto st = db_->prepare("SELECT EXISTS (SELECT 1 FROM members WHERE may_create_programmes = 1)");
    st.step();
    return st.column_int(0) != 0;
  });
}

Status SqliteStore::insert_invite(InviteRecord& invite) {
  return run("insert_invite", [&]() -> Status {
    auto st = db_->prepare(
        "INSERT INTO invites (code_hash, programme_id, role, display_name, created_by, created_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    st.bind(1, invite.code_hash)
        .bind(2, invite.programme)
        .bind(3, to_string(invite.role))
        .bind(4, invite.display_name)
        .bind(5, invite.created_by)
        .bind(6, invite.created_at)
        .bind(7, invite.expires_at);
    if (st.step_or_constraint() == Statement::Step::constraint) {
      return Status::error(ErrorCode::conflict, "an invite with this code already exists");
    }
    invite.id = db_->last_insert_id();
    return Status::ok();
  });
}

Result<InviteRecord> SqliteStore::invite_by_hash(const wire::Hash& code_hash) {
  return run("invite_by_hash", [&]() -> Result<InviteRecord> {
    auto st = db_->prepare(kSelectInvite);
    st.bind(1, code_hash);
    if (st.step() != Statement::Step::row) return Status::error(ErrorCode::invite_unknown, "no such invite");
    return read_invite(st);
  });
}

Result<int> SqliteStore::expire_bootstrap_invites(TimeMs now) {
  return run("expire_bootstrap_invites", [&]() -> Result<int> {
    sqlite::Transaction tx(*db_);
    auto st = db_->prepare(
        "UPDATE invites SET expires_at = ?1 WHERE programme_id IS NULL AND used_at IS NULL AND expires_at > ?1");
    st.bind(1, now);
    st.step();
    const int n = db_->changes();
    tx.commit();
    return n;
  });
}

Result<Redemption> SqliteStore::redeem_invite(const wire::Hash& code_hash, const wire::IdentityKey& identity_key,
                                              TimeMs now) {
  return run("redeem_invite", [&]() -> Result<Redemption> {
    sqlite::Transaction tx(*db_);
    auto find = db_->prepare(kSelectInvite);
    find.bind(1, code_hash);
    if (find.step() != Statement::Step::row) {
      return Status::error(ErrorCode::invite_unknown, "this invite code is not known to the server", "invite");
    }
    const InviteRecord invite = read_invite(find);
    if (invite.used_at) {
      return Status::error(ErrorCode::invite_used, "this invite has already been used", "invite");
    }
    if (invite.expires_at <= now) return Status::error(ErrorCode::invite_expired, "this invite has expired", "invite");

    Redemption out;
    out.member.identity_key = identity_key;
    out.member.display_name = invite.display_name;
    out.member.may_create_programmes = !invite.programme.has_value();
    out.member.created_at = now;
    auto insert = db_->prepare(
        "INSERT INTO members (identity_key, display_name, may_create_programmes, created_at) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, identity_key)
        .bind(2, out.member.display_name)
        .bind(3, std::int64_t{out.member.may_create_programmes ? 1 : 0})
        .bind(4, now);
    if (insert.step_or_constraint() == Statement::Step::constraint) {
      return Status::error(ErrorCode::identity_taken, "this identity key already belongs to a member",
                           "identity_key");
    }
    out.member.id = db_->last_insert_id();

    if (invite.programme) {
      auto enrol = db_->prepare(
          "INSERT INTO enrolments (programme_id, member_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)");
      enrol.bind(1, *invite.programme).bind(2, out.member.id).bind(3, to_string(invite.role)).bind(4, now);
      enrol.step();
      out.enrolment = EnrolmentRecord{*invite.programme, out.member.id, out.member.display_name, invite.role, now};
    }
    auto mark = db_->prepare("UPDATE invites SET used_at = ?1, used_by = ?2 WHERE id = ?3 AND used_at IS NULL");
    mark.bind(1, now).bind(2, out.member.id).bind(3, invite.id);
    mark.step();
    tx.commit();
    return out;
  });
}

Result<ProgrammeRecord> SqliteStore::create_programme(const std::string& name, const std::string& purpose,
                                                      MemberId creator, TimeMs now,
                                                      const std::optional<TemplateDraft>& first_template) {
  return run("create_programme", [&]() -> Result<ProgrammeRecord> {
    sqlite::Transaction tx(*db_);
    auto insert =
        db_->prepare("INSERT INTO programmes (name, purpose, created_by, created_at) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, name).bind(2, purpose).bind(3, creator).bind(4, now);
    insert.step();
    ProgrammeRecord p{db_->last_insert_id(), name, purpose, creator, now, kDefaultCadenceDays, kDefaultMinHeldMinutes};
    auto enrol =
        db_->prepare("INSERT INTO enrolments (programme_id, member_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)");
    enrol.bind(1, p.id).bind(2, creator).bind(3, to_string(ProgrammeRole::coordinator)).bind(4, now);
    enrol.step();
    if (first_template) (void)insert_template(*db_, p.id, *first_template, creator, now);
    tx.commit();
    return p;
  });
}

Result<ProgrammeRecord> SqliteStore::programme_by_id(ProgrammeId id) {
  return run("programme_by_id", [&]() -> Result<ProgrammeRecord> {
    auto st = db_->prepare("SELECT " + std::string(sqlite_detail::kProgrammeColumns) + " FROM programmes WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != Statement::Step::row) {
      return Status::error(ErrorCode::not_found, "no such programme", "programme");
    }
    return read_programme(st);
  });
}

Result<std::vector<ProgrammeRecord>> SqliteStore::programmes_of_member(MemberId member) {
  return run("programmes_of_member", [&]() -> Result<std::vector<ProgrammeRecord>> {
    auto st = db_->prepare(
        "SELECT p.id, p.name, p.purpose, p.created_by, p.created_at, p.cadence_days, p.min_held_minutes FROM programmes p "
        "JOIN enrolments e ON e.programme_id = p.id WHERE e.member_id = ?1 ORDER BY p.id");
    st.bind(1, member);
    std::vector<ProgrammeRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_programme(st));
    return out;
  });
}

Result<EnrolmentRecord> SqliteStore::enrolment(ProgrammeId programme, MemberId member) {
  return run("enrolment", [&]() { return select_enrolment(*db_, programme, member); });
}

Result<std::vector<EnrolmentRecord>> SqliteStore::enrolments_in(ProgrammeId programme) {
  return run("enrolments_in", [&]() -> Result<std::vector<EnrolmentRecord>> {
    auto st = db_->prepare(
        "SELECT e.programme_id, e.member_id, m.display_name, e.role, e.joined_at FROM enrolments e "
        "JOIN members m ON m.id = e.member_id WHERE e.programme_id = ?1 ORDER BY e.member_id");
    st.bind(1, programme);
    std::vector<EnrolmentRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_enrolment(st));
    return out;
  });
}

Result<PairRecord> SqliteStore::create_pair(ProgrammeId programme, MemberId mentor, MemberId mentee,
                                            MemberId formed_by, TimeMs now) {
  return run("create_pair", [&]() -> Result<PairRecord> {
    sqlite::Transaction tx(*db_);
    auto st = db_->prepare(
        "INSERT INTO pairs (programme_id, mentor_id, mentee_id, formed_by, formed_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind(1, programme).bind(2, mentor).bind(3, mentee).bind(4, formed_by).bind(5, now);
    if (st.step_or_constraint() == Statement::Step::constraint) {
      return Status::error(ErrorCode::conflict, "this mentor and mentee already form an active pair");
    }
    PairRecord p;
    p.id = db_->last_insert_id();
    p.programme = programme;
    p.mentor = mentor;
    p.mentee = mentee;
    p.formed_by = formed_by;
    p.formed_at = now;
    tx.commit();
    return p;
  });
}

Result<PairRecord> SqliteStore::pair_by_id(PairId id) {
  return run("pair_by_id", [&]() { return select_pair(*db_, id); });
}

Result<std::vector<PairRecord>> SqliteStore::pairs_in(ProgrammeId programme) {
  return run("pairs_in", [&]() -> Result<std::vector<PairRecord>> {
    auto st = db_->prepare(
        "SELECT id, programme_id, mentor_id, mentee_id, formed_by, formed_at, ended_at, ended_by FROM pairs "
        "WHERE programme_id = ?1 ORDER BY id");
    st.bind(1, programme);
    std::vector<PairRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_pair(st));
    return out;
  });
}

Result<PairRecord> SqliteStore::end_pair(PairId id, MemberId ended_by, TimeMs now) {
  return run("end_pair", [&]() -> Result<PairRecord> {
    sqlite::Transaction tx(*db_);
    auto st = db_->prepare("UPDATE pairs SET ended_at = ?1, ended_by = ?2 WHERE id = ?3 AND ended_at IS NULL");
    st.bind(1, now).bind(2, ended_by).bind(3, id);
    st.step();
    if (db_->changes() != 1) {
      auto existing = select_pair(*db_, id);
      if (!existing.is_ok()) return existing.status();
      return Status::error(ErrorCode::conflict, "this pair has already ended", "pair");
    }
    auto ended = select_pair(*db_, id);
    tx.commit();
    return ended;
  });
}

Result<std::vector<PairRecord>> SqliteStore::active_pairs_of_member(MemberId member) {
  return run("active_pairs_of_member", [&]() -> Result<std::vector<PairRecord>> {
    auto st = db_->prepare(
        "SELECT id, programme_id, mentor_id, mentee_id, formed_by, formed_at, ended_at, ended_by FROM pairs "
        "WHERE (mentor_id = ?1 OR mentee_id = ?1) AND ended_at IS NULL ORDER BY id");
    st.bind(1, member);
    std::vector<PairRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_pair(st));
    return out;
  });
}

Status SqliteStore::publish_keys(const DeviceKeysRecord& keys, const std::vector<OneTimePrekeyRecord>& one_time) {
  return run("publish_keys", [&]() -> Status {
    sqlite::Transaction tx(*db_);
    auto devices = db_->prepare(
        "SELECT count(*), sum(device_id = ?2) FROM device_keys WHERE member_id = ?1");
    devices.bind(1, keys.member).bind(2, keys.device);
    devices.step();
    const bool new_device = devices.column_int(1) == 0;
    if (new_device && devices.column_int(0) >= quotas_.max_devices_per_member) {
      return Status::error(ErrorCode::quota_exceeded,
                           "you already have keys for " + std::to_string(quotas_.max_devices_per_member) +
                               " devices, the most this server keeps per member",
                           "device");
    }
    devices.reset();
    auto upsert = db_->prepare(
        "INSERT INTO device_keys (member_id, device_id, identity_dh_key, identity_dh_signature, signed_prekey_id, "
        "signed_prekey, signed_prekey_signature, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "ON CONFLICT (member_id, device_id) DO UPDATE SET identity_dh_key = ?3, identity_dh_signature = ?4, "
        "signed_prekey_id = ?5, signed_prekey = ?6, signed_prekey_signature = ?7, updated_at = ?8");
    upsert.bind(1, keys.member)
        .bind(2, keys.device)
        .bind(3, keys.identity_dh_key)
        .bind(4, keys.identity_dh_signature)
        .bind(5, std::int64_t{keys.signed_prekey_id})
        .bind(6, keys.signed_prekey)
        .bind(7, keys.signed_prekey_signature)
        .bind(8, keys.updated_at);
    upsert.step();
    for (const auto& k : one_time) {
      // A prekey id published before (a retried publish) is kept as it was.
      auto insert = db_->prepare(
          "INSERT INTO one_time_prekeys (member_id, device_id, prekey_id, prekey) SELECT ?1, ?2, ?3, ?4 "
          "WHERE NOT EXISTS (SELECT 1 FROM taken_prekeys WHERE member_id = ?1 AND device_id = ?2 AND prekey_id = ?3) "
          "ON CONFLICT DO NOTHING");
      insert.bind(1, keys.member).bind(2, keys.device).bind(3, std::int64_t{k.id}).bind(4, k.key);
      insert.step();
    }
    auto stored = db_->prepare("SELECT count(*) FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2");
    stored.bind(1, keys.member).bind(2, keys.device);
    stored.step();
    if (stored.column_int(0) > quotas_.max_one_time_prekeys_per_device) {
      return Status::error(ErrorCode::quota_exceeded,
                           "a device may have at most " + std::to_string(quotas_.max_one_time_prekeys_per_device) +
                               " one-time prekeys on the server; this would make " +
                               std::to_string(stored.column_int(0)),
                           "one_time_prekeys");
    }
    stored.reset();
    tx.commit();
    return Status::ok();
  });
}

Result<BundleRecord> SqliteStore::take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) {
  return run("take_bundle", [&]() -> Result<BundleRecord> {
    sqlite::Transaction tx(*db_);
    auto st = db_->prepare(
        "SELECT d.member_id, d.device_id, m.identity_key, d.identity_dh_key, d.identity_dh_signature, "
        "d.signed_prekey_id, d.signed_prekey, d.signed_prekey_signature, d.updated_at "
        "FROM device_keys d JOIN members m ON m.id = d.member_id WHERE d.member_id = ?1 ORDER BY d.device_id LIMIT 1");
    st.bind(1, member);
    if (st.step() != Statement::Step::row) {
      return Status::error(ErrorCode::not_found, "this member has not published device keys yet", "pair");
    }
    BundleRecord out;
    out.keys.member = st.column_int(0);
    out.keys.device = st.column_int(1);
    out.keys.identity_key = to_array<32>(st.column_blob(2));
    out.keys.identity_dh_key = to_array<32>(st.column_blob(3));
    out.keys.identity_dh_signature = to_array<64>(st.column_blob(4));
    out.keys.signed_prekey_id = static_cast<std::uint32_t>(st.column_int(5));
    out.keys.signed_prekey = to_array<32>(st.column_blob(6));
    out.keys.signed_prekey_signature = to_array<64>(st.column_blob(7));
    out.keys.updated_at = st.column_int(8);

    auto granted = db_->prepare("SELECT granted_at FROM prekey_grants WHERE pair_id = ?1 AND requester_id = ?2");
    granted.bind(1, pair).bind(2, requester);
    if (granted.step() == Statement::Step::row && now - granted.column_int(0) < quotas_.one_time_prekey_interval_ms) {
      return out;  // the signed prekey alone: one requester cannot drain the partner's one-time prekeys
    }
    granted.reset();
    auto otk = db_->prepare(
        "SELECT prekey_id, prekey FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2 "
        "ORDER BY prekey_id LIMIT 1");
    otk.bind(1, member).bind(2, out.keys.device);
    if (otk.step() == Statement::Step::row) {
      out.one_time_prekey = OneTimePrekeyRecord{static_cast<std::uint32_t>(otk.column_int(0)), to_array<32>(otk.column_blob(1))};
      auto del = db_->prepare("DELETE FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2 AND prekey_id = ?3");
      del.bind(1, member).bind(2, out.keys.device).bind(3, std::int64_t{out.one_time_prekey->id});
      del.step();
      auto taken = db_->prepare("INSERT INTO taken_prekeys (member_id, device_id, prekey_id) VALUES (?1, ?2, ?3)");
      taken.bind(1, member).bind(2, out.keys.device).bind(3, std::int64_t{out.one_time_prekey->id});
      taken.step();
      auto grant = db_->prepare(
          "INSERT INTO prekey_grants (pair_id, requester_id, granted_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (pair_id, requester_id) DO UPDATE SET granted_at = ?3");
      grant.bind(1, pair).bind(2, requester).bind(3, now);
      grant.step();
    }
    tx.commit();
    return out;
  });
}

Result<std::int64_t> SqliteStore::one_time_prekey_count(MemberId member, std::int64_t device) {
  return run("one_time_prekey_count", [&]() -> Result<std::int64_t> {
    auto st = db_->prepare("SELECT count(*) FROM one_time_prekeys WHERE member_id = ?1 AND device_id = ?2");
    st.bind(1, member).bind(2, device);
    st.step();
    return st.column_int(0);
  });
}

Result<StoredEnvelope> SqliteStore::store_envelope(const EnvelopeRecord& envelope) {
  const wire::Hash body_hash = wire::context_hash(
      kEnvelopeBodyHashContext, std::string_view(reinterpret_cast<const char*>(envelope.body.data()), envelope.body.size()));
  return run("store_envelope", [&]() -> Result<StoredEnvelope> {
    sqlite::Transaction tx(*db_);
    auto existing = db_->prepare(
        "SELECT seq, sent_at, body_hash FROM envelope_log WHERE pair_id = ?1 AND sender_id = ?2 AND client_id = ?3");
    existing.bind(1, envelope.pair).bind(2, envelope.sender).bind(3, envelope.client_id);
    if (existing.step() == Statement::Step::row) {
      const auto stored_hash = existing.column_blob(2);
      // Envelopes stored before body hashes were kept (schema 5 and older) count as the same body.
      if (!stored_hash.empty() && !std::equal(stored_hash.begin(), stored_hash.end(), body_hash.begin(), body_hash.end())) {
        return Status::error(ErrorCode::conflict,
                             "you already sent message " + std::to_string(existing.column_int(0)) +
                                 " with this client_id and a different body; use a new client_id",
                             "client_id");
      }
      StoredEnvelope out{envelope, true};
      out.envelope.seq = existing.column_int(0);
      out.envelope.sent_at = existing.column_int(1);
      return out;
    }
    existing.reset();
    auto pending = db_->prepare(
        "SELECT count(*) FROM (SELECT 1 FROM envelope_bodies WHERE recipient_id = ?1 AND pair_id = ?2 LIMIT ?3)");
    pending.bind(1, envelope.recipient).bind(2, envelope.pair).bind(3, quotas_.max_pending_envelopes_per_pair);
    pending.step();
    if (pending.column_int(0) >= quotas_.max_pending_envelopes_per_pair) {
      return Status::error(ErrorCode::quota_exceeded,
                           "your partner has " + std::to_string(quotas_.max_pending_envelopes_per_pair) +
                               " messages in this pair they have not collected yet; try again once they have caught up",
                           "pair");
    }
    pending.reset();
    auto next = db_->prepare("UPDATE pairs SET last_seq = last_seq + 1 WHERE id = ?1 RETURNING last_seq");
    next.bind(1, envelope.pair);
    if (next.step() != Statement::Step::row) return Status::error(ErrorCode::not_found, "no such pair", "pair");
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
    return out;
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

}  // namespace mentorlink::server
