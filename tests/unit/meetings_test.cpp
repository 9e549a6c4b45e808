// The meeting state machine (server/core/meetings.h), over a real store.
#include <catch2/catch.hpp>

#include "server/core/meetings.h"
#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "tests/support/store_fixture.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::test::key;
using Fixture = mentorlink::test::StoreFixture;
using wire::ErrorCode;

TEST_CASE("meetings: steps in order, one under way per pair, presence intervals", "[meetings]") {
  Fixture f;
  const auto [ada, programme, maria, tom, pair] = f.programme_with_pair();

  const auto scheduled = schedule_meeting(f.store, pair.id, f.clock.now_ms() + 1000, tom.id, f.clock.now_ms()).value();
  CHECK(scheduled.status == MeetingStatus::scheduled);
  CHECK(join_meeting(f.store, scheduled.id, maria.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(end_meeting(f.store, scheduled.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  const auto started = start_meeting(f.store, pair.id, scheduled.id, tom.id, f.clock.now_ms()).value();
  CHECK(started.status == MeetingStatus::started);
  CHECK(started.presence.size() == 1);
  CHECK(start_meeting(f.store, pair.id, std::nullopt, maria.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(cancel_meeting(f.store, scheduled.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  f.clock.advance_ms(10);
  REQUIRE(join_meeting(f.store, scheduled.id, maria.id, f.clock.now_ms()).is_ok());
  CHECK(join_meeting(f.store, scheduled.id, maria.id, f.clock.now_ms()).value().presence.size() == 2);  // no-op
  f.clock.advance_ms(10);
  const auto ended = end_meeting(f.store, scheduled.id, f.clock.now_ms()).value();
  CHECK(ended.status == MeetingStatus::ended);
  for (const auto& p : ended.presence) CHECK(p.left_at == f.clock.now_ms());
  CHECK(f.store.meetings_of_pair(pair.id).value().size() == 1);
}

TEST_CASE("meetings: making one beyond the pair's quota is refused, by scheduling or starting", "[meetings]") {
  Fixture f(Quotas{.max_meetings_per_pair = 2});
  const auto [ada, programme, maria, tom, pair] = f.programme_with_pair();
  const auto at = f.clock.now_ms() + 1000;
  REQUIRE(schedule_meeting(f.store, pair.id, at, maria.id, f.clock.now_ms()).is_ok());
  REQUIRE(schedule_meeting(f.store, pair.id, at, maria.id, f.clock.now_ms()).is_ok());
  const auto third = schedule_meeting(f.store, pair.id, at, maria.id, f.clock.now_ms());
  CHECK(third.status().code() == ErrorCode::quota_exceeded);
  CHECK(third.status().message() == "this pair already has 2 meetings, the most this server keeps per pair");
  CHECK(start_meeting(f.store, pair.id, std::nullopt, maria.id, f.clock.now_ms()).status().code() ==
        ErrorCode::quota_exceeded);
  CHECK(f.store.meetings_of_pair(pair.id).value().size() == 2);
  CHECK_FALSE(f.store.meeting_under_way(pair.id).value());  // the refused start left nothing behind
}

TEST_CASE("meetings: a step that does not fit the status is a conflict that names both", "[meetings]") {
  Fixture f;
  const auto [ada, programme, maria, tom, pair] = f.programme_with_pair();
  const auto m = schedule_meeting(f.store, pair.id, f.clock.now_ms() + 1000, tom.id, f.clock.now_ms()).value();
  const auto cancelled = cancel_meeting(f.store, m.id, f.clock.now_ms()).value();
  CHECK(cancelled.status == MeetingStatus::cancelled);
  CHECK(cancelled.cancelled_at == f.clock.now_ms());
  const auto late = reschedule_meeting(f.store, m.id, f.clock.now_ms() + 5000, f.clock.now_ms());
  CHECK(late.status().code() == ErrorCode::conflict);
  CHECK(late.status().message() == "meeting " + std::to_string(m.id) + " is cancelled; it must be scheduled");
  CHECK(late.status().field() == "meeting");
  CHECK(f.store.meeting_by_id(m.id).value().scheduled_at == f.clock.now_ms() + 1000);  // unchanged

  const auto other = schedule_meeting(f.store, pair.id, f.clock.now_ms() + 1000, tom.id, f.clock.now_ms()).value();
  const auto moved = reschedule_meeting(f.store, other.id, f.clock.now_ms() + 9000, f.clock.now_ms()).value();
  CHECK(moved.scheduled_at == f.clock.now_ms() + 9000);
  const auto started = start_meeting(f.store, pair.id, std::nullopt, tom.id, f.clock.now_ms()).value();
  const auto busy = start_meeting(f.store, pair.id, other.id, maria.id, f.clock.now_ms());
  CHECK(busy.status().message() ==
        "meeting " + std::to_string(started.id) + " is already under way; join it or end it first");
  CHECK(start_meeting(f.store, pair.id + 1000, other.id, maria.id, f.clock.now_ms()).status().code() ==
        ErrorCode::not_found);
  REQUIRE(leave_meeting(f.store, started.id, tom.id, f.clock.now_ms()).is_ok());
  CHECK(leave_meeting(f.store, started.id, tom.id, f.clock.now_ms()).value().presence.size() == 1);  // no-op
}
