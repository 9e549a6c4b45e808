// Calls over the real server (PROTOCOL.md §6 "Calls", §12.8): TURN credentials minted for the
// member asking, over real TLS; Debian's coturn started on loopback with the same secret accepts
// them for an allocation and refuses wrong or expired ones; the real CLI keeps call signals'
// counters and acknowledgements and says once per call that one started.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "protocol/wire/messages/calls.h"
#include "protocol/wire/turn_credentials.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;
namespace msg = wire::messages;

namespace {

constexpr const char* kSecret = "a secret shared with the TURN server";
constexpr const char* kTurnServer = "/usr/bin/turnserver";
constexpr const char* kTurnClient = "/usr/bin/turnutils_uclient";

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A loopback port that is free for UDP and TCP right now (the kernel's choice).
std::uint16_t free_port() {
  for (;;) {
    const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
    REQUIRE(udp >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(udp, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(udp, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
    const bool tcp_free = tcp >= 0 && ::bind(tcp, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(tcp);
    ::close(udp);
    if (tcp_free) return ntohs(a.sin_port);
  }
}

msg::IceServersResult ice_servers(client::Connection& c) {
  auto r = c.call(msg::IceServersRequest{});
  INFO((r.is_ok() ? std::string() : r.status().message()));
  REQUIRE(r.is_ok());
  return r.value();
}

std::string secret_file(const TempDir& tmp) {
  const auto path = tmp / "turn-secret";
  write_file(path, std::string(kSecret) + "\n");
  return path.string();
}

// coturn on 127.0.0.1:port with use-auth-secret and kSecret, as the README tells operators to run it.
struct Coturn {
  std::uint16_t port = free_port();
  std::unique_ptr<ChildProcess> child;

  explicit Coturn(const TempDir& tmp) {
    REQUIRE(std::filesystem::exists(kTurnServer));
    const auto conf = tmp / "turnserver.conf";
    write_file(conf, "listening-ip=127.0.0.1\nrelay-ip=127.0.0.1\nlistening-port=" + std::to_string(port) +
                         "\nuse-auth-secret\nstatic-auth-secret=" + kSecret +
                         "\nrealm=mentorlink.test\nno-tls\nno-dtls\nno-cli\nallow-loopback-peers\n"
                         "log-file=stdout\nsimple-log\npidfile=" + (tmp / "turnserver.pid").string() +
                         "\nuserdb=" + (tmp / "turndb").string() + "\n");
    child = std::make_unique<ChildProcess>(kTurnServer, std::vector<std::string>{"-c", conf.string()},
                                           tmp / "turnserver.err");
    // The last line coturn writes once its listeners and relay threads are up.
    for (;;) {
      auto line = child->read_line();
      REQUIRE(line.has_value());
      if (line->find("Total General servers") != std::string::npos) break;
    }
  }
  ~Coturn() { child->stop(15); }

  // turnutils_uclient: one allocation with username/password, then a message to a loopback peer.
  ProcessResult allocate(const std::string& username, const std::string& password) const {
    const std::string p = std::to_string(port);
    return run_process(kTurnClient, {"-n", "1", "-m", "1", "-u", username, "-w", password, "-p", p, "-e", "127.0.0.1",
                                     "-r", p, "127.0.0.1"});
  }
};

std::string call_offer(const std::string& call, bool restart) {
  return json::serialize(json::object{
      {"v", 1}, {"call", call}, {"reply_to", nullptr}, {"meeting", 1}, {"type", "offer"}, {"restart", restart},
      {"sdp", "v=0\r\n"}, {"candidate", nullptr}, {"fingerprint", "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8"},
      {"media_key", "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8"}, {"sent_at", now_s() * 1000}});
}

std::span<const std::uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

}  // namespace

TEST_CASE("call.ice_servers over TLS: STUN as configured, TURN credentials minted for the member", "[call][turn]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--stun", "stun:127.0.0.1:3478", "--turn-url", "turn:127.0.0.1:3478?transport=udp",
                                      "--turn-url", "turn:127.0.0.1:3478?transport=tcp", "--turn-secret-file",
                                      secret_file(tmp), "--turn-credential-ttl", "600"});
  PairFixture f(server);
  auto c = login(server, f.mentee_key);
  const std::int64_t before = now_s();
  const auto r = ice_servers(*c);
  const std::int64_t after = now_s();
  REQUIRE(r.ice_servers.size() == 2);
  CHECK(r.ice_servers[0].urls == std::vector<std::string>{"stun:127.0.0.1:3478"});
  CHECK_FALSE(r.ice_servers[0].username);
  const auto& turn = r.ice_servers[1];
  CHECK(turn.urls.size() == 2);
  REQUIRE(turn.username);
  REQUIRE(turn.credential);
  const auto colon = turn.username->find(':');
  REQUIRE(colon != std::string::npos);
  const std::int64_t expiry = std::stoll(turn.username->substr(0, colon));
  CHECK(expiry >= before + 600);
  CHECK(expiry <= after + 600);
  CHECK(turn.username->substr(colon + 1) == std::to_string(f.mentee_id));
  CHECK(r.expires_at == expiry * 1000);
  CHECK(*turn.credential == wire::turn_password(kSecret, *turn.username));

  // The secret is nowhere a member can see it, nor in the server's log or data folder.
  CHECK(json::serialize(r.encode()).find(kSecret) == std::string::npos);
  CHECK(server.log().find(kSecret) == std::string::npos);
  CHECK(read_tree(tmp / "data").find(kSecret) == std::string::npos);

  // Only logged-in members get credentials.
  auto anonymous = connect(server);
  REQUIRE(client::say_hello(*anonymous).is_ok());
  auto refused = anonymous->call(msg::IceServersRequest{});
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().code() == wire::ErrorCode::not_authenticated);
}

TEST_CASE("without --stun or --turn-url the list is empty; TURN without a secret does not start", "[call][turn]") {
  TempDir tmp;
  {
    ServerProcess server(tmp / "data");
    PairFixture f(server);
    auto c = login(server, f.mentor_key);
    CHECK(ice_servers(*c).ice_servers.empty());
  }
  const auto no_secret = run_process(MENTORLINK_SERVER_BIN, {"--data", (tmp / "other").string(), "--port", "0",
                                                             "--turn-url", "turn:127.0.0.1:3478"},
                                     {{"MENTORLINK_TURN_SECRET", ""}});
  CHECK(no_secret.exit_code == 2);
  CHECK(no_secret.err.find("--turn-secret-file") != std::string::npos);
  const auto bad_url = run_process(MENTORLINK_SERVER_BIN, {"--data", (tmp / "other").string(), "--stun", "turn:x"});
  CHECK(bad_url.exit_code == 2);
  CHECK_FALSE(std::filesystem::exists(tmp / "other"));
}

TEST_CASE("coturn with use-auth-secret accepts the credentials mentorlink mints and refuses wrong or expired ones",
          "[call][turn][coturn]") {
  TempDir tmp;
  Coturn coturn(tmp);
  const std::string url = "turn:127.0.0.1:" + std::to_string(coturn.port) + "?transport=udp";
  ServerProcess server(tmp / "data", {"--turn-url", url, "--turn-secret-file", secret_file(tmp)});
  PairFixture f(server);
  auto c = login(server, f.mentor_key);
  const auto r = ice_servers(*c);
  REQUIRE(r.ice_servers.size() == 1);
  const auto& minted = r.ice_servers[0];
  REQUIRE(minted.urls == std::vector<std::string>{url});
  REQUIRE(minted.username);
  REQUIRE(minted.credential);

  const auto accepted = coturn.allocate(*minted.username, *minted.credential);
  INFO(accepted.out << accepted.err);
  CHECK(accepted.exit_code == 0);
  CHECK(accepted.out.find("Cannot complete Allocation") == std::string::npos);

  const auto wrong = coturn.allocate(*minted.username, wire::turn_password("another secret", *minted.username));
  CHECK(wrong.exit_code != 0);
  CHECK(wrong.out.find("Cannot complete Allocation") != std::string::npos);

  const auto expired = wire::turn_credential(kSecret, now_s() - 60, f.mentor_id);
  const auto late = coturn.allocate(expired.username, expired.credential);
  CHECK(late.exit_code != 0);
  CHECK(late.out.find("Cannot complete Allocation") != std::string::npos);
}

TEST_CASE("the CLI acknowledges call signals, keeps their counters and says once per call that one started",
          "[call][cli]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  auto coordinator_key = device::IdentityKeyPair::generate();
  auto maria_key = device::IdentityKeyPair::generate();
  auto coordinator = enroll(server, coordinator_key, server.bootstrap("Ada"));
  const auto programme =
      ok(*coordinator, "programme.create", json::object{{"name", "Grads"}}).at("programme").at("id").as_int64();
  auto invite = [&](const std::string& name) {
    return std::string(
        ok(*coordinator, "invite.create", json::object{{"programme", programme}, {"role", "participant"}, {"name", name}})
            .at("code")
            .as_string());
  };
  const auto maria_id = ok(*enroll(server, maria_key, invite("Maria")), "whoami").at("member").at("id").as_int64();
  Cli tom(tmp / "tom");
  REQUIRE(tom.enroll(server.url(), invite("Tom"), test_ca_file()).exit_code == 0);
  std::int64_t tom_id = 0;
  const auto members = ok(*coordinator, "member.list", json::object{{"programme", programme}});
  for (const auto& m : members.at("members").as_array()) {
    if (m.at("name").as_string() == "Tom") tom_id = m.at("id").as_int64();
  }
  const auto pair = ok(*coordinator, "pair.create", json::object{{"programme", programme}, {"mentor", maria_id}, {"mentee", tom_id}})
                        .at("pair")
                        .at("id")
                        .as_int64();
  const std::string pair_arg = std::to_string(pair);
  REQUIRE(tom.json({"sync"}).at("received").as_array().empty());  // Tom's keys are published

  InProcessDevice maria(server, std::move(maria_key));
  REQUIRE(maria.messenger->send_text(pair, "Shall we talk?").is_ok());
  const std::string first = "AAECAwQFBgcICQoLDA0ODw", second = "EBESExQVFhcYGRobHB0eHw";
  for (const auto& offer : {call_offer(first, false), call_offer(first, false), call_offer(first, true)}) {
    REQUIRE(maria.messenger->send_call_signal(pair, bytes(offer)).is_ok());
  }
  REQUIRE(maria.messenger->send_text(pair, "I rang from the web app").is_ok());

  const auto synced = tom.run({"sync"});
  INFO(synced.out << synced.err);
  CHECK(synced.exit_code == 0);
  const std::string line = "Maria started a call from the web app; calls need the web app";
  const auto at = synced.out.find(line);
  CHECK(at != std::string::npos);
  CHECK(synced.out.find(line, at + 1) == std::string::npos);  // one line for the call, not one per offer
  CHECK(synced.out.find("set aside") == std::string::npos);
  CHECK(synced.err.find("set aside") == std::string::npos);
  CHECK(synced.out.find("missing") == std::string::npos);
  CHECK(synced.out.find("I rang from the web app") != std::string::npos);

  REQUIRE(maria.messenger->send_call_signal(pair, bytes(call_offer(second, false))).is_ok());
  const auto again = tom.json({"sync"});
  REQUIRE(again.at("calls").as_array().size() == 1);
  CHECK(again.at("calls").at(0).at("from").as_int64() == maria_id);
  CHECK(again.at("problems").as_array().empty());
  CHECK(tom.json({"sync"}).at("calls").as_array().empty());  // acknowledged: not delivered again

  const auto history = tom.json({"history", pair_arg}).at("messages").as_array();
  REQUIRE(history.size() == 2);
  CHECK(history[1].at("text").as_string() == "I rang from the web app");
  CHECK(tom.run({"history", pair_arg}).out.find("missing") == std::string::npos);
}
