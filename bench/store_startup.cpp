// How long the server's store takes to open with many stored envelopes (the target: at most a few
// seconds at 1,000,000). Fills a data folder directly through SqliteStore, as the server would
// have: 100 pairs taking turns, in group-committed batches, every envelope acknowledged but the
// newest ones; then closes the store and times opening it again (migration check and the scan
// that rebuilds the message index). Prints one line.
//
//   build/release/bin/mentorlink-store-startup [--envelopes N] [--pairs P] [--pending-per-pair K] [--data DIR]
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "server/core/refusals.h"
#include "server/store/sqlite/sqlite_store.h"

namespace {

using namespace mentorlink;
using namespace mentorlink::server;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kBatch = 5000;        // envelopes per group commit while filling
constexpr std::size_t kBodyBytes = 64;       // the relay benchmark's small payload
constexpr TimeMs kStart = 1'790'000'000'000;  // a fixed clock: the figure must not depend on the date

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "store-startup: %s failed\n", what);
    std::exit(1);
  }
}

struct Filled {
  std::vector<PairRecord> pairs;
};

Filled fill(const std::string& dir, std::int64_t envelopes, int pair_count, std::int64_t pending_per_pair) {
  Quotas quotas;
  quotas.max_pending_envelopes_per_pair = envelopes;
  SqliteStore store(dir, nullptr, Durability::unsafe_no_sync, quotas);
  Filled out;
  MemberRecord coordinator;
  coordinator.identity_key.fill(0xff);
  coordinator.display_name = "Coordinator";
  coordinator.may_create_programmes = true;
  coordinator.created_at = kStart;
  require(store.insert_member(coordinator).is_ok(), "insert_member");
  const auto programme = store.insert_programme("Bench", "Start-up", coordinator.id, kStart);
  require(programme.is_ok(), "insert_programme");
  std::vector<MemberRecord> members;
  for (int i = 0; i < 2 * pair_count; ++i) {
    MemberRecord m;
    m.identity_key.fill(0);
    m.identity_key[0] = static_cast<std::uint8_t>(i & 0xff);
    m.identity_key[1] = static_cast<std::uint8_t>(i >> 8);
    m.identity_key[2] = 1;
    m.display_name = "Member " + std::to_string(i);
    m.created_at = kStart;
    require(store.insert_member(m).is_ok(), "insert_member");
    members.push_back(m);
  }
  for (std::size_t p = 0; p < static_cast<std::size_t>(pair_count); ++p) {
    auto pair = accepted(store.insert_pair(programme.value().id, members[2 * p].id, members[2 * p + 1].id,
                                           coordinator.id, kStart));
    require(pair.is_ok(), "insert_pair");
    out.pairs.push_back(pair.value());
  }

  const std::int64_t per_pair = envelopes / pair_count;
  std::vector<std::int64_t> acked(out.pairs.size(), 0);
  for (std::int64_t done = 0; done < envelopes;) {
    const std::int64_t upto = std::min(envelopes, done + kBatch);
    const auto status = store.in_one_transaction([&] {
      for (; done < upto; ++done) {
        const auto& pair = out.pairs[static_cast<std::size_t>(done % pair_count)];
        EnvelopeRecord e;
        e.pair = pair.id;
        e.sender = pair.mentor;
        e.recipient = pair.mentee;
        e.client_id.resize(16);
        for (int b = 0; b < 8; ++b) e.client_id[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(done >> (8 * b));
        e.body.assign(kBodyBytes, static_cast<std::uint8_t>(done));
        e.sent_at = kStart + done / 10;
        const auto stored = accepted(store.store_envelope(e));
        require(stored.is_ok(), "store_envelope");
      }
      // The recipients acknowledge all but their newest pending_per_pair envelopes.
      const std::int64_t sent_per_pair = upto / pair_count;
      const std::int64_t up_to = std::min(sent_per_pair, per_pair - pending_per_pair);
      for (std::size_t p = 0; p < out.pairs.size(); ++p) {
        if (up_to > acked[p]) {
          require(store.ack_envelopes(out.pairs[p].mentee, out.pairs[p].id, up_to, kStart).is_ok(), "ack_envelopes");
          acked[p] = up_to;
        }
      }
    });
    require(status.is_ok(), "in_one_transaction");
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times opening a store holding many envelopes"};
  std::int64_t envelopes = 1'000'000;
  int pairs = 100;
  std::int64_t pending_per_pair = 100;
  std::string dir;
  app.add_option("--envelopes", envelopes, "envelopes to store")->check(CLI::Range(1, 100'000'000));
  app.add_option("--pairs", pairs, "pairs sending them")->check(CLI::Range(1, 10'000));
  app.add_option("--pending-per-pair", pending_per_pair, "envelopes left unacknowledged in each pair")
      ->check(CLI::Range(0, 1'000'000));
  app.add_option("--data", dir, "data folder to fill (must not exist; default: a temporary one, removed after)");
  CLI11_PARSE(app, argc, argv);
  const bool temporary = dir.empty();
  if (temporary) dir = (std::filesystem::temp_directory_path() / ("mentorlink-store-startup-" + std::to_string(::getpid()))).string();
  if (std::filesystem::exists(dir)) {
    std::fprintf(stderr, "store-startup: %s exists; name a new folder\n", dir.c_str());
    return 1;
  }

  const auto fill_start = Clock::now();
  (void)fill(dir, envelopes, pairs, pending_per_pair);
  const double fill_s = seconds_since(fill_start);
  std::uintmax_t db_bytes = 0;
  for (const auto* suffix : {"", "-wal"}) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(SqliteStore::database_path(dir) + suffix, ec);
    if (!ec) db_bytes += n;
  }

  const long rss_before = rss_kib();
  const auto open_start = Clock::now();
  double open_s = 0;
  long rss_after = 0;
  {
    SqliteStore store(dir, nullptr);
    open_s = seconds_since(open_start);
    rss_after = rss_kib();
    const auto pending = store.pending_envelopes(pairs > 0 ? 3 : 0, 1);  // member 3: the first pair's mentee
    require(pending.is_ok(), "pending_envelopes");
  }
  std::printf("store start-up: %lld envelopes (%lld pending) in %d pairs, database %.1f MiB: opened in %.2f s "
              "(filled in %.1f s); memory for the message index about %.1f MiB\n",
              static_cast<long long>(envelopes), static_cast<long long>(pending_per_pair) * pairs, pairs,
              static_cast<double>(db_bytes) / (1024.0 * 1024.0), open_s, fill_s,
              static_cast<double>(rss_after - rss_before) / 1024.0);
  if (temporary) std::filesystem::remove_all(dir);
  return 0;
}
