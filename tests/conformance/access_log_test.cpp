// Conformance: each pair's access log as stored (the chain is the domain's: server/core/access_chain.h).
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;

namespace {

AccessRecord entry(PairId pair, std::int64_t seq, MemberId coordinator, TimeMs at, std::string what) {
  AccessRecord e{pair, seq, coordinator, at, std::move(what), "pair,status", {}, {}};
  e.previous.fill(static_cast<std::uint8_t>(seq - 1));
  e.hash.fill(static_cast<std::uint8_t>(seq));
  return e;
}

}  // namespace

TEST_CASE("store conformance: access entries are kept as given, per pair, by seq", "[conformance][access-log]") {
  World w;
  const auto lena = w.enrol(4, "Lena");
  const auto other = w.pair_of(lena, w.tom);
  CHECK_FALSE(w.store().last_access(w.pair.id).value());
  REQUIRE(w.store().insert_access(entry(w.pair.id, 1, w.ada.id, w.now, "report")).is_ok());
  REQUIRE(w.store().insert_access(entry(other.id, 1, w.ada.id, w.now, "report")).is_ok());
  REQUIRE(w.store().insert_access(entry(w.pair.id, 2, w.ada.id, w.now + 10, "pair.list")).is_ok());
  REQUIRE(w.store().insert_access(entry(w.pair.id, 3, w.ada.id, w.now + 20, "event:meeting.ended")).is_ok());
  CHECK_FALSE(w.store().insert_access(entry(w.pair.id, 3, w.ada.id, w.now + 30, "again")).is_ok());  // seq taken

  const auto last = w.store().last_access(w.pair.id).value();
  REQUIRE(last);
  CHECK(last->seq == 3);
  CHECK(last->hash == entry(w.pair.id, 3, w.ada.id, 0, "").hash);
  const auto log = w.store().access_log(w.pair.id, 1, 10).value();
  REQUIRE(log.size() == 3);
  CHECK(log[0].what == "report");
  CHECK(log[1].at == w.now + 10);
  CHECK(log[2].what == "event:meeting.ended");
  CHECK(log[2].fields == "pair,status");
  CHECK(log[2].previous == entry(w.pair.id, 3, w.ada.id, 0, "").previous);
  CHECK(log[1].coordinator == w.ada.id);
  const auto from_two = w.store().access_log(w.pair.id, 2, 1).value();
  REQUIRE(from_two.size() == 1);
  CHECK(from_two[0].seq == 2);
  CHECK(w.store().access_log(other.id, 1, 10).value().size() == 1);
}

TEST_CASE("store conformance: a coordinator's own entries in a programme, newest first", "[conformance][access-log]") {
  World w;
  MemberRecord bea;
  bea.identity_key = conformance::identity_key(5);
  bea.display_name = "Bea";
  bea.created_at = w.now;
  REQUIRE(w.store().insert_member(bea).value());
  auto elsewhere = w.store().insert_programme("Other", "", bea.id, w.now).value();
  const auto x = w.enrol(6, "X");
  REQUIRE(w.store().insert_enrolment(EnrolmentRecord{elsewhere.id, x.id, {}, ProgrammeRole::participant, w.now}).is_ok());
  REQUIRE(w.store().insert_enrolment(EnrolmentRecord{elsewhere.id, w.tom.id, {}, ProgrammeRole::participant, w.now}).is_ok());
  const auto other_programme_pair =
      conformance::written(w.store().insert_pair(elsewhere.id, x.id, w.tom.id, bea.id, w.now));

  REQUIRE(w.store().insert_access(entry(w.pair.id, 1, w.ada.id, w.now + 1, "report")).is_ok());
  REQUIRE(w.store().insert_access(entry(w.pair.id, 2, w.ada.id, w.now + 3, "pair.list")).is_ok());
  REQUIRE(w.store().insert_access(entry(w.pair.id, 3, bea.id, w.now + 2, "report")).is_ok());
  REQUIRE(w.store().insert_access(entry(other_programme_pair.id, 1, w.ada.id, w.now + 4, "report")).is_ok());
  const auto mine = w.store().access_entries_by(w.ada.id, w.programme.id, 10).value();
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].at == w.now + 3);
  CHECK(mine[1].at == w.now + 1);
  CHECK(w.store().access_entries_by(w.ada.id, w.programme.id, 1).value().size() == 1);
}
