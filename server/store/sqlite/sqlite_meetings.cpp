// SqliteStore: meetings and who was present when.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using wire::ErrorCode;

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
  if (st.step() != Statement::Step::row) return Status::error(ErrorCode::not_found, "no such meeting", "meeting");
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

Status wrong_status(const MeetingRecord& m, std::string_view wanted) {
  return Status::error(ErrorCode::conflict,
                       "meeting " + std::to_string(m.id) + " is " + std::string(to_string(m.status)) + "; it must be " +
                           std::string(wanted),
                       "meeting");
}

void set_status(sqlite::Database& db, MeetingId id, MeetingStatus status, std::string_view time_column, TimeMs now) {
  auto st = db.prepare("UPDATE meetings SET status = ?2, " + std::string(time_column) +
                       " = ?3, updated_at = ?3 WHERE id = ?1");
  st.bind(1, id).bind(2, to_string(status)).bind(3, now);
  st.step();
}

bool is_present(sqlite::Database& db, MeetingId meeting, MemberId member) {
  auto st = db.prepare("SELECT 1 FROM meeting_presence WHERE meeting_id = ?1 AND member_id = ?2 AND left_at IS NULL");
  st.bind(1, meeting).bind(2, member);
  return st.step() == Statement::Step::row;
}

void enter(sqlite::Database& db, MeetingId meeting, MemberId member, TimeMs now) {
  if (is_present(db, meeting, member)) return;
  auto st = db.prepare("INSERT OR IGNORE INTO meeting_presence (meeting_id, member_id, joined_at) VALUES (?1, ?2, ?3)");
  st.bind(1, meeting).bind(2, member).bind(3, now);
  st.step();
}

void leave(sqlite::Database& db, MeetingId meeting, std::optional<MemberId> member, TimeMs now) {
  auto st = db.prepare(
      "UPDATE meeting_presence SET left_at = ?3 WHERE meeting_id = ?1 AND left_at IS NULL "
      "AND (?2 IS NULL OR member_id = ?2)");
  st.bind(1, meeting).bind(2, member).bind(3, now);
  st.step();
}

// One step of a meeting in one transaction: the meeting must be in status `wanted`; change runs;
// the meeting is returned as it is afterwards.
template <class Change>
Result<MeetingRecord> step(sqlite::Database& db, MeetingId id, MeetingStatus wanted, Change&& change) {
  sqlite::Transaction tx(db);
  auto m = select_meeting(db, id);
  if (!m.is_ok()) return m;
  if (m.value().status != wanted) return wrong_status(m.value(), to_string(wanted));
  change();
  m = select_meeting(db, id);
  tx.commit();
  return m;
}

// quota_exceeded once the pair has `max` meetings, whatever their status.
Status room_for_meeting(sqlite::Database& db, PairId pair, std::int64_t max) {
  auto st = db.prepare("SELECT count(*) FROM meetings WHERE pair_id = ?1");
  st.bind(1, pair);
  st.step();
  if (st.column_int(0) < max) return Status::ok();
  return Status::error(ErrorCode::quota_exceeded,
                       "this pair already has " + std::to_string(max) + " meetings, the most this server keeps per pair",
                       "pair");
}

}  // namespace

Result<MeetingRecord> SqliteStore::schedule_meeting(PairId pair, TimeMs at, MemberId by, TimeMs now) {
  return run("schedule_meeting", [&]() -> Result<MeetingRecord> {
    sqlite::Transaction tx(*db_);
    if (auto s = room_for_meeting(*db_, pair, quotas_.max_meetings_per_pair); !s.is_ok()) return s;
    auto st = db_->prepare(
        "INSERT INTO meetings (pair_id, status, scheduled_at, created_by, created_at, updated_at) "
        "VALUES (?1, 'scheduled', ?2, ?3, ?4, ?4)");
    st.bind(1, pair).bind(2, at).bind(3, by).bind(4, now);
    st.step();
    auto m = select_meeting(*db_, db_->last_insert_id());
    tx.commit();
    return m;
  });
}

Result<MeetingRecord> SqliteStore::reschedule_meeting(MeetingId meeting, TimeMs at, TimeMs now) {
  return run("reschedule_meeting", [&] {
    return step(*db_, meeting, MeetingStatus::scheduled, [&] {
      auto st = db_->prepare("UPDATE meetings SET scheduled_at = ?2, updated_at = ?3 WHERE id = ?1");
      st.bind(1, meeting).bind(2, at).bind(3, now);
      st.step();
    });
  });
}

