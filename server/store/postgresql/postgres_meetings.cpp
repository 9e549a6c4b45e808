// PostgresStore: meetings and who was present when, programme snapshots for reports, and each
// pair's access log. Storage only: the state machine is in server/core/meetings.cpp.
#include "server/store/postgresql/postgres_store_internal.h"

namespace mentorlink::server {
using pg::Params;
using pg_detail::absent;

namespace {

const std::string kMeetingColumns =
    "id, pair_id, status, scheduled_at, started_at, ended_at, cancelled_at, created_by, created_at, updated_at";

MeetingStatus read_status(const std::string& s) {
  if (s == "cancelled") return MeetingStatus::cancelled;
  if (s == "started") return MeetingStatus::started;
  if (s == "ended") return MeetingStatus::ended;
  return MeetingStatus::scheduled;
}

MeetingRecord read_meeting(const pg::Result& r, int row) {
  MeetingRecord m;
  m.id = r.integer(row, 0);
  m.pair = r.integer(row, 1);
  m.status = read_status(r.text(row, 2));
  m.scheduled_at = r.optional_integer(row, 3);
  m.started_at = r.optional_integer(row, 4);
  m.ended_at = r.optional_integer(row, 5);
  m.cancelled_at = r.optional_integer(row, 6);
  m.created_by = r.integer(row, 7);
  m.created_at = r.integer(row, 8);
  m.updated_at = r.integer(row, 9);
  return m;
}

// Fills in the meeting's presence intervals, agenda timing and feedback authors.
void fill_meeting(pg::Connection& db, MeetingRecord& m) {
  auto presence = db.run(
      "SELECT member_id, joined_at, left_at FROM meeting_presence WHERE meeting_id = $1 ORDER BY joined_at, member_id",
      Params().add(m.id));
  for (int i = 0; i < presence.rows(); ++i) {
    m.presence.push_back(PresenceInterval{presence.integer(i, 0), presence.integer(i, 1), presence.optional_integer(i, 2)});
  }
  auto agenda = db.run("SELECT first_version_at FROM documents WHERE meeting_id = $1 AND kind = $2 ORDER BY id LIMIT 1",
                       Params().add(m.id).add(static_cast<std::int64_t>(wire::DocumentKind::agenda)));
  if (agenda.rows() > 0) m.agenda_first_version_at = agenda.optional_integer(0, 0);
  auto feedback = db.run(
      "SELECT owner_id FROM documents WHERE meeting_id = $1 AND kind = $2 AND latest_version > 0 ORDER BY owner_id",
      Params().add(m.id).add(static_cast<std::int64_t>(wire::DocumentKind::feedback)));
  for (int i = 0; i < feedback.rows(); ++i) m.feedback_from.push_back(feedback.integer(i, 0));
}

Result<MeetingRecord> select_meeting(pg::Connection& db, MeetingId id) {
  auto r = db.run("SELECT " + kMeetingColumns + " FROM meetings WHERE id = $1", Params().add(id));
  if (r.rows() == 0) return absent("meeting");
  auto m = read_meeting(r, 0);
  fill_meeting(db, m);
  return m;
}

const std::string kAccessColumns =
    "a.pair_id, a.seq, a.coordinator_id, a.at, a.what, a.fields, a.previous_hash, a.hash";

std::vector<AccessRecord> read_access(const pg::Result& r) {
  std::vector<AccessRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(AccessRecord{r.integer(i, 0), r.integer(i, 1), r.integer(i, 2), r.integer(i, 3), r.text(i, 4),
                               r.text(i, 5), r.fixed_bytes<wire::kHashBytes>(i, 6),
                               r.fixed_bytes<wire::kHashBytes>(i, 7)});
  }
  return out;
}

}  // namespace

namespace pg_detail {

Result<std::vector<MeetingRecord>> select_meetings_of_pair(pg::Connection& db, PairId pair) {
  auto r = db.run("SELECT " + kMeetingColumns +
                      " FROM meetings WHERE pair_id = $1 ORDER BY coalesce(scheduled_at, started_at, created_at), id",
                  Params().add(pair));
  std::vector<MeetingRecord> out;
  for (int i = 0; i < r.rows(); ++i) {
    out.push_back(read_meeting(r, i));
    fill_meeting(db, out.back());
  }
  return out;
}

}  // namespace pg_detail

Result<Written<MeetingId>> PostgresStore::insert_meeting(const MeetingRecord& m) {
  using Out = Written<MeetingId>;
  return run("insert_meeting", [&]() -> Result<Out> {
    pg::Transaction tx(*db_);
    // The pair's row serialises meeting creation in the pair, so the quota holds across servers.
    auto pair = db_->run("SELECT 1 FROM pairs WHERE id = $1 FOR UPDATE", Params().add(m.pair));
    if (pair.rows() == 0) return absent("pair");
    const std::int64_t max = quotas_.max_meetings_per_pair;
    if (db_->run("SELECT count(*) FROM meetings WHERE pair_id = $1", Params().add(m.pair)).integer(0, 0) >= max) {
      return Out{Refusal{Refusal::Rule::too_many_meetings, max}};
    }
    auto r = db_->run(
        "INSERT INTO meetings (pair_id, status, scheduled_at, started_at, ended_at, cancelled_at, created_by, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        Params()
            .add(m.pair)
            .add(to_string(m.status))
            .add(m.scheduled_at)
            .add(m.started_at)
            .add(m.ended_at)
            .add(m.cancelled_at)
            .add(m.created_by)
            .add(m.created_at)
            .add(m.updated_at));
    const MeetingId id = r.integer(0, 0);
    tx.commit();
    return Out{id};
  });
}

