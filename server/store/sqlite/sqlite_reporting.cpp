// SqliteStore: what coordinator reports need beyond meetings and contracts: the programme's
// settings, message counts, and each pair's access log.
#include "protocol/wire/access_log.h"
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::to_array;
using wire::ErrorCode;

Result<ProgrammeRecord> SqliteStore::update_programme(ProgrammeId programme, const ProgrammeSettings& settings) {
  return run("update_programme", [&]() -> Result<ProgrammeRecord> {
    sqlite::Transaction tx(*db_);
    auto st = db_->prepare(
        "UPDATE programmes SET cadence_days = coalesce(?2, cadence_days), "
        "min_held_minutes = coalesce(?3, min_held_minutes) WHERE id = ?1");
    st.bind(1, programme);
    if (settings.cadence_days) st.bind(2, std::int64_t{*settings.cadence_days});
    if (settings.min_held_minutes) st.bind(3, std::int64_t{*settings.min_held_minutes});
    st.step();
    if (db_->changes() != 1) return Status::error(ErrorCode::not_found, "no such programme", "programme");
    auto updated = programme_by_id(programme);
    if (!updated.is_ok()) return updated.status();
    tx.commit();
    return updated;
  });
}

Result<std::int64_t> SqliteStore::message_count(PairId pair, TimeMs since) {
  return run("message_count", [&]() -> Result<std::int64_t> {
    auto st = db_->prepare("SELECT count(*) FROM envelope_log WHERE pair_id = ?1 AND sent_at >= ?2");
    st.bind(1, pair).bind(2, since);
    st.step();
    return st.column_int(0);
  });
}

Status SqliteStore::append_access(std::vector<AccessRecord>& entries) {
  return run("append_access", [&]() -> Status {
    sqlite::Transaction tx(*db_);
    for (auto& e : entries) {
      e.seq = 1;
      e.previous = wire::Hash{};
      {
        auto head = db_->prepare("SELECT seq, hash FROM access_log WHERE pair_id = ?1 ORDER BY seq DESC LIMIT 1");
        head.bind(1, e.pair);
        if (head.step() == Statement::Step::row) {
          e.seq = head.column_int(0) + 1;
          e.previous = to_array<wire::kHashBytes>(head.column_blob(1));
        }
      }
      e.hash = wire::access_entry_hash({static_cast<std::uint64_t>(e.pair), static_cast<std::uint64_t>(e.seq),
                                        static_cast<std::uint64_t>(e.coordinator), e.at, e.what, e.fields, e.previous});
      auto insert = db_->prepare(
          "INSERT INTO access_log (pair_id, seq, coordinator_id, at, what, fields, previous_hash, hash) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
      insert.bind(1, e.pair).bind(2, e.seq).bind(3, e.coordinator).bind(4, e.at).bind(5, e.what).bind(6, e.fields)
          .bind(7, e.previous).bind(8, e.hash);
      insert.step();
    }
    tx.commit();
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

}  // namespace mentorlink::server