Result<MeetingRecord> SqliteStore::cancel_meeting(MeetingId meeting, TimeMs now) {
  return run("cancel_meeting", [&] {
    return step(*db_, meeting, MeetingStatus::scheduled,
                [&] { set_status(*db_, meeting, MeetingStatus::cancelled, "cancelled_at", now); });
  });
}

Result<MeetingRecord> SqliteStore::start_meeting(PairId pair, std::optional<MeetingId> meeting, MemberId by,
                                                 TimeMs now) {
  return run("start_meeting", [&]() -> Result<MeetingRecord> {
    sqlite::Transaction tx(*db_);
    auto under_way = db_->prepare("SELECT id FROM meetings WHERE pair_id = ?1 AND status = 'started'");
    under_way.bind(1, pair);
    if (under_way.step() == Statement::Step::row) {
      const auto id = under_way.column_int(0);
      return Status::error(ErrorCode::conflict,
                           "meeting " + std::to_string(id) + " is already under way; join it or end it first",
                           "meeting");
    }
    under_way.finish();
    MeetingId id = 0;
    if (meeting) {
      auto m = select_meeting(*db_, *meeting);
      if (!m.is_ok()) return m;
      if (m.value().pair != pair) return Status::error(ErrorCode::not_found, "no such meeting", "meeting");
      if (m.value().status != MeetingStatus::scheduled) return wrong_status(m.value(), "scheduled");
      id = *meeting;
      set_status(*db_, id, MeetingStatus::started, "started_at", now);
    } else {
      if (auto s = room_for_meeting(*db_, pair, quotas_.max_meetings_per_pair); !s.is_ok()) return s;
      auto st = db_->prepare(
          "INSERT INTO meetings (pair_id, status, started_at, created_by, created_at, updated_at) "
          "VALUES (?1, 'started', ?2, ?3, ?2, ?2)");
      st.bind(1, pair).bind(2, now).bind(3, by);
      st.step();
      id = db_->last_insert_id();
    }
    enter(*db_, id, by, now);
    auto m = select_meeting(*db_, id);
    tx.commit();
    return m;
  });
}

Result<MeetingRecord> SqliteStore::join_meeting(MeetingId meeting, MemberId member, TimeMs now) {
  return run("join_meeting",
             [&] { return step(*db_, meeting, MeetingStatus::started, [&] { enter(*db_, meeting, member, now); }); });
}

Result<MeetingRecord> SqliteStore::leave_meeting(MeetingId meeting, MemberId member, TimeMs now) {
  return run("leave_meeting",
             [&] { return step(*db_, meeting, MeetingStatus::started, [&] { leave(*db_, meeting, member, now); }); });
}

Result<MeetingRecord> SqliteStore::end_meeting(MeetingId meeting, TimeMs now) {
  return run("end_meeting", [&] {
    return step(*db_, meeting, MeetingStatus::started, [&] {
      leave(*db_, meeting, std::nullopt, now);
      set_status(*db_, meeting, MeetingStatus::ended, "ended_at", now);
    });
  });
}

Result<MeetingRecord> SqliteStore::meeting_by_id(MeetingId meeting) {
  return run("meeting_by_id", [&]() { return select_meeting(*db_, meeting); });
}

Result<std::vector<MeetingRecord>> SqliteStore::meetings_of_pair(PairId pair) {
  return run("meetings_of_pair", [&]() -> Result<std::vector<MeetingRecord>> {
    std::vector<MeetingId> ids;
    {
      auto st = db_->prepare(
          "SELECT id FROM meetings WHERE pair_id = ?1 ORDER BY coalesce(scheduled_at, started_at, created_at), id");
      st.bind(1, pair);
      while (st.step() == Statement::Step::row) ids.push_back(st.column_int(0));
    }
    std::vector<MeetingRecord> out;
    for (auto id : ids) {
      auto m = select_meeting(*db_, id);
      if (!m.is_ok()) return m.status();
      out.push_back(std::move(m.value()));
    }
    return out;
  });
}

}  // namespace mentorlink::server
