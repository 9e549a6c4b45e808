// Conformance: published keys, and one-time prekeys handed out once.
#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/conformance/world.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::World;
using mentorlink::conformance::written;

TEST_CASE("store conformance: 7: a bundle takes one one-time prekey, once, at most one per interval",
          "[conformance][keys]") {
  Quotas quotas;
  quotas.one_time_prekey_interval_ms = 1000;
  World w(quotas);
  CHECK(w.store().take_bundle(w.maria.id, w.pair.id, w.tom.id, w.now).status().code() == wire::ErrorCode::not_found);
  DeviceKeysRecord keys;
  keys.member = w.maria.id;
  keys.device = 1;
  keys.identity_dh_key.fill(1);
  keys.signed_prekey_id = 7;
  keys.signed_prekey.fill(2);
  keys.updated_at = w.now;
  (void)written(w.store().publish_keys(keys, {{1, {}}, {2, {}}}));
  (void)written(w.store().publish_keys(keys, {{1, {}}, {2, {}}}));  // a retried publish adds nothing
  CHECK(w.store().one_time_prekey_count(w.maria.id, 1).value() == 2);

  const auto first = w.store().take_bundle(w.maria.id, w.pair.id, w.tom.id, w.now).value();
  CHECK(first.keys.identity_key == w.maria.identity_key);
  CHECK(first.keys.signed_prekey_id == 7);
  REQUIRE(first.one_time_prekey);
  CHECK(first.one_time_prekey->id == 1);
  CHECK_FALSE(w.store().take_bundle(w.maria.id, w.pair.id, w.tom.id, w.now + 999).value().one_time_prekey);
  const auto later = w.store().take_bundle(w.maria.id, w.pair.id, w.tom.id, w.now + 1000).value();
  REQUIRE(later.one_time_prekey);
  CHECK(later.one_time_prekey->id == 2);
  CHECK(w.store().one_time_prekey_count(w.maria.id, 1).value() == 0);

  (void)written(w.store().publish_keys(keys, {{1, {}}, {3, {}}}));  // 1 was handed out: never again
  CHECK(w.store().one_time_prekey_count(w.maria.id, 1).value() == 1);
}

TEST_CASE("store conformance: 7: a one-time prekey is never handed out twice, also under concurrent fetches",
          "[conformance][keys]") {
  World w(Quotas{.one_time_prekey_interval_ms = 0});
  DeviceKeysRecord keys;
  keys.member = w.maria.id;
  keys.device = 1;
  std::vector<OneTimePrekeyRecord> prekeys;
  for (std::uint32_t i = 1; i <= 20; ++i) prekeys.push_back({i, {}});
  (void)written(w.store().publish_keys(keys, prekeys));

  std::mutex mutex;
  std::vector<std::uint32_t> handed_out;
  int without = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        auto b = w.store().take_bundle(w.maria.id, w.pair.id, w.tom.id, w.now);
        std::lock_guard lock(mutex);
        if (!b.is_ok()) continue;  // counted below: every fetch must be answered
        if (b.value().one_time_prekey) {
          handed_out.push_back(b.value().one_time_prekey->id);
        } else {
          ++without;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(handed_out.begin(), handed_out.end());
  CHECK(handed_out.size() == 20);
  CHECK(std::adjacent_find(handed_out.begin(), handed_out.end()) == handed_out.end());
  CHECK(without == 12);
  CHECK(w.store().one_time_prekey_count(w.maria.id, 1).value() == 0);
}
