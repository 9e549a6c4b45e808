// SqliteStore: pairs.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;

namespace {

constexpr std::string_view kPairSelect =
    "SELECT id, programme_id, mentor_id, mentee_id, formed_by, formed_at, ended_at, ended_by FROM pairs ";

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

}  // namespace

namespace sqlite_detail {

std::vector<PairRecord> select_pairs_in(sqlite::Database& db, ProgrammeId programme) {
  auto st = db.prepare(std::string(kPairSelect) + "WHERE programme_id = ?1 ORDER BY id");
  st.bind(1, programme);
  std::vector<PairRecord> out;
  while (st.step() == Statement::Step::row) out.push_back(read_pair(st));
  return out;
}

}  // namespace sqlite_detail

Result<Written<PairRecord>> SqliteStore::insert_pair(ProgrammeId programme, MemberId mentor, MemberId mentee,
                                                     MemberId formed_by, TimeMs now) {
  return run("insert_pair", [&]() -> Result<Written<PairRecord>> {
    auto st = db_->prepare(
        "INSERT INTO pairs (programme_id, mentor_id, mentee_id, formed_by, formed_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    st.bind(1, programme).bind(2, mentor).bind(3, mentee).bind(4, formed_by).bind(5, now);
    if (st.step_or_constraint() == Statement::Step::constraint) {
      return Written<PairRecord>{Refusal{Refusal::Rule::pair_exists}};
    }
    PairRecord p;
    p.id = db_->last_insert_id();
    p.programme = programme;
    p.mentor = mentor;
    p.mentee = mentee;
    p.formed_by = formed_by;
    p.formed_at = now;
    return Written<PairRecord>{p};
  });
}

Result<PairRecord> SqliteStore::pair_by_id(PairId id) {
  return run("pair_by_id", [&]() -> Result<PairRecord> {
    auto st = db_->prepare(std::string(kPairSelect) + "WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != Statement::Step::row) return absent("pair");
    return read_pair(st);
  });
}

Result<std::vector<PairRecord>> SqliteStore::pairs_in(ProgrammeId programme) {
  return run("pairs_in",
             [&]() -> Result<std::vector<PairRecord>> { return sqlite_detail::select_pairs_in(*db_, programme); });
}

Result<std::vector<PairRecord>> SqliteStore::active_pairs_of_member(MemberId member) {
  return run("active_pairs_of_member", [&]() -> Result<std::vector<PairRecord>> {
    auto st = db_->prepare(std::string(kPairSelect) +
                           "WHERE (mentor_id = ?1 OR mentee_id = ?1) AND ended_at IS NULL ORDER BY id");
    st.bind(1, member);
    std::vector<PairRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_pair(st));
    return out;
  });
}

Result<bool> SqliteStore::mark_pair_ended(PairId id, MemberId ended_by, TimeMs now) {
  return run("mark_pair_ended", [&]() -> Result<bool> {
    auto st = db_->prepare("UPDATE pairs SET ended_at = ?1, ended_by = ?2 WHERE id = ?3 AND ended_at IS NULL");
    st.bind(1, now).bind(2, ended_by).bind(3, id);
    st.step();
    return db_->changes() == 1;
  });
}

}  // namespace mentorlink::server
