// What only the PostgreSQL store promises beyond the conformance suite: several stores (as
// several servers) on one database agree on sequence numbers, duplicates and quotas, and a
// database that goes away is answered unavailable, then used again once it is back.
#include <algorithm>
#include <numeric>
#include <thread>
#include <vector>

#include "server/store/postgresql/postgres_store.h"
#include "tests/conformance/world.h"
#include "tests/support/postgres_instance.h"

using namespace mentorlink;
using namespace mentorlink::server;
using mentorlink::conformance::refused;
using mentorlink::conformance::written;

namespace {

constexpr TimeMs kNow = 1'800'000'000'000;

EnvelopeRecord envelope(const PairRecord& pair, MemberId sender, int client_id) {
  EnvelopeRecord e;
  e.pair = pair.id;
  e.sender = sender;
  e.recipient = sender == pair.mentor ? pair.mentee : pair.mentor;
  e.client_id = wire::Bytes(16, 0);
  e.client_id[0] = static_cast<std::uint8_t>(client_id & 0xFF);
  e.client_id[1] = static_cast<std::uint8_t>(client_id >> 8);
  e.body = wire::Bytes(24, static_cast<std::uint8_t>(client_id & 0xFF));
  e.sent_at = kNow;
  return e;
}

// A programme with one pair, written through store.
PairRecord make_pair(Store& store) {
  MemberRecord ada{0, conformance::identity_key(1), "Ada", true, kNow};
  MemberRecord maria{0, conformance::identity_key(2), "Maria", false, kNow};
  MemberRecord tom{0, conformance::identity_key(3), "Tom", false, kNow};
  for (auto* m : {&ada, &maria, &tom}) REQUIRE(store.insert_member(*m).value());
  const auto programme = store.insert_programme("Pilot", "Mentoring", ada.id, kNow).value();
  return written(store.insert_pair(programme.id, maria.id, tom.id, ada.id, kNow));
}

}  // namespace

TEST_CASE("postgresql: two stores on one database number one pair's envelopes as one, each once",
          "[postgresql][messages]") {
  const auto url = test::PostgresInstance::shared().fresh_store_url();
  PostgresStore node_a(url, nullptr);
  PostgresStore node_b(url, nullptr);
  const auto pair = make_pair(node_a);

  // Both senders, through both stores at once; every envelope is also retried through the other store.
  constexpr int kPerThread = 40;
  std::vector<std::vector<std::int64_t>> seqs(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      PostgresStore& first = t % 2 == 0 ? node_a : node_b;
      PostgresStore& retry = t % 2 == 0 ? node_b : node_a;
      const MemberId sender = t < 2 ? pair.mentor : pair.mentee;
      for (int i = 0; i < kPerThread; ++i) {
        const auto e = envelope(pair, sender, t * 1000 + i);
        auto stored = first.store_envelope(e);
        auto again = retry.store_envelope(e);
        if (stored.is_ok() && again.is_ok() && std::holds_alternative<StoredEnvelope>(stored.value()) &&
            std::holds_alternative<StoredEnvelope>(again.value())) {
          const auto& a = std::get<StoredEnvelope>(stored.value());
          const auto& b = std::get<StoredEnvelope>(again.value());
          seqs[static_cast<std::size_t>(t)].push_back(a.envelope.seq == b.envelope.seq && !a.duplicate && b.duplicate
                                                          ? a.envelope.seq
                                                          : -1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();

  std::vector<std::int64_t> all;
  for (const auto& s : seqs) {
    CHECK(s.size() == kPerThread);
    all.insert(all.end(), s.begin(), s.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<std::int64_t> expected(all.size());
  std::iota(expected.begin(), expected.end(), 1);
  CHECK(all == expected);  // 1..160, no gap, none twice, no mismatched retry
  const auto to_tom = node_b.pending_envelopes(pair.mentee, 1000).value();
  const auto to_maria = node_a.pending_envelopes(pair.mentor, 1000).value();
  CHECK(to_tom.size() == 2 * kPerThread);
  CHECK(to_maria.size() == 2 * kPerThread);
}

TEST_CASE("postgresql: the backlog quota holds across stores on one database", "[postgresql][quotas]") {
  const auto url = test::PostgresInstance::shared().fresh_store_url();
  Quotas quotas;
  quotas.max_pending_envelopes_per_pair = 10;
  PostgresStore node_a(url, nullptr, quotas);
  PostgresStore node_b(url, nullptr, quotas);
  const auto pair = make_pair(node_a);
  std::vector<int> stored(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      PostgresStore& store = t == 0 ? node_a : node_b;
      for (int i = 0; i < 10; ++i) {
        auto r = store.store_envelope(envelope(pair, pair.mentor, t * 100 + i));
        if (r.is_ok() && std::holds_alternative<StoredEnvelope>(r.value())) ++stored[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(stored[0] + stored[1] == 10);
  CHECK(refused(node_b.store_envelope(envelope(pair, pair.mentor, 999))).rule == Refusal::Rule::recipient_backlog_full);
}

TEST_CASE("postgresql: while the database is down calls answer unavailable; after, they succeed and nothing "
          "acknowledged is lost",
          "[postgresql][unavailable]") {
  test::PostgresInstance own;  // stopped and started by this test alone
  own.sql("CREATE SCHEMA faults");
  const auto url = own.url() + "?options=-csearch_path%3Dfaults";
  PostgresStore store(url, nullptr);
  const auto pair = make_pair(store);
  const auto first = written(store.store_envelope(envelope(pair, pair.mentor, 1)));

  own.stop();
  const auto down = store.store_envelope(envelope(pair, pair.mentor, 2));
  CHECK(down.status().code() == wire::ErrorCode::unavailable);
  CHECK(store.pending_envelopes(pair.mentee, 10).status().code() == wire::ErrorCode::unavailable);
  const auto batch = store.in_one_transaction([&] { (void)store.ack_envelopes(pair.mentee, pair.id, 1, kNow); });
  CHECK(batch.code() == wire::ErrorCode::unavailable);

  own.start();
  const auto pending = store.pending_envelopes(pair.mentee, 10);
  REQUIRE(pending.is_ok());
  REQUIRE(pending.value().size() == 1);  // acknowledged before the stop, not acknowledged by the failed batch
  CHECK(pending.value()[0].seq == first.envelope.seq);
  const auto second = written(store.store_envelope(envelope(pair, pair.mentor, 2)));
  CHECK(second.envelope.seq == 2);  // the failed call took no number
}

TEST_CASE("postgresql: a server with an unreachable database does not start, and says why", "[postgresql]") {
  std::uint16_t port = 0;
  {
    test::PostgresInstance gone;
    port = gone.port();
  }
  CHECK_THROWS_WITH(PostgresStore("postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres", nullptr),
                    Catch::Contains("cannot reach the PostgreSQL store"));
}
