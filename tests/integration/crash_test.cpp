// SECURITY.md 20: kill -9 at random moments while a client sends, restart, and check that every
// acknowledged message is there exactly once and that the client resumes by itself.
// Cycles: $MENTORLINK_CRASH_CYCLES, default 20 (what CI runs). The long run:
//   MENTORLINK_CRASH_CYCLES=100 build/debug/bin/mentorlink_integration_tests "[crash]" -s
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include "client-cli/lib/documents.h"
#include "protocol/device/document_chain.h"
#include "protocol/device/document_cipher.h"
#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/envelopes.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;

namespace {

int cycles_from_environment() {
  const char* v = std::getenv("MENTORLINK_CRASH_CYCLES");
  const int n = v != nullptr ? std::atoi(v) : 20;
  return n > 0 ? n : 20;
}

// One kill -9 cycle as its client threads report it: acknowledgements counted under one lock,
// and the moment to kill (kill_after acknowledgements, or a client that stopped before that).
class KillCycle {
 public:
  explicit KillCycle(int kill_after) : kill_after_(kill_after) {}

  // Runs record under the cycle's lock and counts one acknowledgement.
  template <class Record>
  void acknowledged(Record&& record) {
    {
      std::lock_guard lock(mutex_);
      record();
      ++acknowledged_;
    }
    progress_.notify_all();
  }
  // A client thread stopped: the server refused or died under it.
  void stopped(std::string reason) {
    {
      std::lock_guard lock(mutex_);
      if (stopped_ == 0) reason_ = std::move(reason);
      ++stopped_;
    }
    progress_.notify_all();
  }
  // Blocks until kill_after acknowledgements or a stop; the reason of the first stop, if any.
  std::optional<std::string> wait_for_kill_moment() {
    std::unique_lock lock(mutex_);
    progress_.wait(lock, [&] { return acknowledged_ >= kill_after_ || stopped_ > 0; });
    if (stopped_ > 0) return reason_;
    return std::nullopt;
  }
  // For data the client threads share besides the counts.
  std::unique_lock<std::mutex> lock() { return std::unique_lock(mutex_); }

 private:
  const int kill_after_;
  std::mutex mutex_;
  std::condition_variable progress_;
  int acknowledged_ = 0;
  int stopped_ = 0;
  std::string reason_;
};

}  // namespace

TEST_CASE("20: kill -9 under load, restart: every acknowledged message exactly once", "[crash][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  const int cycles = cycles_from_environment();
  std::mt19937 rng(20261127);

  // Tom's device publishes its keys first, so Maria can start a session while he is away.
  auto tom_connection = login(server, f.mentee_key);
  client::DeviceState tom_state;
  REQUIRE(client::Messenger(*tom_connection, f.mentee_key, tom_state, [] { return wire::Status::ok(); })
              .prepare_device(client::device_now_ms())
              .is_ok());
  tom_connection->close();

  client::DeviceState maria_state;
  std::unique_ptr<client::Connection> connection;
  std::unique_ptr<client::Messenger> maria;
  auto reconnect = [&] {
    connection = login(server, f.mentor_key);
    maria = std::make_unique<client::Messenger>(*connection, f.mentor_key, maria_state, [] { return wire::Status::ok(); });
    REQUIRE(maria->prepare_device(client::device_now_ms()).is_ok());
  };
  reconnect();

  std::map<std::string, std::int64_t> acknowledged;  // text → seq
  int sent_total = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    KillCycle kill(std::uniform_int_distribution<int>(1, 15)(rng));
    std::thread sender([&] {
      for (int i = 0;; ++i) {
        const std::string text = "c" + std::to_string(cycle) + "-" + std::to_string(i);
        ++sent_total;
        auto r = maria->send_text(f.pair, text);
        if (!r.is_ok()) {  // the server died under us; the message stays saved
          kill.stopped(r.status().message());
          break;
        }
        kill.acknowledged([&] { acknowledged.emplace(text, r.value().seq); });
      }
    });
    {
      const auto early_stop = kill.wait_for_kill_moment();
      INFO(early_stop.value_or(""));
      REQUIRE_FALSE(early_stop);  // before the kill, every send must succeed
    }
    REQUIRE(server.stop(SIGKILL) == 128 + SIGKILL);
    sender.join();
    server.start();
    reconnect();
    auto resumed = maria->sync();  // the client sends what it had saved, by itself
    REQUIRE(resumed.is_ok());
    for (const auto& s : resumed.value().resent) {
      const auto& history = maria_state.pairs[f.pair].history;
      for (const auto& h : history) {
        if (h.seq == s.seq) acknowledged.emplace(h.text, s.seq);
      }
    }
  }

  tom_connection = login(server, f.mentee_key);
  client::Messenger tom(*tom_connection, f.mentee_key, tom_state, [] { return wire::Status::ok(); });
  REQUIRE(tom.prepare_device(client::device_now_ms()).is_ok());
  auto received = tom.sync();
  REQUIRE(received.is_ok());
  CHECK(received.value().problems.empty());

  std::map<std::string, int> times;
  for (const auto& m : received.value().received) ++times[m.text];
  for (const auto& [text, seq] : acknowledged) {
    INFO(text << " (seq " << seq << ")");
    CHECK(times[text] == 1);
  }
  for (const auto& [text, n] : times) {
    INFO(text);
    CHECK(n == 1);
  }
  CHECK(received.value().received.size() == acknowledged.size());
  const auto& counters = tom_state.pairs[f.pair].received;  // authenticated: none missing, none twice
  CHECK(counters.highest() == received.value().received.size());
  CHECK(counters.missing_between(0, counters.highest() + 1) == 0);
  std::cout << "crash test: " << cycles << " kill -9 cycles, " << sent_total << " sends attempted, "
            << acknowledged.size() << " messages acknowledged, all received exactly once\n";
}

