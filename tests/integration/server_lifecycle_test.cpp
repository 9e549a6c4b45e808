// Start, stop and restart of the real server: graceful shutdown closes sessions with 1001,
// acknowledged state survives a restart (also after SIGKILL), idle peers are closed.
#include <openssl/ssl.h>
#include <csignal>

#include <catch2/catch.hpp>

#include "tests/integration/session_helpers.h"
#include "tests/support/raw_tls.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
using namespace std::chrono_literals;
namespace json = boost::json;

TEST_CASE("SIGTERM closes WebSocket sessions with 1001 going away and exits cleanly", "[lifecycle]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  auto c = connect(server);
  REQUIRE(client::say_hello(*c).is_ok());
  CHECK(server.stop(SIGTERM) == 0);
  auto r = c->receive_text();
  CHECK_FALSE(r.is_ok());
  CHECK(c->close_code() == 1001);
  CHECK(server.log().find("event=shutdown_started connections=1") != std::string::npos);
}

TEST_CASE("what the server acknowledged survives a restart, including after SIGKILL", "[lifecycle]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto ada = device::IdentityKeyPair::generate();
  std::int64_t pid = 0;
  {
    auto c = enroll(server, ada, server.bootstrap("Ada"));
    json::object body;
    body["name"] = "Durable";
    pid = ok(*c, "programme.create", body).at("programme").at("id").as_int64();
  }
  const int signal = GENERATE(SIGTERM, SIGKILL);
  server.stop(signal);
  server.start();
  auto c = login(server, ada);
  const auto programmes = ok(*c, "programme.list").at("programmes").as_array();
  REQUIRE(programmes.size() == 1);
  CHECK(programmes[0].at("id").as_int64() == pid);
  CHECK(programmes[0].at("name").as_string() == "Durable");
}

TEST_CASE("a peer that stops answering pings gets a close frame 1000 \"idle timeout\", then TCP closes", "[lifecycle]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--idle-timeout-ms", "600", "--handshake-timeout-ms", "500"});
  RawTls peer(server.port(), TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  REQUIRE(peer.handshake().empty());
  peer.write(
      "GET /v1 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  CHECK(peer.read_http_head().rfind("HTTP/1.1 101", 0) == 0);
  // From here on the peer reads but never answers: the server pings, closes, then gives up.
  const auto drained = peer.drain(10s);
  CHECK(drained.closed);
  CHECK(drained.elapsed >= 500ms);
  CHECK(drained.elapsed < 5s);
  const auto ping = drained.bytes.find('\x89');  // FIN + opcode 0x9
  REQUIRE(ping != std::string::npos);
  // FIN + opcode 0x8, unmasked length 14, code 1000 (03 E8), reason.
  const auto close = drained.bytes.find(std::string("\x88\x0e\x03\xe8", 4) + "idle timeout");
  REQUIRE(close != std::string::npos);
  CHECK(ping < close);
}
