// SqliteStore: members and invites.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;
using sqlite_detail::to_array;

namespace {

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
  i.role = programme_role_from_string(st.column_text(3)).value_or(ProgrammeRole::participant);
  i.display_name = st.column_text(4);
  i.created_by = st.column_optional_int(5);
  i.created_at = st.column_int(6);
  i.expires_at = st.column_int(7);
  i.used_at = st.column_optional_int(8);
  i.used_by = st.column_optional_int(9);
  return i;
}

}  // namespace

Result<MemberRecord> SqliteStore::member_by_id(MemberId id) {
  return run("member_by_id", [&]() -> Result<MemberRecord> {
    auto st = db_->prepare("SELECT " + std::string(kMemberColumns) + " FROM members WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != Statement::Step::row) return absent("member");
    return read_member(st);
  });
}

Result<MemberRecord> SqliteStore::member_by_identity_key(const wire::IdentityKey& key) {
  return run("member_by_identity_key", [&]() -> Result<MemberRecord> {
    auto st = db_->prepare("SELECT " + std::string(kMemberColumns) + " FROM members WHERE identity_key = ?1");
    st.bind(1, key);
    if (st.step() != Statement::Step::row) return absent("member");
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

Result<bool> SqliteStore::insert_member(MemberRecord& member) {
  return run("insert_member", [&]() -> Result<bool> {
    auto insert = db_->prepare(
        "INSERT INTO members (identity_key, display_name, may_create_programmes, created_at) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, member.identity_key)
        .bind(2, member.display_name)
        .bind(3, std::int64_t{member.may_create_programmes ? 1 : 0})
        .bind(4, member.created_at);
    if (insert.step_or_constraint() == Statement::Step::constraint) return false;
    member.id = db_->last_insert_id();
    return true;
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
    st.step();  // a code hash taken twice would be a broken random source: a fault
    invite.id = db_->last_insert_id();
    return Status::ok();
  });
}

Result<InviteRecord> SqliteStore::invite_by_hash(const wire::Hash& code_hash) {
  return run("invite_by_hash", [&]() -> Result<InviteRecord> {
    auto st = db_->prepare(
        "SELECT id, code_hash, programme_id, role, display_name, created_by, created_at, expires_at, used_at, used_by "
        "FROM invites WHERE code_hash = ?1");
    st.bind(1, code_hash);
    if (st.step() != Statement::Step::row) return absent("invite");
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

Result<bool> SqliteStore::mark_invite_used(std::int64_t invite, MemberId member, TimeMs now) {
  return run("mark_invite_used", [&]() -> Result<bool> {
    auto mark = db_->prepare("UPDATE invites SET used_at = ?1, used_by = ?2 WHERE id = ?3 AND used_at IS NULL");
    mark.bind(1, now).bind(2, member).bind(3, invite);
    mark.step();
    return db_->changes() == 1;
  });
}

}  // namespace mentorlink::server
