// SqliteStore: meetings and who was present when. Storage only: the state machine is in
// server/core/meetings.cpp.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;

namespace {

constexpr std::string_view kMeetingColumns =
    "id, pair_id, status, scheduled_at, started_at, ended_at, cancelled_at, created_by, created_at, updated_at";

MeetingStatus status_column(const Statement& st, int index) {
  const auto s = st.column_text(index);
  if (s == "cancelled") return MeetingStatus::cancelled;
  if (s == "started") return MeetingStatus::started;
  if (s == "ended") return MeetingStatus::ended;
  return MeetingStatus::scheduled;
}

// The meeting with its presence intervals, agenda timing and feedback authors.
Result<MeetingRecord> select_meeting(sqlite::Database& db, MeetingId id) {
  auto st = db.prepare("SELECT " + std::string(kMeetingColumns) + " FROM meetings WHERE id = ?1");
  st.bind(1, id);
  if (st.step() != Statement::Step::row) return absent("meeting");
  MeetingRecord m;
  m.id = st.column_int(0);
  m.pair = st.column_int(1);
  m.status = status_column(st, 2);
  m.scheduled_at = st.column_optional_int(3);
  m.started_at = st.column_optional_int(4);
  m.ended_at = st.column_optional_int(5);
  m.cancelled_at = st.column_optional_int(6);
  m.created_by = st.column_int(7);
  m.created_at = st.column_int(8);
  m.updated_at = st.column_int(9);
  st.finish();

  auto presence = db.prepare(
      "SELECT member_id, joined_at, left_at FROM meeting_presence WHERE meeting_id = ?1 ORDER BY joined_at, member_id");
  presence.bind(1, id);
  while (presence.step() == Statement::Step::row) {
    m.presence.push_back(
        PresenceInterval{presence.column_int(0), presence.column_int(1), presence.column_optional_int(2)});
  }
  auto agenda = db.prepare("SELECT first_version_at FROM documents WHERE meeting_id = ?1 AND kind = ?2");
  agenda.bind(1, id).bind(2, static_cast<std::int64_t>(wire::DocumentKind::agenda));
  if (agenda.step() == Statement::Step::row) m.agenda_first_version_at = agenda.column_optional_int(0);
  auto feedback = db.prepare(
      "SELECT owner_id FROM documents WHERE meeting_id = ?1 AND kind = ?2 AND latest_version > 0 ORDER BY owner_id");
  feedback.bind(1, id).bind(2, static_cast<std::int64_t>(wire::DocumentKind::feedback));
  while (feedback.step() == Statement::Step::row) m.feedback_from.push_back(feedback.column_int(0));
  return m;
}

}  // namespace

namespace sqlite_detail {

Result<std::vector<MeetingRecord>> select_meetings_of_pair(sqlite::Database& db, PairId pair) {
  std::vector<MeetingId> ids;
  {
    auto st = db.prepare(
        "SELECT id FROM meetings WHERE pair_id = ?1 ORDER BY coalesce(scheduled_at, started_at, created_at), id");
    st.bind(1, pair);
    while (st.step() == Statement::Step::row) ids.push_back(st.column_int(0));
  }
  std::vector<MeetingRecord> out;
  for (auto id : ids) {
    auto m = select_meeting(db, id);
    if (!m.is_ok()) return m.status();
    out.push_back(std::move(m.value()));
  }
  return out;
}

}  // namespace sqlite_detail

Result<Written<MeetingId>> SqliteStore::insert_meeting(const MeetingRecord& m) {
  using Out = Written<MeetingId>;
  return run("insert_meeting", [&]() -> Result<Out> {
    sqlite::Transaction tx(*db_);
    auto count = db_->prepare("SELECT count(*) FROM meetings WHERE pair_id = ?1");
    count.bind(1, m.pair);
    count.step();
    const std::int64_t max = quotas_.max_meetings_per_pair;
    if (count.column_int(0) >= max) return Out{Refusal{Refusal::Rule::too_many_meetings, max}};
    count.reset();
    auto st = db_->prepare(
        "INSERT INTO meetings (pair_id, status, scheduled_at, started_at, ended_at, cancelled_at, created_by, "
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    st.bind(1, m.pair)
        .bind(2, to_string(m.status))
        .bind(3, m.scheduled_at)
        .bind(4, m.started_at)
        .bind(5, m.ended_at)
        .bind(6, m.cancelled_at)
        .bind(7, m.created_by)
        .bind(8, m.created_at)
        .bind(9, m.updated_at);
    st.step();
    const MeetingId id = db_->last_insert_id();
    tx.commit();
    return Out{id};
  });
}

Status SqliteStore::update_meeting(const MeetingRecord& m) {
  return run("update_meeting", [&]() -> Status {
    auto st = db_->prepare(
        "UPDATE meetings SET status = ?2, scheduled_at = ?3, started_at = ?4, ended_at = ?5, cancelled_at = ?6, "
        "updated_at = ?7 WHERE id = ?1");
    st.bind(1, m.id)
        .bind(2, to_string(m.status))
        .bind(3, m.scheduled_at)
        .bind(4, m.started_at)
        .bind(5, m.ended_at)
        .bind(6, m.cancelled_at)
        .bind(7, m.updated_at);
    st.step();
    if (db_->changes() != 1) return absent("meeting");
    return Status::ok();
  });
}

Status SqliteStore::open_presence(MeetingId meeting, MemberId member, TimeMs now) {
  return run("open_presence", [&]() -> Status {
    auto st = db_->prepare(
        "INSERT INTO meeting_presence (meeting_id, member_id, joined_at) SELECT ?1, ?2, ?3 WHERE NOT EXISTS "
        "(SELECT 1 FROM meeting_presence WHERE meeting_id = ?1 AND member_id = ?2 AND left_at IS NULL) "
        "ON CONFLICT DO NOTHING");
    st.bind(1, meeting).bind(2, member).bind(3, now);
    st.step();
    return Status::ok();
  });
}

Status SqliteStore::close_presence(MeetingId meeting, std::optional<MemberId> member, TimeMs now) {
  return run("close_presence", [&]() -> Status {
    auto st = db_->prepare(
        "UPDATE meeting_presence SET left_at = ?3 WHERE meeting_id = ?1 AND left_at IS NULL "
        "AND (?2 IS NULL OR member_id = ?2)");
    st.bind(1, meeting).bind(2, member).bind(3, now);
    st.step();
    return Status::ok();
  });
}

Result<MeetingRecord> SqliteStore::meeting_by_id(MeetingId meeting) {
  return run("meeting_by_id", [&]() { return select_meeting(*db_, meeting); });
}

Result<std::vector<MeetingRecord>> SqliteStore::meetings_of_pair(PairId pair) {
  return run("meetings_of_pair", [&]() { return sqlite_detail::select_meetings_of_pair(*db_, pair); });
}

Result<std::optional<MeetingId>> SqliteStore::meeting_under_way(PairId pair) {
  return run("meeting_under_way", [&]() -> Result<std::optional<MeetingId>> {
    auto st = db_->prepare("SELECT id FROM meetings WHERE pair_id = ?1 AND status = 'started' ORDER BY id LIMIT 1");
    st.bind(1, pair);
    if (st.step() != Statement::Step::row) return std::optional<MeetingId>();
    return std::optional<MeetingId>(st.column_int(0));
  });
}

}  // namespace mentorlink::server