TEST_CASE("20: kill -9 while a document is written, restart: every acknowledged version is there, once, in one chain",
          "[crash][documents][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  const int cycles = std::max(1, cycles_from_environment() / 2);
  std::mt19937 rng(20261128);

  struct Device {
    client::DeviceState state;
    std::unique_ptr<client::Connection> connection;
    std::unique_ptr<client::Messenger> messenger;
    std::unique_ptr<client::DocumentBook> book;
    void connect(ServerProcess& s, const device::IdentityKeyPair& id) {
      connection = login(s, id);
      auto persist = [] { return wire::Status::ok(); };
      messenger = std::make_unique<client::Messenger>(*connection, id, state, persist);
      REQUIRE(messenger->prepare_device(client::device_now_ms()).is_ok());
      auto me = ok(*connection, "whoami").at("member").at("id").as_int64();
      book = std::make_unique<client::DocumentBook>(*connection, id, me, state, *messenger, persist);
    }
  };
  Device tom;
  tom.connect(server, f.mentee_key);  // publishes Tom's keys so Maria can share the document key
  tom.connection->close();
  Device maria;
  maria.connect(server, f.mentor_key);
  auto opened = maria.book->open({f.pair, wire::DocumentKind::goals, std::nullopt});
  REQUIRE(opened.is_ok());
  const auto info = opened.value();

  std::map<std::uint32_t, wire::Hash> acknowledged;  // version → hash
  for (int cycle = 0; cycle < cycles; ++cycle) {
    KillCycle kill(std::uniform_int_distribution<int>(1, 8)(rng));
    std::thread writer([&] {
      for (int i = 0;; ++i) {
        auto current = maria.book->read(info);
        if (!current.is_ok()) {
          kill.stopped(current.status().message());
          break;
        }
        auto r = maria.book->write(info, current.value().version, "goal list " + std::to_string(cycle) + "." + std::to_string(i));
        if (!r.is_ok()) {
          kill.stopped(r.status().message());
          break;
        }
        kill.acknowledged([&] { acknowledged.emplace(r.value().version, r.value().hash); });
      }
    });
    {
      const auto early_stop = kill.wait_for_kill_moment();
      INFO(early_stop.value_or(""));
      REQUIRE_FALSE(early_stop);
    }
    REQUIRE(server.stop(SIGKILL) == 128 + SIGKILL);
    writer.join();
    server.start();
    maria.connect(server, f.mentor_key);  // its head survives in memory, as on disk
    auto resumed = maria.messenger->sync();
    REQUIRE(resumed.is_ok());
  }

  // Tom reads the whole history from version 1 and checks it against every acknowledgement.
  tom.connect(server, f.mentee_key);
  REQUIRE(tom.messenger->sync().is_ok());
  auto final_text = tom.book->read(info);
  INFO((final_text.is_ok() ? std::string() : final_text.status().message()));
  REQUIRE(final_text.is_ok());
  const auto versions = ok(*tom.connection, "document.get", boost::json::object{{"document", info.id}})
                            .at("versions").as_array();
  std::map<std::uint32_t, wire::Hash> stored;
  for (const auto& v : versions) {
    const auto body = wire::base64url_decode(v.at("body").as_string());
    REQUIRE(body);
    REQUIRE(stored.emplace(v.at("version").to_number<std::uint32_t>(), wire::document_version_hash(*body)).second);
  }
  REQUIRE_FALSE(acknowledged.empty());
  for (const auto& [version, hash] : acknowledged) {
    INFO("version " << version);
    REQUIRE(stored.count(version) == 1);
    CHECK(stored.at(version) == hash);
  }
  CHECK(final_text.value().version == stored.rbegin()->first);
  CHECK(stored.rbegin()->first >= acknowledged.rbegin()->first);
  std::cout << "document crash test: " << cycles << " kill -9 cycles, " << acknowledged.size()
            << " versions acknowledged, all present once in one verified chain of " << stored.size() << "\n";
}

