// The device home (home.h, device_state.h): one writer at a time, atomic files, a state format,
// and seq bookkeeping that a server-chosen seq cannot make unbounded.
#include <sys/stat.h>

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>

#include "client-cli/lib/device_state.h"
#include "protocol/device/sealed_file.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::client;
using mentorlink::test::TempDir;

TEST_CASE("the home's lock is exclusive, waits a bounded time and says why it gave up", "[home]") {
  TempDir tmp;
  const Home home(tmp.path());
  auto first = HomeLock::acquire(home, std::chrono::milliseconds(0));
  REQUIRE(first.is_ok());
  const auto started = std::chrono::steady_clock::now();
  auto second = HomeLock::acquire(home, std::chrono::milliseconds(200));
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(second.is_ok());
  CHECK(second.status().message().find("another mentorlink command has been using this device's home") !=
        std::string::npos);
  CHECK(waited >= std::chrono::milliseconds(200));
  CHECK(waited < std::chrono::seconds(5));
  first.value().release();
  CHECK(HomeLock::acquire(home, std::chrono::milliseconds(0)).is_ok());
}

TEST_CASE("$MENTORLINK_LOCK_WAIT sets the wait; nonsense falls back to the default", "[home]") {
  ::setenv("MENTORLINK_LOCK_WAIT", "2.5", 1);
  CHECK(home_lock_wait() == std::chrono::milliseconds(2500));
  ::setenv("MENTORLINK_LOCK_WAIT", "soon", 1);
  CHECK(home_lock_wait() == kHomeLockWait);
  ::unsetenv("MENTORLINK_LOCK_WAIT");
  CHECK(home_lock_wait() == kHomeLockWait);
}

TEST_CASE("files are replaced atomically with mode 0600 and no temporary file left behind", "[home]") {
  TempDir tmp;
  const auto path = tmp.path() / "home" / "state.sealed";
  REQUIRE(write_file_atomically(path, "first").is_ok());
  REQUIRE(write_file_atomically(path, "second").is_ok());
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  CHECK(text == "second");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(std::distance(std::filesystem::directory_iterator(path.parent_path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("27: seqs up to 2^53-1 after a jump keep what the device remembers bounded", "[home][attack]") {
  PairState p;
  const std::int64_t top = (std::int64_t{1} << 53) - 1;
  p.mark_seen(1);
  p.mark_seen(top);
  p.mark_seen(3);
  CHECK(p.contiguous == 1);
  CHECK(p.seen(top));
  CHECK(p.seen(3));
  CHECK_FALSE(p.seen(2));

  for (std::int64_t s = 0; s < static_cast<std::int64_t>(kMaxSeenAbove) + 10; ++s) p.mark_seen(top - 1 - 2 * s);
  CHECK(p.seen_above.size() <= kMaxSeenAbove);
  CHECK(p.seen(top));
  const auto before = p.contiguous;
  p.mark_seen(before + 1);  // filling the lowest hole moves contiguous on
  CHECK(p.contiguous > before);
}

TEST_CASE("the state file carries its format; one written by protocol 1 is refused with what to do", "[home]") {
  TempDir tmp;
  const Home home(tmp.path());
  device::SecureBuffer key(32);
  std::fill(key.data(), key.data() + key.size(), std::uint8_t{7});

  DeviceState state;
  state.pairs[5].partner_key = wire::IdentityKey{};
  state.pairs[5].verified = true;
  state.pairs[5].history.push_back(HistoryEntry{1, false, "kept", 1000});
  REQUIRE(save_state(home, key, state).is_ok());
  REQUIRE(load_state(home, key).is_ok());

  // What mentorlink 1 wrote: the same JSON, without "format".
  const std::string v1 =
      R"({"keys_published":false,"pairs":[{"pair":5,"sessions":[],"active":0,"partner_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",)"
      R"("verified":true,"contiguous":1,"seen_above":[],"pending":[{"client_id":"AA","body":"AA","text":"unsent","kind":1}],)"
      R"("history":[{"seq":1,"mine":false,"text":"kept","sent_at":1000}]}],"documents":[]})";
  const auto sealed = device::seal_file(key, "device-state", std::span(reinterpret_cast<const std::uint8_t*>(v1.data()), v1.size()));
  REQUIRE(write_file_atomically(tmp.path() / "state.sealed", std::string(sealed.begin(), sealed.end())).is_ok());

  const auto refused = load_state(home, key);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().message().find("made by an older mentorlink (protocol 1)") != std::string::npos);
  CHECK(refused.status().message().find("mentorlink upgrade-home") != std::string::npos);

  const auto upgraded = upgrade_protocol_1_state(home, key);
  REQUIRE(upgraded.is_ok());
  CHECK(upgraded.value().pairs == 1);
  CHECK(upgraded.value().history == 1);
  CHECK(upgraded.value().unsent == 1);
  CHECK(std::filesystem::exists(tmp.path() / "state.v1.sealed"));
  const auto loaded = load_state(home, key);
  REQUIRE(loaded.is_ok());
  const auto& p = loaded.value().pairs.at(5);
  CHECK(p.verified);
  CHECK(p.partner_key.has_value());
  CHECK(p.sessions.empty());
  CHECK(p.pending.empty());
  REQUIRE(p.history.size() == 1);
  CHECK(p.history[0].text == "kept");
  CHECK_FALSE(upgrade_protocol_1_state(home, key).is_ok());  // nothing left to upgrade
}

TEST_CASE("a partner's text that is not UTF-8 cannot make the state file unreadable", "[home]") {
  TempDir tmp;
  const Home home(tmp.path());
  device::SecureBuffer key(32);
  std::fill(key.data(), key.data() + key.size(), std::uint8_t{9});
  DeviceState state;
  state.pairs[1].history.push_back(HistoryEntry{1, false, "bad \xff\xc0 bytes", 0});
  REQUIRE(save_state(home, key, state).is_ok());
  const auto loaded = load_state(home, key);
  REQUIRE(loaded.is_ok());
  CHECK(loaded.value().pairs.at(1).history.at(0).text == "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
}