Status PostgresStore::update_meeting(const MeetingRecord& m) {
  return run("update_meeting", [&]() -> Status {
    auto r = db_->run(
        "UPDATE meetings SET status = $2, scheduled_at = $3, started_at = $4, ended_at = $5, cancelled_at = $6, "
        "updated_at = $7 WHERE id = $1",
        Params()
            .add(m.id)
            .add(to_string(m.status))
            .add(m.scheduled_at)
            .add(m.started_at)
            .add(m.ended_at)
            .add(m.cancelled_at)
            .add(m.updated_at));
    if (r.affected() != 1) return absent("meeting");
    return Status::ok();
  });
}

Status PostgresStore::open_presence(MeetingId meeting, MemberId member, TimeMs now) {
  return run("open_presence", [&]() -> Status {
    db_->run(
        "INSERT INTO meeting_presence (meeting_id, member_id, joined_at) SELECT $1, $2, $3 WHERE NOT EXISTS "
        "(SELECT 1 FROM meeting_presence WHERE meeting_id = $1 AND member_id = $2 AND left_at IS NULL) "
        "ON CONFLICT DO NOTHING",
        Params().add(meeting).add(member).add(now));
    return Status::ok();
  });
}

Status PostgresStore::close_presence(MeetingId meeting, std::optional<MemberId> member, TimeMs now) {
  return run("close_presence", [&]() -> Status {
    db_->run(
        "UPDATE meeting_presence SET left_at = $3 WHERE meeting_id = $1 AND left_at IS NULL "
        "AND ($2::bigint IS NULL OR member_id = $2::bigint)",
        Params().add(meeting).add(member).add(now));
    return Status::ok();
  });
}

Result<MeetingRecord> PostgresStore::meeting_by_id(MeetingId meeting) {
  return run("meeting_by_id", [&]() { return select_meeting(*db_, meeting); });
}

Result<std::vector<MeetingRecord>> PostgresStore::meetings_of_pair(PairId pair) {
  return run("meetings_of_pair", [&]() { return pg_detail::select_meetings_of_pair(*db_, pair); });
}

Result<std::optional<MeetingId>> PostgresStore::meeting_under_way(PairId pair) {
  return run("meeting_under_way", [&]() -> Result<std::optional<MeetingId>> {
    auto r = db_->run("SELECT id FROM meetings WHERE pair_id = $1 AND status = 'started' ORDER BY id LIMIT 1",
                      Params().add(pair));
    if (r.rows() == 0) return std::optional<MeetingId>();
    return std::optional<MeetingId>(r.integer(0, 0));
  });
}

Result<ProgrammeSnapshot> PostgresStore::programme_snapshot(ProgrammeId programme, TimeMs messages_since) {
  return run("programme_snapshot", [&]() -> Result<ProgrammeSnapshot> {
    pg::Transaction tx(*db_, pg::Isolation::repeatable_read);  // one read view for every number in the snapshot
    auto p = pg_detail::select_programme(*db_, programme);
    if (!p.is_ok()) return p.status();
    ProgrammeSnapshot out;
    out.programme = std::move(p.value());
    out.enrolments = pg_detail::select_enrolments(*db_, programme);
    for (auto& pair : pg_detail::select_pairs_in(*db_, programme)) {
      auto meetings = pg_detail::select_meetings_of_pair(*db_, pair.id);
      if (!meetings.is_ok()) return meetings.status();
      PairSnapshot ps;
      ps.contract = pg_detail::select_contract_of_pair(*db_, pair.id);
      ps.messages = pg_detail::select_message_count(*db_, pair.id, messages_since);
      ps.meetings = std::move(meetings.value());
      ps.pair = std::move(pair);
      out.pairs.push_back(std::move(ps));
    }
    tx.commit();
    return out;
  });
}

Result<std::optional<AccessRecord>> PostgresStore::last_access(PairId pair) {
  return run("last_access", [&]() -> Result<std::optional<AccessRecord>> {
    auto rows = read_access(db_->run(
        "SELECT " + kAccessColumns + " FROM access_log a WHERE a.pair_id = $1 ORDER BY a.seq DESC LIMIT 1",
        Params().add(pair)));
    if (rows.empty()) return std::optional<AccessRecord>();
    return std::optional<AccessRecord>(std::move(rows.front()));
  });
}

Status PostgresStore::insert_access(const AccessRecord& e) {
  return run("insert_access", [&]() -> Status {
    db_->run(
        "INSERT INTO access_log (pair_id, seq, coordinator_id, at, what, fields, previous_hash, hash) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        Params().add(e.pair).add(e.seq).add(e.coordinator).add(e.at).add(e.what).add(e.fields).add(e.previous).add(e.hash));
    return Status::ok();
  });
}

Result<std::vector<AccessRecord>> PostgresStore::access_log(PairId pair, std::int64_t from, std::size_t limit) {
  return run("access_log", [&]() -> Result<std::vector<AccessRecord>> {
    return read_access(db_->run(
        "SELECT " + kAccessColumns + " FROM access_log a WHERE a.pair_id = $1 AND a.seq >= $2 ORDER BY a.seq LIMIT $3",
        Params().add(pair).add(from).add(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)))));
  });
}

Result<std::vector<AccessRecord>> PostgresStore::access_entries_by(MemberId coordinator, ProgrammeId programme,
                                                                   std::size_t limit) {
  return run("access_entries_by", [&]() -> Result<std::vector<AccessRecord>> {
    return read_access(db_->run("SELECT " + kAccessColumns +
                                    " FROM access_log a JOIN pairs p ON p.id = a.pair_id WHERE a.coordinator_id = $1 "
                                    "AND p.programme_id = $2 ORDER BY a.at DESC, a.pair_id, a.seq LIMIT $3",
                                Params().add(coordinator).add(programme).add(
                                    static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)))));
  });
}

}  // namespace mentorlink::server