TEST_CASE("20: kill -9 while document versions are group-committed in batches: every acknowledged version is there, "
          "each chain verifies",
          "[crash][documents][batch][sqlite]") {
  namespace msg = wire::messages;
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  const int cycles = std::max(1, cycles_from_environment() / 2);
  std::mt19937 rng(20261203);
  const auto key = device::new_document_key(device::system_random());

  // One writer per document, each on its own connection, all at once: their versions share commits.
  struct Writer {
    msg::DocumentView document;
    wire::DocumentIdentity identity;
    std::unique_ptr<client::Connection> connection;
    std::uint32_t head = 0;  // the newest version stored, as this writer last learnt
    wire::Hash head_hash{};
    std::map<std::uint32_t, wire::Hash> acknowledged;  // version → hash
  };
  std::vector<Writer> writers;
  {
    auto maria = login(server, f.mentor_key);
    for (const auto kind : {wire::DocumentKind::goals, wire::DocumentKind::contract, wire::DocumentKind::reflection}) {
      auto opened = maria->call(msg::DocumentOpenRequest{f.pair, kind, std::nullopt});
      REQUIRE(opened.is_ok());
      Writer w;
      w.document = opened.value().document;
      w.identity = {static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(w.document.id), kind, 0,
                    kind == wire::DocumentKind::reflection ? static_cast<std::uint64_t>(f.mentor_id) : 0};
      writers.push_back(std::move(w));
    }
  }
  // After a restart: the stored head, which may be one version past the last acknowledged one.
  auto learn_head = [&](Writer& w) {
    auto got = w.connection->call(msg::DocumentGetRequest{w.document.id, std::max<std::int64_t>(1, w.head), std::nullopt});
    INFO((got.is_ok() ? std::string() : got.status().message()));
    REQUIRE(got.is_ok());
    REQUIRE(got.value().document.latest_version >= w.head);
    if (got.value().versions.empty()) return;
    const auto& newest = got.value().versions.back();
    REQUIRE(newest.version == got.value().document.latest_version);
    w.head = static_cast<std::uint32_t>(newest.version);
    w.head_hash = wire::document_version_hash(newest.body);
  };

  int acknowledged_total = 0;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    for (auto& w : writers) {
      w.connection = login(server, f.mentor_key);
      learn_head(w);
    }
    KillCycle kill(std::uniform_int_distribution<int>(3, 24)(rng));
    std::vector<std::thread> threads;
    for (auto& w : writers) {
      threads.emplace_back([&, &w = w] {
        for (;;) {
          const auto version = w.head + 1;
          auto sealed = device::seal_version(f.mentor_key, key, {w.identity, version, w.head_hash},
                                             wire::to_bytes("version " + std::to_string(version)), device::system_random());
          auto r = sealed ? w.connection->call(msg::DocumentWriteRequest{w.document.id, version, sealed->body,
                                                                         sealed->signature})
                          : wire::Result<msg::DocumentWriteResult>(wire::Status::error(wire::ErrorCode::internal, "not sealed"));
          if (!r.is_ok() || r.value().version != version) {  // the server died under us
            kill.stopped(r.is_ok() ? "stored as another version" : r.status().message());
            break;
          }
          kill.acknowledged([&] {
            w.acknowledged.emplace(version, sealed->hash);
            w.head = version;
            w.head_hash = sealed->hash;
            ++acknowledged_total;
          });
        }
      });
    }
    const auto early_stop = kill.wait_for_kill_moment();
    REQUIRE(server.stop(SIGKILL) == 128 + SIGKILL);
    for (auto& t : threads) t.join();
    INFO(early_stop.value_or(""));
    REQUIRE_FALSE(early_stop);  // before the kill, every write must succeed
    server.start();
  }

  auto tom = login(server, f.mentee_key);
  auto maria = login(server, f.mentor_key);
  for (const auto& w : writers) {
    INFO("document " << w.document.id << " (" << wire::to_string(w.identity.kind) << ")");
    // Tom checks what he may read; Maria's reflection only she may read.
    auto& reader = w.identity.kind == wire::DocumentKind::reflection ? *maria : *tom;
    std::vector<device::FetchedVersion> fetched;
    std::int64_t latest = 0;
    for (bool more = true; more;) {
      auto got = reader.call(msg::DocumentGetRequest{w.document.id, static_cast<std::int64_t>(fetched.size()) + 1, std::nullopt});
      INFO((got.is_ok() ? std::string() : got.status().message()));
      REQUIRE(got.is_ok());
      REQUIRE_FALSE(got.value().versions.empty());
      latest = got.value().document.latest_version;
      for (const auto& v : got.value().versions) {
        fetched.push_back({static_cast<std::uint32_t>(v.version), v.body, v.signature});
      }
      more = got.value().more;
    }
    device::ChainExpectation expect;
    expect.identity = w.identity;
    expect.me = f.mentor_key.public_key();
    expect.partner_keys = {f.mentee_key.public_key()};
    expect.writer = w.identity.kind == wire::DocumentKind::reflection ? device::Writer::me : device::Writer::either;
    expect.claimed_latest = static_cast<std::uint32_t>(latest);
    const auto check = device::verify_chain(expect, std::nullopt, 1, fetched);
    INFO((check.error ? std::string(device::describe(*check.error)) : std::string()) << " at " << check.error_version);
    REQUIRE_FALSE(check.error.has_value());
    REQUIRE(check.head.has_value());
    CHECK(check.head->version == latest);
    REQUIRE_FALSE(w.acknowledged.empty());
    for (const auto& [version, hash] : w.acknowledged) {
      INFO("version " << version);
      REQUIRE(version <= check.versions.size());
      CHECK(check.versions[version - 1].hash == hash);
    }
  }
  std::cout << "document batch crash test: " << cycles << " kill -9 cycles, " << acknowledged_total
            << " versions acknowledged across " << writers.size() << " documents written at once, all present in verified chains\n";
}

