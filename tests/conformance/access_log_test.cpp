// Conformance: each pair's hash-chained access log.
#include "protocol/wire/access_log.h"
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;

namespace {

AccessRecord read_of(PairId pair, MemberId coordinator, TimeMs at, std::string what) {
  return AccessRecord{pair, 0, coordinator, at, std::move(what), "pair,status", {}, {}};
}

wire::Hash expected_hash(const AccessRecord& e) {
  return wire::access_entry_hash({static_cast<std::uint64_t>(e.pair), static_cast<std::uint64_t>(e.seq),
                                  static_cast<std::uint64_t>(e.coordinator), e.at, e.what, e.fields, e.previous});
}

}  // namespace

TEST_CASE("store conformance: access entries chain per pair, from 1", "[conformance][access-log]") {
  World w;
  const auto lena = w.enrol(4, "Lena");
  const auto other = w.pair_of(lena, w.tom);
  std::vector<AccessRecord> first{read_of(w.pair.id, w.ada.id, w.now, "report"),
                                  read_of(other.id, w.ada.id, w.now, "report")};
  REQUIRE(w.store().append_access(first).is_ok());
  CHECK(first[0].seq == 1);
  CHECK(first[1].seq == 1);
  CHECK(first[0].previous == wire::Hash{});
  CHECK(first[0].hash == expected_hash(first[0]));

  std::vector<AccessRecord> second{read_of(w.pair.id, w.ada.id, w.now + 10, "pair.list"),
                                   read_of(w.pair.id, w.ada.id, w.now + 20, "event:meeting.ended")};
  REQUIRE(w.store().append_access(second).is_ok());
  CHECK(second[0].seq == 2);
  CHECK(second[0].previous == first[0].hash);
  CHECK(second[1].seq == 3);
  CHECK(second[1].previous == second[0].hash);
  CHECK(second[1].hash == expected_hash(second[1]));

  const auto log = w.store().access_log(w.pair.id, 1, 10).value();
  REQUIRE(log.size() == 3);
  CHECK(log[0].what == "report");
  CHECK(log[2].what == "event:meeting.ended");
  CHECK(log[2].fields == "pair,status");
  CHECK(log[2].hash == second[1].hash);
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
  auto elsewhere = w.store().create_programme("Other", "", bea.id, w.now, std::nullopt).value();
  const auto x = w.enrol(6, "X");
  REQUIRE(w.store().insert_enrolment(EnrolmentRecord{elsewhere.id, x.id, {}, ProgrammeRole::participant, w.now}).is_ok());
  REQUIRE(w.store().insert_enrolment(EnrolmentRecord{elsewhere.id, w.tom.id, {}, ProgrammeRole::participant, w.now}).is_ok());
  const auto other_programme_pair =
      conformance::written(w.store().insert_pair(elsewhere.id, x.id, w.tom.id, bea.id, w.now));

  std::vector<AccessRecord> entries{read_of(w.pair.id, w.ada.id, w.now + 1, "report"),
                                    read_of(w.pair.id, w.ada.id, w.now + 3, "pair.list"),
                                    read_of(w.pair.id, bea.id, w.now + 2, "report"),
                                    read_of(other_programme_pair.id, w.ada.id, w.now + 4, "report")};
  REQUIRE(w.store().append_access(entries).is_ok());
  const auto mine = w.store().access_entries_by(w.ada.id, w.programme.id, 10).value();
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].at == w.now + 3);
  CHECK(mine[1].at == w.now + 1);
  CHECK(w.store().access_entries_by(w.ada.id, w.programme.id, 1).value().size() == 1);
}
