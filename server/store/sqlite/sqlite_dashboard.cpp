// SqliteStore: one-time dashboard links and dashboard sessions (only hashes of their secrets).
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;

Status SqliteStore::insert_dashboard_link(const wire::Hash& token_hash, MemberId member, ProgrammeId programme,
                                          TimeMs now, TimeMs expires_at) {
  return run("insert_dashboard_link", [&]() -> Status {
    auto st = db_->prepare(
        "INSERT INTO dashboard_links (token_hash, member_id, programme_id, created_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind(1, token_hash).bind(2, member).bind(3, programme).bind(4, now).bind(5, expires_at);
    st.step();  // a token hash taken twice would be a broken random source: a fault
    return Status::ok();
  });
}

Result<DashboardLinkRecord> SqliteStore::dashboard_link(const wire::Hash& token_hash, TimeMs now) {
  return run("dashboard_link", [&]() -> Result<DashboardLinkRecord> {
    auto st = db_->prepare(
        "SELECT member_id, programme_id, expires_at FROM dashboard_links "
        "WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2");
    st.bind(1, token_hash).bind(2, now);
    if (st.step() != Statement::Step::row) return absent("link");
    return DashboardLinkRecord{st.column_int(0), st.column_int(1), st.column_int(2)};
  });
}

Result<DashboardSessionRecord> SqliteStore::redeem_dashboard_link(const wire::Hash& token_hash,
                                                                  const wire::Hash& session_hash,
                                                                  const std::string& csrf, TimeMs now,
                                                                  TimeMs session_expires_at) {
  return run("redeem_dashboard_link", [&]() -> Result<DashboardSessionRecord> {
    sqlite::Transaction tx(*db_);
    auto link = db_->prepare(
        "UPDATE dashboard_links SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2 "
        "RETURNING member_id, programme_id");
    link.bind(1, token_hash).bind(2, now);
    if (link.step() != Statement::Step::row) return absent("link");
    DashboardSessionRecord s{link.column_int(0), link.column_int(1), csrf, session_expires_at};
    link.finish();
    auto insert = db_->prepare(
        "INSERT INTO dashboard_sessions (session_hash, member_id, programme_id, csrf, created_at, expires_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    insert.bind(1, session_hash).bind(2, s.member).bind(3, s.programme).bind(4, csrf).bind(5, now).bind(6, session_expires_at);
    insert.step();
    tx.commit();
    return s;
  });
}

Result<DashboardSessionRecord> SqliteStore::dashboard_session(const wire::Hash& session_hash, TimeMs now) {
  return run("dashboard_session", [&]() -> Result<DashboardSessionRecord> {
    auto st = db_->prepare(
        "SELECT member_id, programme_id, csrf, expires_at FROM dashboard_sessions "
        "WHERE session_hash = ?1 AND expires_at > ?2");
    st.bind(1, session_hash).bind(2, now);
    if (st.step() != Statement::Step::row) return absent("session");
    return DashboardSessionRecord{st.column_int(0), st.column_int(1), st.column_text(2), st.column_int(3)};
  });
}

Status SqliteStore::end_dashboard_session(const wire::Hash& session_hash) {
  return run("end_dashboard_session", [&]() -> Status {
    auto st = db_->prepare("DELETE FROM dashboard_sessions WHERE session_hash = ?1");
    st.bind(1, session_hash);
    st.step();
    return Status::ok();
  });
}

}  // namespace mentorlink::server
