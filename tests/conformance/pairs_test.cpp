// Conformance: pairs.
#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::refused;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

TEST_CASE("store conformance: one active pair per mentor and mentee; a pair ends once", "[conformance][pairs]") {
  World w;
  CHECK(w.pair.active());
  CHECK(w.pair.mentor == w.maria.id);
  CHECK(w.pair.formed_by == w.ada.id);
  CHECK(refused(w.store().insert_pair(w.programme.id, w.maria.id, w.tom.id, w.ada.id, w.now)).rule ==
        Refusal::Rule::pair_exists);
  const auto reversed = written(w.store().insert_pair(w.programme.id, w.tom.id, w.maria.id, w.ada.id, w.now));
  CHECK(reversed.id != w.pair.id);

  CHECK(w.store().mark_pair_ended(w.pair.id, w.tom.id, w.now + 1).value());
  CHECK_FALSE(w.store().mark_pair_ended(w.pair.id, w.maria.id, w.now + 2).value());
  const auto ended = w.store().pair_by_id(w.pair.id).value();
  CHECK(ended.ended_at == w.now + 1);
  CHECK(ended.ended_by == w.tom.id);
  CHECK_FALSE(ended.active());
  const auto again = written(w.store().insert_pair(w.programme.id, w.maria.id, w.tom.id, w.ada.id, w.now + 3));
  CHECK(again.id != w.pair.id);
  CHECK(w.store().pair_by_id(again.id + 1000).status().code() == wire::ErrorCode::not_found);
}

TEST_CASE("store conformance: pairs by programme and by member", "[conformance][pairs]") {
  World w;
  const auto lena = w.enrol(4, "Lena");
  const auto second = w.pair_of(lena, w.tom);
  const auto all = w.store().pairs_in(w.programme.id).value();
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == w.pair.id);  // by id
  CHECK(all[1].id == second.id);
  CHECK(w.store().active_pairs_of_member(w.tom.id).value().size() == 2);
  REQUIRE(w.store().mark_pair_ended(w.pair.id, w.tom.id, w.now).value());
  const auto active = w.store().active_pairs_of_member(w.tom.id).value();
  REQUIRE(active.size() == 1);
  CHECK(active[0].id == second.id);
  CHECK(w.store().pairs_in(w.programme.id + 1000).value().empty());
}
