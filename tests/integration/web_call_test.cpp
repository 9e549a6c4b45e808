// Calls between two members in the web app (tests/browser/web_call.mjs: two headless Chromium
// contexts with a fake camera and microphone) through the real server over TLS, with Debian's
// coturn as the relay, started here on loopback with a shared secret that the server mints TURN
// credentials from. The test owns the server, the relay and the coordinator's CLI; the browser
// script prints a line after each of its steps and waits for a line from here when it needs one.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/process.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kTurnSecret = "a secret only the server and the relay share";

// A loopback UDP port nothing listens on now (the relay binds it next).
std::uint16_t free_udp_port() {
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t size = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Debian's coturn on loopback: TURN REST credentials (use-auth-secret), relaying between
// loopback peers, no TLS. Ready once it has printed its general servers line.
class Relay {
 public:
  Relay(const fs::path& dir, std::uint16_t port) : dir_(dir), port_(port) { start(); }
  ~Relay() { stop(); }
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  void start() {
    child_ = std::make_unique<ChildProcess>(
        "/usr/bin/turnserver",
        std::vector<std::string>{"-n", "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1",
                                 "--listening-port=" + std::to_string(port_), "--use-auth-secret",
                                 "--static-auth-secret=" + std::string(kTurnSecret), "--realm=mentorlink.test",
                                 "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls", "--no-tcp-relay",
                                 "--log-file=stdout", "--simple-log", "--db=" + (dir_ / "turndb").string(),
                                 "--pidfile=" + (dir_ / "turn.pid").string()},
        dir_ / "turn.err");
    for (;;) {
      const auto line = child_->read_line();
      INFO("coturn said:\n" << read_all(dir_ / "turn.err"));
      REQUIRE(line.has_value());
      if (line->find("Total General servers") != std::string::npos) break;
    }
  }
  void stop() {
    if (child_) child_->stop(SIGKILL);
    child_.reset();
  }
  std::string url() const { return "turn:127.0.0.1:" + std::to_string(port_) + "?transport=udp"; }

 private:
  fs::path dir_;
  std::uint16_t port_;
  std::unique_ptr<ChildProcess> child_;
};

fs::path written(const fs::path& path, std::string_view text) {
  std::ofstream(path) << text << "\n";
  return path;
}

struct CallWorld {
  TempDir tmp;
  Relay relay{tmp.path(), free_udp_port()};
  ServerProcess server{tmp / "data",
                       {"--turn-url", relay.url(), "--turn-secret-file", written(tmp / "turn-secret", kTurnSecret).string()}};
  Cli ada{tmp / "ada"};
  std::string programme;
  std::string tom_invite;
  std::string maria_invite;
  std::string pair;

  CallWorld() {
    REQUIRE(ada.enroll(server.url(), server.bootstrap("Ada"), test_ca_file()).exit_code == 0);
    programme = std::to_string(
        ada.json({"programme", "create", "--name", "Graduates", "--min-held-minutes", "1"}).at("programme").at("id").as_int64());
    const auto invite = [&](const std::string& name) {
      return std::string(ada.json({"invite", "--programme", programme, "--name", name}).at("code").as_string());
    };
    tom_invite = invite("Tom");
    maria_invite = invite("Maria");
  }
};

// Every file under dir (the server's data folder: database, WAL) and the server's log, as bytes.
std::string everything_kept(const CallWorld& w) {
  std::string out = read_all(w.tmp / "data-server.log");
  for (const auto& entry : fs::recursive_directory_iterator(w.tmp / "data")) {
    if (entry.is_regular_file()) out += read_all(entry.path());
  }
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST_CASE("a video call in the web app: media both ways, mute, hang-up, held; a wrong certificate, a wrong key and tampered "
          "frames refused; through coturn and back after the relay restarts; nothing of it kept by the server",
          "[web-app][browser][call]") {
  CallWorld w;
  ChildProcess browser("/usr/bin/env",
                       {"node", "--experimental-global-webcrypto", MENTORLINK_BROWSER_TESTS "/web_call.mjs",
                        "https://localhost:" + std::to_string(w.server.port()) + "/app/", w.tom_invite, w.maria_invite,
                        MENTORLINK_TEST_ARTIFACTS},
                       w.tmp / "browser.err", {}, true);
  const auto expect = [&](const std::string& step) {
    const auto line = browser.read_line();
    INFO("browser stderr:\n" << read_all(w.tmp / "browser.err"));
    REQUIRE(line.has_value());
    REQUIRE(line->rfind(step, 0) == 0);
    return line->size() > step.size() ? line->substr(step.size() + 1) : std::string();
  };
  const auto say = [&](const std::string& line) { browser.write_stdin(line + "\n"); };

  expect("enrolled");
  w.pair = std::to_string(w.ada.json({"pair", "create", "--programme", w.programme, "--mentor", "Maria", "--mentee", "Tom"})
                              .at("pair").at("id").as_int64());
  say("paired " + w.pair);

  // Held, with both present for as long as the call lasted (the two leaves cross the network).
  const auto held = words(expect("held"));  // MEETING CALL_MS BOTH_PRESENT_MS (as the page shows it) MS_TO_FIRST_FRAME
  REQUIRE(held.size() == 4);
  const auto call_ms = std::stoll(held[1]);
  const auto both_present_ms = std::stoll(held[2]);
  CHECK(both_present_ms >= 60000);
  CHECK(both_present_ms <= call_ms + 2000);
  CHECK(both_present_ms >= call_ms - 5000);
  const auto report = w.ada.json({"report", "--programme", w.programme, "--format", "json"});
  bool found = false;
  for (const auto& row : report.at("pairs").as_array()) {
    if (std::to_string(row.at("pair").as_int64()) != w.pair) continue;
    found = true;
    CHECK(row.at("meetings_held").as_int64() == 1);
  }
  CHECK(found);
  say("checked");

  // The relay restarts under the call: its allocations are gone, the call comes back by an ICE restart.
  expect("relayed");
  w.relay.stop();
  w.relay.start();
  say("relay-restarted");

  // Canaries: the ICE username fragments and an address of both calls, in no file of the server's.
  const auto canaries = words(expect("canaries"));
  REQUIRE(canaries.size() >= 4);
  const auto kept = everything_kept(w);
  for (const auto& c : canaries) {
    INFO(c);
    CHECK(kept.find(c) == std::string::npos);
  }
  for (const std::string sdp : {"a=fingerprint", "a=ice-ufrag", "a=candidate", "candidate:", "typ relay", "typ host", "v=0\r\n"}) {
    INFO(sdp);
    CHECK(kept.find(sdp) == std::string::npos);
  }

  expect("done");
  browser.close_stdin();
  const int code = browser.wait();
  INFO("browser stderr:\n" << read_all(w.tmp / "browser.err"));
  CHECK(code == 0);
}
