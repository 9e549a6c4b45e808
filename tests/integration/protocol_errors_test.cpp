// Bad input over the real WebSocket: each gets its specific error and the connection stays
// usable; an oversized message closes the connection with 1009.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <openssl/ssl.h>

#include "tests/integration/session_helpers.h"
#include "tests/support/raw_tls.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

json::object send_raw(client::Connection& c, const std::string& frame) {
  REQUIRE(c.send_text(frame).is_ok());
  auto reply = c.receive_text();
  REQUIRE(reply.is_ok());
  return json::parse(reply.value()).as_object();
}

std::string code_of(const json::object& reply) {
  REQUIRE(reply.at("type").as_string() == "error");
  return std::string(reply.at("error").at("code").as_string());
}

}  // namespace

TEST_CASE("malformed, unknown, missing and mistyped input each get a specific error", "[protocol]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  auto c = connect(server);

  CHECK(code_of(send_raw(*c, "this is not json")) == "malformed");
  CHECK(code_of(send_raw(*c, "[1, 2, 3]")) == "malformed");
  CHECK(code_of(send_raw(*c, R"({"type": "hello", "body": {"version": 2}})")) == "missing_field");
  CHECK(code_of(send_raw(*c, R"({"id": 10, "type": "hello", "type": "whoami"})")) == "malformed");

  auto unknown = send_raw(*c, R"({"id": 11, "type": "make.coffee"})");
  CHECK(code_of(unknown) == "unknown_type");
  CHECK(unknown.at("id").as_int64() == 11);

  auto missing = send_raw(*c, R"({"id": 12, "type": "hello", "body": {}})");
  CHECK(code_of(missing) == "missing_field");
  CHECK(missing.at("error").at("field").as_string() == "version");

  auto mistyped = send_raw(*c, R"({"id": 13, "type": "hello", "body": {"version": "one"}})");
  CHECK(code_of(mistyped) == "invalid_field");
  CHECK(mistyped.at("error").at("field").as_string() == "version");

  CHECK(code_of(send_raw(*c, R"({"id": 14, "type": "whoami"})")) == "hello_required");

  // After all of that the connection still works.
  auto hello = send_raw(*c, R"({"id": 15, "type": "hello", "body": {"version": 2}})");
  CHECK(hello.at("type").as_string() == "result");
  CHECK(hello.at("id").as_int64() == 15);
  CHECK(hello.at("body").at("limits").at("max_message_bytes").as_int64() > 0);

  auto wrong_login = send_raw(*c, R"({"id": 16, "type": "login", "body": {"identity_key": "short", "signature": 1}})");
  CHECK(code_of(wrong_login) == "invalid_field");
  CHECK(wrong_login.at("error").at("field").as_string() == "identity_key");
}

TEST_CASE("an oversized message closes the connection with 1009 and the server carries on", "[protocol]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-message-bytes", "4096"});
  auto c = connect(server);
  const std::string big = R"({"id": 1, "type": "hello", "body": {"pad": ")" + std::string(8000, 'x') + "\"}}";
  REQUIRE(c->send_text(big).is_ok());
  auto reply = c->receive_text();
  REQUIRE_FALSE(reply.is_ok());
  CHECK(c->close_code() == 1009);

  auto fresh = connect(server);
  CHECK(client::say_hello(*fresh).is_ok());
  const std::string fits = R"({"id": 2, "type": "hello", "body": {"version": 2, "pad": ")" + std::string(3000, 'x') + "\"}}";
  CHECK(send_raw(*fresh, fits).at("type").as_string() == "result");
}

TEST_CASE("a version 1 client is told at hello that the server speaks protocol 2", "[protocol][version]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  auto c = connect(server);
  auto v1 = send_raw(*c, R"({"id": 1, "type": "hello", "body": {"version": 1}})");
  CHECK(code_of(v1) == "unsupported_version");
  CHECK(v1.at("error").at("field").as_string() == "version");
  CHECK(v1.at("error").at("message").as_string() == "this server speaks protocol 2; update your client");
  // Nothing was set up: the connection is still before hello.
  CHECK(code_of(send_raw(*c, R"({"id": 2, "type": "whoami"})")) == "hello_required");
  auto v2 = send_raw(*c, R"({"id": 3, "type": "hello", "body": {"version": 2}})");
  CHECK(v2.at("body").at("version").as_int64() == 2);
  CHECK(client::say_hello(*connect(server)).is_ok());  // what the CLI sends
}

TEST_CASE("a request header block beyond 8 KiB is answered 431, then the connection closes", "[protocol][http]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  RawTls peer(server.port(), TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  REQUIRE(peer.handshake().empty());
  peer.write("GET /v1 HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + std::string(9000, 'a') + "\r\n\r\n");
  CHECK(peer.read_http_head().rfind("HTTP/1.1 431", 0) == 0);
  CHECK(peer.drain(5s).closed);
  // A header block that fits still works.
  RawTls fine(server.port(), TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  REQUIRE(fine.handshake().empty());
  fine.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + std::string(7000, 'a') + "\r\n\r\n");
  CHECK(fine.read_http_head().rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("names and texts with C1 controls or bidi overrides are refused and change nothing", "[protocol][text]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture p(server);
  auto ada = login(server, p.coordinator_key);
  for (const char* name : {"Grads \xE2\x80\xAEgnp.exe", "Grads\xC2\x85", "Grads \xE2\x81\xA6x\xE2\x81\xA9", "\xE2\x80\x8FGrads"}) {
    INFO(name);
    auto r = ada->request("programme.create", json::object{{"name", name}});
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == wire::ErrorCode::invalid_field);
    CHECK(r.status().field() == "name");
  }
  CHECK(ok(*ada, "programme.list").at("programmes").as_array().size() == 1);
  CHECK(ok(*ada, "programme.create", json::object{{"name", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D Grads"}}).at("programme").is_object());
}