// Six senders keep the batcher busy, so the kill lands while a batch is being built, appended or
// synced: after the restart, every acknowledged envelope is there, each stored envelope is whole
// (log row and body, the sequence without gaps), and an unanswered one is all there or absent.
TEST_CASE("20: kill -9 in the middle of a batch append: every acknowledged envelope is there, nothing half-written is "
          "visible",
          "[crash][batch][sqlite]") {
  namespace msg = wire::messages;
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  const int cycles = std::max(1, cycles_from_environment() / 2);
  constexpr int kSenders = 6;  // on their own connections, both members: their envelopes share batches
  std::mt19937 rng(20261204);

  struct Sent {
    wire::Bytes body;
    bool by_mentor = false;
    std::int64_t seq = 0;  // 0: no answer came (the server died first)
  };
  std::map<wire::Bytes, Sent> sent;  // by client_id; the threads of a cycle share it under its lock
  for (int cycle = 0; cycle < cycles; ++cycle) {
    KillCycle kill(std::uniform_int_distribution<int>(20, 200)(rng));
    std::vector<std::thread> threads;
    for (int t = 0; t < kSenders; ++t) {
      auto connection = login(server, t % 2 == 0 ? f.mentor_key : f.mentee_key);
      threads.emplace_back([&, t, c = std::shared_ptr<client::Connection>(std::move(connection))] {
        std::mt19937 local(static_cast<std::uint32_t>(cycle * kSenders + t));
        for (int i = 0;; ++i) {
          msg::MessageSendRequest request;
          request.pair = f.pair;
          request.client_id = wire::Bytes(16, 0);
          for (std::size_t b = 0; b < 16; ++b) request.client_id[b] = static_cast<std::uint8_t>(local());
          // Up to 120 KiB, so that a batch spans many pages and takes a while to append.
          request.body = wire::Bytes(std::uniform_int_distribution<std::size_t>(1, 120 * 1024)(local), 0);
          for (auto& byte : request.body) byte = static_cast<std::uint8_t>(local());
          {
            const auto lock = kill.lock();
            sent[request.client_id] = Sent{request.body, t % 2 == 0, 0};
          }
          auto r = c->call(request);
          if (!r.is_ok()) {  // the server died under us
            kill.stopped(r.status().message());
            break;
          }
          kill.acknowledged([&] { sent[request.client_id].seq = r.value().seq; });
        }
      });
    }
    const auto early_stop = kill.wait_for_kill_moment();
    // A random moment within the batch cycle (not a wait for anything): building, appending or syncing.
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 20'000)(rng)));
    REQUIRE(server.stop(SIGKILL) == 128 + SIGKILL);  // every sender has a request in flight
    for (auto& t : threads) t.join();
    INFO(early_stop.value_or(""));
    REQUIRE_FALSE(early_stop);
    server.start();
  }
  REQUIRE(server.stop() == 0);
  {  // The file itself: intact, and every envelope in the log has its body (nobody acknowledged).
    Tamper t(tmp / "data");
    CHECK(t.blobs("PRAGMA integrity_check") == std::vector<std::vector<std::uint8_t>>{{'o', 'k'}});
    CHECK(t.integer("SELECT count(*) FROM envelope_log l LEFT JOIN envelope_bodies b ON b.id = l.id WHERE b.id IS NULL") ==
          0);
    CHECK(t.integer("SELECT count(*) FROM envelope_bodies b LEFT JOIN envelope_log l ON l.id = b.id WHERE l.id IS NULL") ==
          0);
  }
  server.start();

  // Each member reads everything the other sent: one sequence 1..n without gaps or repeats, and
  // each envelope is one that was sent, whole, with its own body.
  std::map<std::int64_t, wire::Bytes> stored;  // seq → client_id
  for (const auto* key : {&f.mentor_key, &f.mentee_key}) {
    auto reader = login(server, *key);
    std::int64_t cursor = 0;
    for (bool more = true; more;) {
      auto got = reader->call(msg::MessageSyncRequest{std::nullopt, {msg::SyncCursor{f.pair, cursor}}});
      INFO((got.is_ok() ? std::string() : got.status().message()));
      REQUIRE(got.is_ok());
      for (const auto& e : got.value().envelopes) {
        REQUIRE(e.seq > cursor);
        cursor = e.seq;
        const auto it = sent.find(e.client_id);
        REQUIRE(it != sent.end());
        CHECK(e.body == it->second.body);
        REQUIRE(stored.emplace(e.seq, e.client_id).second);
      }
      more = got.value().more;
    }
  }
  REQUIRE_FALSE(stored.empty());
  CHECK(stored.begin()->first == 1);
  CHECK(stored.rbegin()->first == static_cast<std::int64_t>(stored.size()));  // no gaps
  std::size_t acknowledged = 0;
  for (const auto& [client_id, s] : sent) {
    if (s.seq == 0) continue;
    ++acknowledged;
    REQUIRE(stored.count(s.seq) == 1);
    CHECK(stored.at(s.seq) == client_id);
  }
  // What was in flight at the kill is either all there or not at all: a retry says which.
  auto mentor = login(server, f.mentor_key);
  auto mentee = login(server, f.mentee_key);
  std::size_t in_flight_kept = 0;
  for (const auto& [client_id, s] : sent) {
    if (s.seq != 0) continue;
    auto r = (s.by_mentor ? mentor : mentee)->call(msg::MessageSendRequest{f.pair, std::nullopt, client_id, s.body});
    REQUIRE(r.is_ok());
    if (r.value().duplicate) {
      ++in_flight_kept;
      REQUIRE(stored.count(r.value().seq) == 1);
      CHECK(stored.at(r.value().seq) == client_id);
    }
  }
  CHECK(in_flight_kept == stored.size() - acknowledged);
  std::cout << "batch append crash test: " << cycles << " kill -9 cycles, " << acknowledged
            << " envelopes acknowledged, " << stored.size() - acknowledged
            << " stored but unanswered at the kill (" << in_flight_kept << " confirmed by retry), all whole\n";
}
