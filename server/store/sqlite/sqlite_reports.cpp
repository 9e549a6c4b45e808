// SqliteStore: what coordinator reports read (a programme's snapshot) and each pair's access log.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;

Result<ProgrammeSnapshot> SqliteStore::programme_snapshot(ProgrammeId programme, TimeMs messages_since) {
  return run("programme_snapshot", [&]() -> Result<ProgrammeSnapshot> {
    sqlite::Transaction tx(*db_);  // one read view for every number in the snapshot
    auto p = sqlite_detail::select_programme(*db_, programme);
    if (!p.is_ok()) return p.status();
    ProgrammeSnapshot out;
    out.programme = std::move(p.value());
    out.enrolments = sqlite_detail::select_enrolments(*db_, programme);
    for (auto& pair : sqlite_detail::select_pairs_in(*db_, programme)) {
      auto meetings = sqlite_detail::select_meetings_of_pair(*db_, pair.id);
      if (!meetings.is_ok()) return meetings.status();
      PairSnapshot ps;
      ps.contract = sqlite_detail::select_contract_of_pair(*db_, pair.id);
      ps.messages = messages_->count_since(pair.id, messages_since);
      ps.meetings = std::move(meetings.value());
      ps.pair = std::move(pair);
      out.pairs.push_back(std::move(ps));
    }
    tx.commit();
    return out;
  });
}

Result<std::optional<AccessRecord>> SqliteStore::last_access(PairId pair) {
  return run("last_access", [&]() -> Result<std::optional<AccessRecord>> {
    auto st = db_->prepare("SELECT " + std::string(sqlite_detail::kAccessColumns) +
                           " FROM access_log a WHERE a.pair_id = ?1 ORDER BY a.seq DESC LIMIT 1");
    st.bind(1, pair);
    if (st.step() != Statement::Step::row) return std::optional<AccessRecord>();
    return std::optional<AccessRecord>(sqlite_detail::read_access(st));
  });
}

Status SqliteStore::insert_access(const AccessRecord& e) {
  return run("insert_access", [&]() -> Status {
    auto insert = db_->prepare(
        "INSERT INTO access_log (pair_id, seq, coordinator_id, at, what, fields, previous_hash, hash) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    insert.bind(1, e.pair).bind(2, e.seq).bind(3, e.coordinator).bind(4, e.at).bind(5, e.what).bind(6, e.fields)
        .bind(7, e.previous).bind(8, e.hash);
    insert.step();
    return Status::ok();
  });
}

Result<std::vector<AccessRecord>> SqliteStore::access_log(PairId pair, std::int64_t from, std::size_t limit) {
  return run("access_log", [&]() -> Result<std::vector<AccessRecord>> {
    auto st = db_->prepare("SELECT " + std::string(sqlite_detail::kAccessColumns) +
                           " FROM access_log a WHERE a.pair_id = ?1 AND a.seq >= ?2 ORDER BY a.seq LIMIT ?3");
    st.bind(1, pair).bind(2, from).bind(3, static_cast<std::int64_t>(limit));
    std::vector<AccessRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(sqlite_detail::read_access(st));
    return out;
  });
}

Result<std::vector<AccessRecord>> SqliteStore::access_entries_by(MemberId coordinator, ProgrammeId programme,
                                                                 std::size_t limit) {
  return run("access_entries_by", [&]() -> Result<std::vector<AccessRecord>> {
    auto st = db_->prepare("SELECT " + std::string(sqlite_detail::kAccessColumns) +
                           " FROM access_log a JOIN pairs p ON p.id = a.pair_id WHERE a.coordinator_id = ?1 "
                           "AND p.programme_id = ?2 ORDER BY a.at DESC, a.pair_id, a.seq LIMIT ?3");
    st.bind(1, coordinator).bind(2, programme).bind(3, static_cast<std::int64_t>(limit));
    std::vector<AccessRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(sqlite_detail::read_access(st));
    return out;
  });
}

}  // namespace mentorlink::server
