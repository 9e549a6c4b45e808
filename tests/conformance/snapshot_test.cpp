// Conformance: a programme's snapshot is what the separate reads return, in one call.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

TEST_CASE("store conformance: a programme snapshot equals the separate reads", "[conformance][snapshot]") {
  World w;
  const auto lena = w.enrol(4, "Lena");
  const auto second = w.pair_of(lena, w.tom);
  REQUIRE(w.store().mark_pair_ended(second.id, w.ada.id, w.now).value());
  MeetingRecord m;
  m.pair = w.pair.id;
  m.status = MeetingStatus::started;
  m.started_at = w.now;
  m.created_by = w.tom.id;
  m.created_at = w.now;
  m.updated_at = w.now;
  const MeetingId meeting = written(w.store().insert_meeting(m));
  REQUIRE(w.store().open_presence(meeting, w.tom.id, w.now).is_ok());
  DocumentRecord contract;
  contract.pair = w.pair.id;
  contract.kind = wire::DocumentKind::contract;
  contract.created_by = w.tom.id;
  const auto doc = written(w.store().open_document(contract, w.now, 10));
  EnvelopeRecord e;
  e.pair = w.pair.id;
  e.sender = w.maria.id;
  e.recipient = w.tom.id;
  e.body = wire::Bytes{1};
  for (std::uint8_t i = 0; i < 3; ++i) {
    e.client_id = wire::Bytes(16, i);
    e.sent_at = w.now + i * 10;
    (void)written(w.store().store_envelope(e));
  }

  const auto snapshot = w.store().programme_snapshot(w.programme.id, w.now + 10);
  REQUIRE(snapshot.is_ok());
  const auto& s = snapshot.value();
  CHECK(s.programme.name == w.programme.name);
  CHECK(s.enrolments.size() == w.store().enrolments_in(w.programme.id).value().size());
  REQUIRE(s.pairs.size() == 2);
  CHECK(s.pairs[0].pair.id == w.pair.id);
  CHECK(s.pairs[1].pair.id == second.id);
  CHECK_FALSE(s.pairs[1].pair.active());
  REQUIRE(s.pairs[0].meetings.size() == 1);
  CHECK(s.pairs[0].meetings[0].id == meeting);
  CHECK(s.pairs[0].meetings[0].presence.size() == 1);
  CHECK(s.pairs[0].contract.document == doc.id);
  CHECK(s.pairs[0].messages == 2);  // sent at or after messages_since
  CHECK(s.pairs[1].messages == 0);
  CHECK_FALSE(s.pairs[1].contract.document);
  CHECK(w.store().programme_snapshot(w.programme.id + 1000, 0).status().code() == wire::ErrorCode::not_found);
}
