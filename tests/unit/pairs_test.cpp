// Forming and ending pairs (server/core/pairs.h), over a real store.
#include <catch2/catch.hpp>

#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "tests/support/store_fixture.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::test::key;
using Fixture = mentorlink::test::StoreFixture;
using wire::ErrorCode;

TEST_CASE("pairs: one active pair per mentor and mentee, ending twice is a conflict", "[pairs]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = create_programme(f.store, "Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");

  auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms());
  REQUIRE(pair.is_ok());
  CHECK(create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).status().code() ==
        ErrorCode::conflict);
  // The other way round is a different pair: Tom may mentor Maria in something else.
  CHECK(create_pair(f.store, programme.id, tom.id, maria.id, ada.id, f.clock.now_ms()).is_ok());

  f.clock.advance_days(30);
  auto ended = end_pair(f.store, pair.value().id, tom.id, f.clock.now_ms());
  REQUIRE(ended.is_ok());
  CHECK(ended.value().ended_at == f.clock.now_ms());
  CHECK(ended.value().ended_by == tom.id);
  CHECK(end_pair(f.store, pair.value().id, tom.id, f.clock.now_ms()).status().code() == ErrorCode::conflict);
  CHECK(end_pair(f.store, 999, tom.id, f.clock.now_ms()).status().code() == ErrorCode::not_found);
  // Once ended, the same two may be paired again.
  CHECK(create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).is_ok());
}
