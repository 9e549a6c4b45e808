// The TLS front: TLS 1.3 only, no plaintext, certificates verified, handshakes under a deadline,
// and the HTTP routes on the same port.
#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include "tests/support/raw_tls.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
using namespace std::chrono_literals;

TEST_CASE("a TLS 1.2 client is refused", "[tls]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  RawTls tls12(server.port(), TLS1_2_VERSION, TLS1_2_VERSION, test_ca_file());
  const auto error = tls12.handshake();
  CHECK_FALSE(error.empty());
  INFO(error);
  CHECK(error.find("version") != std::string::npos);

  RawTls tls13(server.port(), TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  CHECK(tls13.handshake().empty());
}

TEST_CASE("a plaintext WebSocket upgrade gets no WebSocket", "[tls]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  RawTcp plain(server.port());
  plain.send(
      "GET /v1 HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
  const auto drained = plain.drain(10s);
  CHECK(drained.closed);
  CHECK(drained.bytes.find("101") == std::string::npos);
  CHECK(drained.bytes.find("HTTP/1.1") == std::string::npos);
}

TEST_CASE("a client that stalls in the handshake is closed at the deadline", "[tls]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--handshake-timeout-ms", "300"});
  RawTcp silent(server.port());
  const auto drained = silent.drain(10s);
  CHECK(drained.closed);
  CHECK(drained.elapsed >= 250ms);
  CHECK(drained.elapsed < 5s);
}

TEST_CASE("healthz and metrics answer over TLS, unknown paths are 404", "[tls]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  auto get = [&](const std::string& path) {
    RawTls tls(server.port(), TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
    REQUIRE(tls.handshake().empty());
    tls.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    return tls.drain(10s).bytes;
  };
  const auto health = get("/healthz");
  CHECK(health.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(health.find("\r\n\r\nok\n") != std::string::npos);

  const auto metrics = get("/metrics");
  CHECK(metrics.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(metrics.find("mentorlink_connections_open") != std::string::npos);
  CHECK(metrics.find("# TYPE mentorlink_store_seconds histogram") != std::string::npos);

  CHECK(get("/nothing").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(get("/v1").rfind("HTTP/1.1 426", 0) == 0);
}
