// The coordinator report (server/api/report_builder.h) reads a programme in one store call, so its
// rows and totals come from one consistent read whatever the number of pairs, and logs each pair's
// read before it returns.
#include <catch2/catch.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "server/api/report_builder.h"
#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "server/services/invites.h"
#include "server/store/store_observer.h"
#include "tests/support/store_fixture.h"

using namespace mentorlink;
using namespace mentorlink::server;

namespace {

struct RecordingObserver final : StoreObserver {
  std::mutex mutex;
  std::vector<std::string> calls;
  void store_call(std::string_view operation, double /*seconds*/, bool /*failed*/) override {
    std::lock_guard lock(mutex);
    calls.emplace_back(operation);
  }
};

}  // namespace

TEST_CASE("report: one snapshot call and one access-log write, whatever the number of pairs", "[report]") {
  test::TempDir dir;
  test::FakeClock clock;
  RecordingObserver observer;
  SqliteStore store{dir.path().string(), &observer};
  Metrics metrics;
  Hub hub;
  Limits limits;
  AddressLimiter address_limiter{limits.max_connections_per_address, limits.auth_attempts_per_address_per_minute};
  ServerContext context{store, clock, hub, metrics, limits, address_limiter};

  auto member = [&](std::optional<ProgrammeId> in, const std::string& name, std::uint8_t key) {
    const auto issued = in ? issue_invite(store, clock, in, ProgrammeRole::participant, name, std::nullopt, 7)
                           : issue_bootstrap_invite(store, clock, name, 7);
    return redeem_invite(store, issued.value().record.code_hash, test::key(key), clock.now_ms()).value().member.id;
  };
  const MemberId ada = member(std::nullopt, "Ada", 1);
  const ProgrammeId programme = create_programme(store, "Grads", "", ada, clock.now_ms(), std::nullopt).value().id;
  std::vector<PairId> pairs;
  for (std::uint8_t i = 0; i < 4; ++i) {
    const auto mentor = member(programme, "Mentor " + std::to_string(i), static_cast<std::uint8_t>(10 + i));
    const auto mentee = member(programme, "Mentee " + std::to_string(i), static_cast<std::uint8_t>(20 + i));
    pairs.push_back(create_pair(store, programme, mentor, mentee, ada, clock.now_ms()).value().id);
  }

  observer.calls.clear();
  const auto report = api::programme_report(context, ada, programme, std::nullopt, "report");
  REQUIRE(report.is_ok());
  // One read of the programme; everything after it is the access-log append (one transaction).
  REQUIRE_FALSE(observer.calls.empty());
  CHECK(observer.calls.front() == "programme_snapshot");
  for (std::size_t i = 1; i < observer.calls.size(); ++i) {
    const auto& call = observer.calls[i];
    CHECK((call == "last_access" || call == "insert_access" || call == "all_or_nothing"));
  }
  CHECK(observer.calls.back() == "all_or_nothing");
  CHECK(report.value().pairs.size() == 4);
  CHECK(report.value().totals.active_pairs == 4);
  CHECK(report.value().totals.participants == 8);
  for (const PairId pair : pairs) {
    const auto log = store.access_log(pair, 1, 10).value();
    REQUIRE(log.size() == 1);
    CHECK(log[0].coordinator == ada);
    CHECK(log[0].what == "report");
  }
  CHECK(api::programme_report(context, ada, programme + 1000, std::nullopt, "report").status().code() ==
        wire::ErrorCode::not_found);
}
