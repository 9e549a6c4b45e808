// PostgresStore: programmes, enrolments, contract templates and pairs.
#include "server/store/postgresql/postgres_store_internal.h"

namespace mentorlink::server {
using pg::Params;
using pg_detail::absent;

namespace {

const std::string kProgrammeColumns =
    "p.id, p.name, p.purpose, p.created_by, p.created_at, p.cadence_days, p.min_held_minutes";

ProgrammeRecord read_programme(const pg::Result& r, int row) {
  return ProgrammeRecord{r.integer(row, 0), r.text(row, 1), r.text(row, 2), r.integer(row, 3), r.integer(row, 4),
                         static_cast<int>(r.integer(row, 5)), static_cast<int>(r.integer(row, 6))};
}

const std::string kEnrolmentSelect =
    "SELECT e.programme_id, e.member_id, m.display_name, e.role, e.joined_at FROM enrolments e "
    "JOIN members m ON m.id = e.member_id ";

EnrolmentRecord read_enrolment(const pg::Result& r, int row) {
  return EnrolmentRecord{r.integer(row, 0), r.integer(row, 1), r.text(row, 2),
                         programme_role_from_string(r.text(row, 3)).value_or(ProgrammeRole::participant),
                         r.integer(row, 4)};
}

const std::string kTemplateColumns = "id, programme_id, name, version, text, published_by, published_at";

TemplateRecord read_template(const pg::Result& r, int row) {
  return TemplateRecord{r.integer(row, 0), r.integer(row, 1), r.text(row, 2), r.integer(row, 3),
                        r.text(row, 4),    r.integer(row, 5), r.integer(row, 6)};
}

const std::string kPairSelect =
    "SELECT id, programme_id, mentor_id, mentee_id, formed_by, formed_at, ended_at, ended_by FROM pairs ";

PairRecord read_pair(const pg::Result& r, int row) {
  PairRecord p;
  p.id = r.integer(row, 0);
  p.programme = r.integer(row, 1);
  p.mentor = r.integer(row, 2);
  p.mentee = r.integer(row, 3);
  p.formed_by = r.integer(row, 4);
  p.formed_at = r.integer(row, 5);
  p.ended_at = r.optional_integer(row, 6);
  p.ended_by = r.optional_integer(row, 7);
  return p;
}

std::vector<PairRecord> read_pairs(const pg::Result& r) {
  std::vector<PairRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_pair(r, i));
  return out;
}

}  // namespace

namespace pg_detail {

Result<ProgrammeRecord> select_programme(pg::Connection& db, ProgrammeId id) {
  auto r = db.run("SELECT " + kProgrammeColumns + " FROM programmes p WHERE p.id = $1", Params().add(id));
  if (r.rows() == 0) return absent("programme");
  return read_programme(r, 0);
}

std::vector<EnrolmentRecord> select_enrolments(pg::Connection& db, ProgrammeId programme) {
  auto r = db.run(kEnrolmentSelect + "WHERE e.programme_id = $1 ORDER BY e.member_id", Params().add(programme));
  std::vector<EnrolmentRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(read_enrolment(r, i));
  return out;
}

std::vector<PairRecord> select_pairs_in(pg::Connection& db, ProgrammeId programme) {
  return read_pairs(db.run(kPairSelect + "WHERE programme_id = $1 ORDER BY id", Params().add(programme)));
}

}  // namespace pg_detail

Result<ProgrammeRecord> PostgresStore::insert_programme(const std::string& name, const std::string& purpose,
                                                        MemberId creator, TimeMs now) {
  return run("insert_programme", [&]() -> Result<ProgrammeRecord> {
    auto r = db_->run(
        "INSERT INTO programmes (name, purpose, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        Params().add(name).add(purpose).add(creator).add(now));
    return ProgrammeRecord{r.integer(0, 0), name, purpose, creator, now, kDefaultCadenceDays, kDefaultMinHeldMinutes};
  });
}

Result<ProgrammeRecord> PostgresStore::programme_by_id(ProgrammeId id) {
  return run("programme_by_id", [&]() { return pg_detail::select_programme(*db_, id); });
}

Result<std::vector<ProgrammeRecord>> PostgresStore::programmes_of_member(MemberId member) {
  return run("programmes_of_member", [&]() -> Result<std::vector<ProgrammeRecord>> {
    auto r = db_->run("SELECT " + kProgrammeColumns +
                          " FROM programmes p JOIN enrolments e ON e.programme_id = p.id WHERE e.member_id = $1 "
                          "ORDER BY p.id",
                      Params().add(member));
    std::vector<ProgrammeRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_programme(r, i));
    return out;
  });
}

Result<ProgrammeRecord> PostgresStore::update_programme(ProgrammeId programme, const ProgrammeSettings& settings) {
  return run("update_programme", [&]() -> Result<ProgrammeRecord> {
    Params p;
    p.add(programme);
    if (settings.cadence_days) p.add(std::int64_t{*settings.cadence_days}); else p.add_null();
    if (settings.min_held_minutes) p.add(std::int64_t{*settings.min_held_minutes}); else p.add_null();
    auto r = db_->run("UPDATE programmes p SET cadence_days = coalesce($2::bigint, cadence_days), "
                          "min_held_minutes = coalesce($3::bigint, min_held_minutes) WHERE id = $1 RETURNING " +
                          kProgrammeColumns,
                      p);
    if (r.rows() == 0) return absent("programme");
    return read_programme(r, 0);
  });
}

