// Conformance: meetings as stored (the state machine itself is server/core's), presence
// intervals, and the document facts a meeting is read with.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

namespace {

MeetingRecord meeting(const World& w, MeetingStatus status, std::optional<TimeMs> scheduled_at,
                      std::optional<TimeMs> started_at) {
  MeetingRecord m;
  m.pair = w.pair.id;
  m.status = status;
  m.scheduled_at = scheduled_at;
  m.started_at = started_at;
  m.created_by = w.maria.id;
  m.created_at = w.now;
  m.updated_at = w.now;
  return m;
}

}  // namespace

TEST_CASE("store conformance: a meeting's status and times are stored as written", "[conformance][meetings]") {
  World w;
  const MeetingId id = written(w.store().insert_meeting(meeting(w, MeetingStatus::scheduled, w.now + 100, std::nullopt)));
  auto m = w.store().meeting_by_id(id).value();
  CHECK(m.id == id);
  CHECK(m.pair == w.pair.id);
  CHECK(m.status == MeetingStatus::scheduled);
  CHECK(m.scheduled_at == w.now + 100);
  CHECK_FALSE(m.started_at);
  CHECK(m.created_by == w.maria.id);
  CHECK(m.presence.empty());

  m.status = MeetingStatus::cancelled;
  m.cancelled_at = w.now + 5;
  m.updated_at = w.now + 5;
  REQUIRE(w.store().update_meeting(m).is_ok());
  const auto cancelled = w.store().meeting_by_id(id).value();
  CHECK(cancelled.status == MeetingStatus::cancelled);
  CHECK(cancelled.cancelled_at == w.now + 5);
  CHECK(cancelled.updated_at == w.now + 5);
  CHECK(w.store().meeting_by_id(id + 1000).status().code() == wire::ErrorCode::not_found);
  m.id = id + 1000;
  CHECK(w.store().update_meeting(m).code() == wire::ErrorCode::not_found);
}

TEST_CASE("store conformance: presence intervals open once and close", "[conformance][meetings]") {
  World w;
  const MeetingId id = written(w.store().insert_meeting(meeting(w, MeetingStatus::started, std::nullopt, w.now)));
  CHECK(w.store().meeting_under_way(w.pair.id).value() == id);
  REQUIRE(w.store().open_presence(id, w.maria.id, w.now).is_ok());
  REQUIRE(w.store().open_presence(id, w.maria.id, w.now + 1).is_ok());  // already present: unchanged
  REQUIRE(w.store().open_presence(id, w.tom.id, w.now + 2).is_ok());
  REQUIRE(w.store().close_presence(id, w.tom.id, w.now + 3).is_ok());
  REQUIRE(w.store().close_presence(id, w.tom.id, w.now + 4).is_ok());  // already gone: unchanged
  REQUIRE(w.store().open_presence(id, w.tom.id, w.now + 5).is_ok());   // back: a second interval

  auto m = w.store().meeting_by_id(id).value();
  REQUIRE(m.presence.size() == 3);
  CHECK(m.presence[0].member == w.maria.id);
  CHECK(m.presence[0].joined_at == w.now);
  CHECK_FALSE(m.presence[0].left_at);
  CHECK(m.presence[1].member == w.tom.id);
  CHECK(m.presence[1].left_at == w.now + 3);
  CHECK(m.presence[2].joined_at == w.now + 5);

  REQUIRE(w.store().close_presence(id, std::nullopt, w.now + 9).is_ok());  // everyone
  m = w.store().meeting_by_id(id).value();
  CHECK(m.presence[0].left_at == w.now + 9);
  CHECK(m.presence[1].left_at == w.now + 3);
  CHECK(m.presence[2].left_at == w.now + 9);
  m.status = MeetingStatus::ended;
  m.ended_at = w.now + 9;
  REQUIRE(w.store().update_meeting(m).is_ok());
  CHECK_FALSE(w.store().meeting_under_way(w.pair.id).value());
}

TEST_CASE("store conformance: a pair's meetings in the order they are to happen, with their documents' facts",
          "[conformance][meetings]") {
  World w;
  const MeetingId later = written(w.store().insert_meeting(meeting(w, MeetingStatus::scheduled, w.now + 500, std::nullopt)));
  const MeetingId sooner = written(w.store().insert_meeting(meeting(w, MeetingStatus::scheduled, w.now + 100, std::nullopt)));
  const MeetingId unscheduled = written(w.store().insert_meeting(meeting(w, MeetingStatus::started, std::nullopt, w.now + 300)));
  const auto all = w.store().meetings_of_pair(w.pair.id).value();
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == sooner);
  CHECK(all[1].id == unscheduled);
  CHECK(all[2].id == later);
  CHECK(w.store().meetings_of_pair(w.pair.id + 1000).value().empty());

  DocumentRecord agenda;
  agenda.pair = w.pair.id;
  agenda.kind = wire::DocumentKind::agenda;
  agenda.meeting = sooner;
  agenda.created_by = w.maria.id;
  const auto doc = written(w.store().open_document(agenda, w.now, 100));
  VersionRecord v;
  v.document = doc.id;
  v.version = 1;
  v.author = w.maria.id;
  v.body = wire::Bytes(10, 1);
  v.hash.fill(1);
  v.created_at = w.now + 42;
  (void)written(w.store().append_version(v, wire::Hash{}));
  DocumentRecord feedback = agenda;
  feedback.kind = wire::DocumentKind::feedback;
  feedback.owner = w.tom.id;
  const auto fb = written(w.store().open_document(feedback, w.now, 100));
  CHECK(w.store().meeting_by_id(sooner).value().feedback_from.empty());  // opened, not written: not given
  v.document = fb.id;
  (void)written(w.store().append_version(v, wire::Hash{}));

  const auto m = w.store().meeting_by_id(sooner).value();
  CHECK(m.agenda_first_version_at == w.now + 42);
  REQUIRE(m.feedback_from.size() == 1);
  CHECK(m.feedback_from[0] == w.tom.id);
  CHECK_FALSE(w.store().meeting_by_id(later).value().agenda_first_version_at);
}
