// Each pair's access log chain (server/core/access_chain.h), over a real store.
#include <catch2/catch.hpp>

#include "protocol/wire/access_log.h"
#include "server/core/access_chain.h"
#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "tests/support/store_fixture.h"

using namespace mentorlink;
using namespace mentorlink::server;
using Fixture = mentorlink::test::StoreFixture;

namespace {

AccessRecord read_of(PairId pair, MemberId coordinator, TimeMs at, std::string what) {
  return AccessRecord{pair, 0, coordinator, at, std::move(what), "pair,status", {}, {}};
}

wire::Hash expected_hash(const AccessRecord& e) {
  return wire::access_entry_hash({static_cast<std::uint64_t>(e.pair), static_cast<std::uint64_t>(e.seq),
                                  static_cast<std::uint64_t>(e.coordinator), e.at, e.what, e.fields, e.previous});
}

}  // namespace

TEST_CASE("access chain: entries number from 1 per pair, each hashed over the one before", "[access-log]") {
  Fixture f;
  const auto ada = f.enrol_bootstrap(1);
  const auto programme = create_programme(f.store, "Grads", "", ada.id, f.clock.now_ms(), std::nullopt).value();
  const auto maria = f.enrol_participant(programme.id, 2, "Maria");
  const auto tom = f.enrol_participant(programme.id, 3, "Tom");
  const auto lena = f.enrol_participant(programme.id, 4, "Lena");
  const auto pair = create_pair(f.store, programme.id, maria.id, tom.id, ada.id, f.clock.now_ms()).value();
  const auto other = create_pair(f.store, programme.id, lena.id, tom.id, ada.id, f.clock.now_ms()).value();
  const TimeMs now = f.clock.now_ms();

  std::vector<AccessRecord> first{read_of(pair.id, ada.id, now, "report"), read_of(other.id, ada.id, now, "report")};
  REQUIRE(append_access(f.store, first).is_ok());
  CHECK(first[0].seq == 1);
  CHECK(first[1].seq == 1);
  CHECK(first[0].previous == wire::Hash{});
  CHECK(first[0].hash == expected_hash(first[0]));

  std::vector<AccessRecord> second{read_of(pair.id, ada.id, now + 10, "pair.list"),
                                   read_of(pair.id, ada.id, now + 20, "event:meeting.ended")};
  REQUIRE(append_access(f.store, second).is_ok());
  CHECK(second[0].seq == 2);
  CHECK(second[0].previous == first[0].hash);
  CHECK(second[1].seq == 3);
  CHECK(second[1].previous == second[0].hash);
  CHECK(second[1].hash == expected_hash(second[1]));
  const auto log = f.store.access_log(pair.id, 1, 10).value();
  REQUIRE(log.size() == 3);
  CHECK(log[2].hash == second[1].hash);

  // All or nothing: an entry for a pair that does not exist fails the whole append.
  std::vector<AccessRecord> broken{read_of(pair.id, ada.id, now + 30, "report"),
                                   read_of(other.id + 1000, ada.id, now + 30, "report")};
  CHECK_FALSE(append_access(f.store, broken).is_ok());
  CHECK(f.store.access_log(pair.id, 1, 10).value().size() == 3);
}