Status PostgresStore::insert_enrolment(const EnrolmentRecord& e) {
  return run("insert_enrolment", [&]() -> Status {
    db_->run("INSERT INTO enrolments (programme_id, member_id, role, joined_at) VALUES ($1, $2, $3, $4)",
             Params().add(e.programme).add(e.member).add(to_string(e.role)).add(e.joined_at));
    return Status::ok();
  });
}

Result<EnrolmentRecord> PostgresStore::enrolment(ProgrammeId programme, MemberId member) {
  return run("enrolment", [&]() -> Result<EnrolmentRecord> {
    auto r = db_->run(kEnrolmentSelect + "WHERE e.programme_id = $1 AND e.member_id = $2",
                      Params().add(programme).add(member));
    if (r.rows() == 0) return absent("enrolment");
    return read_enrolment(r, 0);
  });
}

Result<std::vector<EnrolmentRecord>> PostgresStore::enrolments_in(ProgrammeId programme) {
  return run("enrolments_in",
             [&]() -> Result<std::vector<EnrolmentRecord>> { return pg_detail::select_enrolments(*db_, programme); });
}

Result<TemplateRecord> PostgresStore::publish_template(ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                                                       TimeMs now) {
  return run("publish_template", [&]() -> Result<TemplateRecord> {
    pg::Transaction tx(*db_);
    // The programme's row serialises publishers, so two servers never pick the same version.
    auto locked = db_->run("SELECT 1 FROM programmes WHERE id = $1 FOR UPDATE", Params().add(programme));
    if (locked.rows() == 0) return absent("programme");
    auto r = db_->run(
        "INSERT INTO contract_templates (programme_id, name, version, text, published_by, published_at) "
        "SELECT $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5 FROM contract_templates "
        "WHERE programme_id = $1 AND name = $2 RETURNING id, version",
        Params().add(programme).add(draft.name).add(draft.text).add(by).add(now));
    TemplateRecord t{r.integer(0, 0), programme, draft.name, r.integer(0, 1), draft.text, by, now};
    tx.commit();
    return t;
  });
}

Result<std::vector<TemplateRecord>> PostgresStore::latest_templates(ProgrammeId programme) {
  return run("latest_templates", [&]() -> Result<std::vector<TemplateRecord>> {
    auto r = db_->run("SELECT DISTINCT ON (name) " + kTemplateColumns +
                          " FROM contract_templates WHERE programme_id = $1 ORDER BY name, version DESC",
                      Params().add(programme));
    std::vector<TemplateRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_template(r, i));
    return out;
  });
}

Result<TemplateRecord> PostgresStore::template_by_id(TemplateId id) {
  return run("template_by_id", [&]() -> Result<TemplateRecord> {
    auto r = db_->run("SELECT " + kTemplateColumns + " FROM contract_templates WHERE id = $1", Params().add(id));
    if (r.rows() == 0) return absent("template");
    return read_template(r, 0);
  });
}

Result<Written<PairRecord>> PostgresStore::insert_pair(ProgrammeId programme, MemberId mentor, MemberId mentee,
                                                       MemberId formed_by, TimeMs now) {
  return run("insert_pair", [&]() -> Result<Written<PairRecord>> {
    auto r = db_->run(
        "INSERT INTO pairs (programme_id, mentor_id, mentee_id, formed_by, formed_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (mentor_id, mentee_id) WHERE ended_at IS NULL DO NOTHING RETURNING id",
        Params().add(programme).add(mentor).add(mentee).add(formed_by).add(now));
    if (r.rows() == 0) return Written<PairRecord>{Refusal{Refusal::Rule::pair_exists}};
    PairRecord p;
    p.id = r.integer(0, 0);
    p.programme = programme;
    p.mentor = mentor;
    p.mentee = mentee;
    p.formed_by = formed_by;
    p.formed_at = now;
    return Written<PairRecord>{p};
  });
}

Result<PairRecord> PostgresStore::pair_by_id(PairId id) {
  return run("pair_by_id", [&]() -> Result<PairRecord> {
    auto r = db_->run(kPairSelect + "WHERE id = $1", Params().add(id));
    if (r.rows() == 0) return absent("pair");
    return read_pair(r, 0);
  });
}

Result<std::vector<PairRecord>> PostgresStore::pairs_in(ProgrammeId programme) {
  return run("pairs_in", [&]() -> Result<std::vector<PairRecord>> { return pg_detail::select_pairs_in(*db_, programme); });
}

Result<std::vector<PairRecord>> PostgresStore::active_pairs_of_member(MemberId member) {
  return run("active_pairs_of_member", [&]() -> Result<std::vector<PairRecord>> {
    return read_pairs(db_->run(kPairSelect + "WHERE (mentor_id = $1 OR mentee_id = $1) AND ended_at IS NULL ORDER BY id",
                               Params().add(member)));
  });
}

Result<bool> PostgresStore::mark_pair_ended(PairId id, MemberId ended_by, TimeMs now) {
  return run("mark_pair_ended", [&]() -> Result<bool> {
    auto r = db_->run("UPDATE pairs SET ended_at = $1, ended_by = $2 WHERE id = $3 AND ended_at IS NULL",
                      Params().add(now).add(ended_by).add(id));
    return r.affected() == 1;
  });
}

}  // namespace mentorlink::server
