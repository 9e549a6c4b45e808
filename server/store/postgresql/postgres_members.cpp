// PostgresStore: members, invites, dashboard links and sessions.
#include "server/store/postgresql/postgres_store_internal.h"

namespace mentorlink::server {
using pg::Params;
using pg_detail::absent;

namespace {

const std::string kMemberSelect =
    "SELECT id, identity_key, display_name, may_create_programmes, created_at FROM members ";

MemberRecord read_member(const pg::Result& r) {
  MemberRecord m;
  m.id = r.integer(0, 0);
  m.identity_key = r.fixed_bytes<wire::kPublicKeyBytes>(0, 1);
  m.display_name = r.text(0, 2);
  m.may_create_programmes = r.integer(0, 3) != 0;
  m.created_at = r.integer(0, 4);
  return m;
}

}  // namespace

Result<MemberRecord> PostgresStore::member_by_id(MemberId id) {
  return run("member_by_id", [&]() -> Result<MemberRecord> {
    auto r = db_->run(kMemberSelect + "WHERE id = $1", Params().add(id));
    if (r.rows() == 0) return absent("member");
    return read_member(r);
  });
}

Result<MemberRecord> PostgresStore::member_by_identity_key(const wire::IdentityKey& key) {
  return run("member_by_identity_key", [&]() -> Result<MemberRecord> {
    auto r = db_->run(kMemberSelect + "WHERE identity_key = $1", Params().add(key));
    if (r.rows() == 0) return absent("member");
    return read_member(r);
  });
}

Result<bool> PostgresStore::any_programme_creator() {
  return run("any_programme_creator", [&]() -> Result<bool> {
    return db_->run("SELECT EXISTS (SELECT 1 FROM members WHERE may_create_programmes)").integer(0, 0) != 0;
  });
}

Result<bool> PostgresStore::insert_member(MemberRecord& member) {
  return run("insert_member", [&]() -> Result<bool> {
    auto r = db_->run(
        "INSERT INTO members (identity_key, display_name, may_create_programmes, created_at) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (identity_key) DO NOTHING RETURNING id",
        Params()
            .add(member.identity_key)
            .add(member.display_name)
            .add(std::string_view(member.may_create_programmes ? "true" : "false"))
            .add(member.created_at));
    if (r.rows() == 0) return false;
    member.id = r.integer(0, 0);
    return true;
  });
}

Status PostgresStore::insert_invite(InviteRecord& invite) {
  return run("insert_invite", [&]() -> Status {
    // A code hash taken twice would be a broken random source: a fault.
    auto r = db_->run(
        "INSERT INTO invites (code_hash, programme_id, role, display_name, created_by, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        Params()
            .add(invite.code_hash)
            .add(invite.programme)
            .add(to_string(invite.role))
            .add(invite.display_name)
            .add(invite.created_by)
            .add(invite.created_at)
            .add(invite.expires_at));
    invite.id = r.integer(0, 0);
    return Status::ok();
  });
}

Result<InviteRecord> PostgresStore::invite_by_hash(const wire::Hash& code_hash) {
  return run("invite_by_hash", [&]() -> Result<InviteRecord> {
    auto r = db_->run(
        "SELECT id, code_hash, programme_id, role, display_name, created_by, created_at, expires_at, used_at, used_by "
        "FROM invites WHERE code_hash = $1",
        Params().add(code_hash));
    if (r.rows() == 0) return absent("invite");
    InviteRecord i;
    i.id = r.integer(0, 0);
    i.code_hash = r.fixed_bytes<wire::kHashBytes>(0, 1);
    i.programme = r.optional_integer(0, 2);
    i.role = programme_role_from_string(r.text(0, 3)).value_or(ProgrammeRole::participant);
    i.display_name = r.text(0, 4);
    i.created_by = r.optional_integer(0, 5);
    i.created_at = r.integer(0, 6);
    i.expires_at = r.integer(0, 7);
    i.used_at = r.optional_integer(0, 8);
    i.used_by = r.optional_integer(0, 9);
    return i;
  });
}

Result<int> PostgresStore::expire_bootstrap_invites(TimeMs now) {
  return run("expire_bootstrap_invites", [&]() -> Result<int> {
    auto r = db_->run(
        "UPDATE invites SET expires_at = $1 WHERE programme_id IS NULL AND used_at IS NULL AND expires_at > $1",
        Params().add(now));
    return static_cast<int>(r.affected());
  });
}

Result<bool> PostgresStore::mark_invite_used(std::int64_t invite, MemberId member, TimeMs now) {
  return run("mark_invite_used", [&]() -> Result<bool> {
    auto r = db_->run("UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL",
                      Params().add(now).add(member).add(invite));
    return r.affected() == 1;
  });
}

Status PostgresStore::insert_dashboard_link(const wire::Hash& token_hash, MemberId member, ProgrammeId programme,
                                            TimeMs now, TimeMs expires_at) {
  return run("insert_dashboard_link", [&]() -> Status {
    // A token hash taken twice would be a broken random source: a fault.
    db_->run(
        "INSERT INTO dashboard_links (token_hash, member_id, programme_id, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5)",
        Params().add(token_hash).add(member).add(programme).add(now).add(expires_at));
    return Status::ok();
  });
}

Result<DashboardLinkRecord> PostgresStore::dashboard_link(const wire::Hash& token_hash, TimeMs now) {
  return run("dashboard_link", [&]() -> Result<DashboardLinkRecord> {
    auto r = db_->run(
        "SELECT member_id, programme_id, expires_at FROM dashboard_links "
        "WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        Params().add(token_hash).add(now));
    if (r.rows() == 0) return absent("link");
    return DashboardLinkRecord{r.integer(0, 0), r.integer(0, 1), r.integer(0, 2)};
  });
}

Result<DashboardSessionRecord> PostgresStore::redeem_dashboard_link(const wire::Hash& token_hash,
                                                                    const wire::Hash& session_hash,
                                                                    const std::string& csrf, TimeMs now,
                                                                    TimeMs session_expires_at) {
  return run("redeem_dashboard_link", [&]() -> Result<DashboardSessionRecord> {
    pg::Transaction tx(*db_);
    auto link = db_->run(
        "UPDATE dashboard_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
        "RETURNING member_id, programme_id",
        Params().add(token_hash).add(now));
    if (link.rows() == 0) return absent("link");
    DashboardSessionRecord s{link.integer(0, 0), link.integer(0, 1), csrf, session_expires_at};
    db_->run(
        "INSERT INTO dashboard_sessions (session_hash, member_id, programme_id, csrf, created_at, expires_at) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        Params().add(session_hash).add(s.member).add(s.programme).add(csrf).add(now).add(session_expires_at));
    tx.commit();
    return s;
  });
}

Result<DashboardSessionRecord> PostgresStore::dashboard_session(const wire::Hash& session_hash, TimeMs now) {
  return run("dashboard_session", [&]() -> Result<DashboardSessionRecord> {
    auto r = db_->run(
        "SELECT member_id, programme_id, csrf, expires_at FROM dashboard_sessions "
        "WHERE session_hash = $1 AND expires_at > $2",
        Params().add(session_hash).add(now));
    if (r.rows() == 0) return absent("session");
    return DashboardSessionRecord{r.integer(0, 0), r.integer(0, 1), r.text(0, 2), r.integer(0, 3)};
  });
}

Status PostgresStore::end_dashboard_session(const wire::Hash& session_hash) {
  return run("end_dashboard_session", [&]() -> Status {
    db_->run("DELETE FROM dashboard_sessions WHERE session_hash = $1", Params().add(session_hash));
    return Status::ok();
  });
}

}  // namespace mentorlink::server
