// SqliteStore: programmes, enrolments, programme settings and contract templates.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;

namespace {

constexpr std::string_view kProgrammeColumns =
    "p.id, p.name, p.purpose, p.created_by, p.created_at, p.cadence_days, p.min_held_minutes";

ProgrammeRecord read_programme(const Statement& st) {
  return ProgrammeRecord{st.column_int(0),  st.column_text(1), st.column_text(2), st.column_int(3), st.column_int(4),
                         static_cast<int>(st.column_int(5)), static_cast<int>(st.column_int(6))};
}

constexpr std::string_view kEnrolmentSelect =
    "SELECT e.programme_id, e.member_id, m.display_name, e.role, e.joined_at FROM enrolments e "
    "JOIN members m ON m.id = e.member_id ";

EnrolmentRecord read_enrolment(const Statement& st) {
  return EnrolmentRecord{st.column_int(0), st.column_int(1), st.column_text(2),
                         programme_role_from_string(st.column_text(3)).value_or(ProgrammeRole::participant),
                         st.column_int(4)};
}

constexpr std::string_view kTemplateColumns = "id, programme_id, name, version, text, published_by, published_at";

TemplateRecord read_template(const Statement& st) {
  return TemplateRecord{st.column_int(0), st.column_int(1), st.column_text(2), st.column_int(3),
                        st.column_text(4), st.column_int(5), st.column_int(6)};
}

void write_enrolment(sqlite::Database& db, const EnrolmentRecord& e) {
  auto st = db.prepare("INSERT INTO enrolments (programme_id, member_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)");
  st.bind(1, e.programme).bind(2, e.member).bind(3, to_string(e.role)).bind(4, e.joined_at);
  st.step();
}

// Inserts the next version of draft.name in programme.
TemplateRecord write_template(sqlite::Database& db, ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                              TimeMs now) {
  auto next = db.prepare(
      "SELECT ifnull(max(version), 0) + 1 FROM contract_templates WHERE programme_id = ?1 AND name = ?2");
  next.bind(1, programme).bind(2, draft.name);
  next.step();
  TemplateRecord t{0, programme, draft.name, next.column_int(0), draft.text, by, now};
  next.finish();
  auto insert = db.prepare(
      "INSERT INTO contract_templates (programme_id, name, version, text, published_by, published_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, programme).bind(2, t.name).bind(3, t.version).bind(4, t.text).bind(5, by).bind(6, now);
  insert.step();
  t.id = db.last_insert_id();
  return t;
}

}  // namespace

namespace sqlite_detail {

Result<ProgrammeRecord> select_programme(sqlite::Database& db, ProgrammeId id) {
  auto st = db.prepare("SELECT " + std::string(kProgrammeColumns) + " FROM programmes p WHERE p.id = ?1");
  st.bind(1, id);
  if (st.step() != Statement::Step::row) return absent("programme");
  return read_programme(st);
}

std::vector<EnrolmentRecord> select_enrolments(sqlite::Database& db, ProgrammeId programme) {
  auto st = db.prepare(std::string(kEnrolmentSelect) + "WHERE e.programme_id = ?1 ORDER BY e.member_id");
  st.bind(1, programme);
  std::vector<EnrolmentRecord> out;
  while (st.step() == Statement::Step::row) out.push_back(read_enrolment(st));
  return out;
}

}  // namespace sqlite_detail

Result<ProgrammeRecord> SqliteStore::insert_programme(const std::string& name, const std::string& purpose,
                                                      MemberId creator, TimeMs now) {
  return run("insert_programme", [&]() -> Result<ProgrammeRecord> {
    auto insert =
        db_->prepare("INSERT INTO programmes (name, purpose, created_by, created_at) VALUES (?1, ?2, ?3, ?4)");
    insert.bind(1, name).bind(2, purpose).bind(3, creator).bind(4, now);
    insert.step();
    return ProgrammeRecord{db_->last_insert_id(), name, purpose, creator, now, kDefaultCadenceDays,
                           kDefaultMinHeldMinutes};
  });
}

Result<ProgrammeRecord> SqliteStore::programme_by_id(ProgrammeId id) {
  return run("programme_by_id", [&]() { return sqlite_detail::select_programme(*db_, id); });
}

Result<std::vector<ProgrammeRecord>> SqliteStore::programmes_of_member(MemberId member) {
  return run("programmes_of_member", [&]() -> Result<std::vector<ProgrammeRecord>> {
    auto st = db_->prepare("SELECT " + std::string(kProgrammeColumns) +
                           " FROM programmes p JOIN enrolments e ON e.programme_id = p.id WHERE e.member_id = ?1 "
                           "ORDER BY p.id");
    st.bind(1, member);
    std::vector<ProgrammeRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_programme(st));
    return out;
  });
}

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
    if (db_->changes() != 1) return absent("programme");
    auto updated = sqlite_detail::select_programme(*db_, programme);
    if (!updated.is_ok()) return updated.status();
    tx.commit();
    return updated;
  });
}

Status SqliteStore::insert_enrolment(const EnrolmentRecord& enrolment) {
  return run("insert_enrolment", [&]() -> Status {
    write_enrolment(*db_, enrolment);
    return Status::ok();
  });
}

Result<EnrolmentRecord> SqliteStore::enrolment(ProgrammeId programme, MemberId member) {
  return run("enrolment", [&]() -> Result<EnrolmentRecord> {
    auto st = db_->prepare(std::string(kEnrolmentSelect) + "WHERE e.programme_id = ?1 AND e.member_id = ?2");
    st.bind(1, programme).bind(2, member);
    if (st.step() != Statement::Step::row) return absent("enrolment");
    return read_enrolment(st);
  });
}

Result<std::vector<EnrolmentRecord>> SqliteStore::enrolments_in(ProgrammeId programme) {
  return run("enrolments_in", [&]() -> Result<std::vector<EnrolmentRecord>> {
    return sqlite_detail::select_enrolments(*db_, programme);
  });
}

Result<TemplateRecord> SqliteStore::publish_template(ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                                                     TimeMs now) {
  return run("publish_template", [&]() -> Result<TemplateRecord> {
    sqlite::Transaction tx(*db_);
    auto t = write_template(*db_, programme, draft, by, now);
    tx.commit();
    return t;
  });
}

Result<std::vector<TemplateRecord>> SqliteStore::latest_templates(ProgrammeId programme) {
  return run("latest_templates", [&]() -> Result<std::vector<TemplateRecord>> {
    auto st = db_->prepare("SELECT " + std::string(kTemplateColumns) +
                           " FROM contract_templates t WHERE programme_id = ?1 AND version = "
                           "(SELECT max(version) FROM contract_templates u WHERE u.programme_id = t.programme_id "
                           "AND u.name = t.name) ORDER BY name");
    st.bind(1, programme);
    std::vector<TemplateRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_template(st));
    return out;
  });
}

Result<TemplateRecord> SqliteStore::template_by_id(TemplateId id) {
  return run("template_by_id", [&]() -> Result<TemplateRecord> {
    auto st = db_->prepare("SELECT " + std::string(kTemplateColumns) + " FROM contract_templates WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != Statement::Step::row) return absent("template");
    return read_template(st);
  });
}

}  // namespace mentorlink::server
