// Login and enrolment from a web page (PROTOCOL.md §4, §5): the web layouts bind the Origin of the
// WebSocket upgrade in place of the TLS exporter. The real server over TLS, with raw WebSocket
// upgrades whose headers a browser would send (or an attacker would choose).
#include <openssl/ssl.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <regex>

#include "protocol/device/identity.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/signatures.h"
#include "tests/support/cli.h"
#include "tests/support/process.h"
#include "tests/support/raw_tls.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

// A WebSocket client of /v1 on raw TLS: the upgrade carries exactly the headers given.
class RawWebSocket {
 public:
  RawWebSocket(std::uint16_t port, const std::map<std::string, std::string>& headers)
      : tls_(port, TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file()) {
    REQUIRE(tls_.handshake().empty());
    std::string request = "GET /v1 HTTP/1.1\r\nHost: localhost:" + std::to_string(port) +
                          "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
    tls_.write(request + "\r\n");
    REQUIRE(tls_.read_http_head().rfind("HTTP/1.1 101", 0) == 0);
  }

  // Sends one request and returns the response frame (events in between are skipped).
  json::object call(std::string_view type, json::object body) {
    const auto id = ++last_id_;
    send_text(json::serialize(json::object{{"id", id}, {"type", type}, {"body", std::move(body)}}));
    for (;;) {
      const auto text = next_text();
      REQUIRE(text);
      auto frame = json::parse(*text).as_object();
      if (frame.contains("id") && frame["id"].is_int64() && frame["id"].as_int64() == id) return frame;
    }
  }

  wire::Nonce hello() {
    auto reply = call("hello", {{"version", 2}});
    REQUIRE(reply["type"] == "result");
    auto decoded = wire::base64url_decode(reply["body"].as_object()["challenge"].as_string());
    REQUIRE(decoded);
    REQUIRE(decoded->size() == 32);
    wire::Nonce nonce{};
    std::copy(decoded->begin(), decoded->end(), nonce.begin());
    return nonce;
  }

 private:
  void send_text(const std::string& payload) {
    std::string frame{'\x81'};
    const std::uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
    if (payload.size() < 126) {
      frame += static_cast<char>(0x80 | payload.size());
    } else {
      frame += static_cast<char>(0x80 | 126);
      frame += static_cast<char>(payload.size() >> 8);
      frame += static_cast<char>(payload.size() & 0xFF);
    }
    frame.append(reinterpret_cast<const char*>(mask), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) frame += static_cast<char>(payload[i] ^ mask[i % 4]);
    tls_.write(frame);
  }

  std::optional<std::string> next_text() {
    for (;;) {
      const auto head = tls_.read_exactly(2, kWait);
      if (!head) return std::nullopt;
      const int opcode = static_cast<unsigned char>((*head)[0]) & 0x0F;
      std::size_t length = static_cast<unsigned char>((*head)[1]) & 0x7F;
      if (length >= 126) {
        const auto extended = tls_.read_exactly(length == 126 ? 2 : 8, kWait);
        if (!extended) return std::nullopt;
        length = 0;
        for (const char c : *extended) length = (length << 8) | static_cast<unsigned char>(c);
      }
      auto payload = tls_.read_exactly(length, kWait);
      if (!payload || opcode == 0x8) return std::nullopt;
      if (opcode == 0x1) return payload;
    }
  }

  RawTls tls_;
  std::int64_t last_id_ = 0;
};

std::string b64(std::span<const std::uint8_t> bytes) { return wire::base64url_encode(bytes); }

json::object web_login_body(const device::IdentityKeyPair& identity, const wire::Nonce& nonce, std::string_view origin) {
  return {{"identity_key", b64(identity.public_key())},
          {"signature", b64(identity.sign(wire::web_login_message(nonce, origin, identity.public_key())))}};
}

json::object web_enroll_body(const device::IdentityKeyPair& identity, const wire::Nonce& nonce, std::string_view origin,
                             const std::string& code) {
  const auto message = wire::web_enroll_message(nonce, origin, identity.public_key(), wire::invite_code_hash(code));
  return {{"invite", code}, {"identity_key", b64(identity.public_key())}, {"signature", b64(identity.sign(message))}};
}

std::string error_code(json::object reply) {
  if (reply["type"] != "error") return "(not an error)";
  return std::string(reply["error"].as_object()["code"].as_string());
}

std::string error_message(json::object reply) {
  if (reply["type"] != "error") return "(not an error)";
  return std::string(reply["error"].as_object()["message"].as_string());
}

struct WebServer {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  std::string origin = "https://localhost:" + std::to_string(server.port());
};

}  // namespace

TEST_CASE("a page at the app's origin enrols and logs in with the web layouts", "[web-login]") {
  WebServer w;
  const auto code = w.server.bootstrap("Ada");
  const auto identity = device::IdentityKeyPair::generate();
  {
    RawWebSocket page(w.server.port(), {{"Origin", w.origin}});
    auto reply = page.call("enroll", web_enroll_body(identity, page.hello(), w.origin, code));
    REQUIRE(reply["type"] == "result");
    CHECK(reply["body"].as_object()["member"].as_object()["name"] == "Ada");
  }
  RawWebSocket page(w.server.port(), {{"Origin", w.origin}});
  auto reply = page.call("login", web_login_body(identity, page.hello(), w.origin));
  REQUIRE(reply["type"] == "result");
  CHECK(reply["body"].as_object()["member"].as_object()["name"] == "Ada");
  CHECK(page.call("whoami", {})["type"] == "result");

  // --app-origin names the app's origin; the default ones are then refused.
  TempDir tmp;
  ServerProcess named(tmp / "data", {"--app-origin", "https://mentoring.example.org"});
  const auto named_code = named.bootstrap("Bo");
  const std::string localhost = "https://localhost:" + std::to_string(named.port());
  RawWebSocket local(named.port(), {{"Origin", localhost}});
  CHECK(error_code(local.call("enroll", web_enroll_body(identity, local.hello(), localhost, named_code))) ==
        "bad_signature");
  RawWebSocket public_page(named.port(), {{"Origin", "https://mentoring.example.org"}});
  CHECK(public_page.call("enroll", web_enroll_body(identity, public_page.hello(), "https://mentoring.example.org",
                                                   named_code))["type"] == "result");
}

TEST_CASE("a web login from another origin, without an Origin, or replayed on another connection is refused",
          "[web-login]") {
  WebServer w;
  const auto code = w.server.bootstrap("Ada");
  const auto identity = device::IdentityKeyPair::generate();

  SECTION("a page at another origin cannot enrol, and the invite stays usable") {
    RawWebSocket evil(w.server.port(), {{"Origin", "https://evil.example"}});
    auto reply = evil.call("enroll", web_enroll_body(identity, evil.hello(), "https://evil.example", code));
    CHECK(error_code(reply) == "bad_signature");
    CHECK(error_message(reply) ==
          "a web enrolment from a page at https://evil.example is refused: this server's web app is at " + w.origin);
    CHECK(error_code(evil.call("whoami", {})) == "not_authenticated");
    // Signed for the app's origin but sent from the other one: the binding does not match.
    auto relayed = evil.call("enroll", web_enroll_body(identity, evil.hello(), w.origin, code));
    CHECK(error_code(relayed) == "bad_signature");
    CHECK(error_message(relayed).find("counts only on a connection opened by the web app's page") != std::string::npos);

    RawWebSocket page(w.server.port(), {{"Origin", w.origin}});
    CHECK(page.call("enroll", web_enroll_body(identity, page.hello(), w.origin, code))["type"] == "result");
  }

  SECTION("with the member enrolled") {
    {
      RawWebSocket page(w.server.port(), {{"Origin", w.origin}});
      REQUIRE(page.call("enroll", web_enroll_body(identity, page.hello(), w.origin, code))["type"] == "result");
    }
    SECTION("wrong Origin") {
      RawWebSocket evil(w.server.port(), {{"Origin", "https://localhost:1"}});
      auto reply = evil.call("login", web_login_body(identity, evil.hello(), "https://localhost:1"));
      CHECK(error_code(reply) == "bad_signature");
      CHECK(error_message(reply).find("a web login from a page at https://localhost:1 is refused") == 0);
      CHECK(error_code(evil.call("whoami", {})) == "not_authenticated");
    }
    SECTION("no Origin header: a web signature is not a login, even naming the app's origin") {
      RawWebSocket tool(w.server.port(), {});
      auto reply = tool.call("login", web_login_body(identity, tool.hello(), w.origin));
      CHECK(error_code(reply) == "bad_signature");
      CHECK(error_message(reply) == "a web login signature counts only on a connection opened by the web app's page "
                                    "(WebSocket upgrade with Origin " + w.origin + ")");
      CHECK(error_code(tool.call("whoami", {})) == "not_authenticated");
    }
    SECTION("a signature made on one connection is refused on another") {
      RawWebSocket first(w.server.port(), {{"Origin", w.origin}});
      RawWebSocket second(w.server.port(), {{"Origin", w.origin}});
      const auto signed_for_first = web_login_body(identity, first.hello(), w.origin);
      second.hello();
      auto reply = second.call("login", signed_for_first);
      CHECK(error_code(reply) == "bad_signature");
      CHECK(error_message(reply) == "the login signature does not verify for this connection");
      CHECK(error_code(second.call("whoami", {})) == "not_authenticated");
      // Its own connection's challenge is still unused, so the signature counts there.
      CHECK(first.call("login", signed_for_first)["type"] == "result");
    }
  }
}

TEST_CASE("mentorlink invite prints a web app link with the code in the fragment, and it enrols", "[web-login][cli]") {
  WebServer w;
  TempDir homes;
  Cli ada(homes / "ada");
  REQUIRE(ada.enroll(w.server.url(), w.server.bootstrap("Ada"), test_ca_file()).exit_code == 0);
  const auto programme =
      std::to_string(ada.json({"programme", "create", "--name", "Programme"}).at("programme").at("id").as_int64());
  const auto printed = ada.run({"invite", "--programme", programme, "--name", "Mia"});
  REQUIRE(printed.exit_code == 0);
  std::smatch link;
  REQUIRE(std::regex_search(printed.out, link, std::regex(R"((https://[^/\s]+)/app/#invite=([a-z2-7]{32})\n)")));
  CHECK(link[1].str() == w.origin);
  const std::string code = link[2].str();
  CHECK(printed.out.find("\n  " + code + "\n") != std::string::npos);  // the code itself, as before

  // What the page at the link does: a web enrolment from the link's origin, with the fragment's code.
  RawWebSocket page(w.server.port(), {{"Origin", link[1].str()}});
  auto reply = page.call("enroll", web_enroll_body(device::IdentityKeyPair::generate(), page.hello(), link[1].str(), code));
  REQUIRE(reply["type"] == "result");
  CHECK(reply["body"].as_object()["member"].as_object()["name"] == "Mia");
}

TEST_CASE("the server option --app-origin takes only an origin a browser would send", "[web-login]") {
  TempDir tmp;
  for (const std::string bad : {"http://localhost:8443", "https://localhost:8443/", "https://localhost:8443/app/",
                                "https://user@localhost", "https://", "localhost:8443"}) {
    const auto r = run_process(MENTORLINK_SERVER_BIN, {"--app-origin", bad, "--data", (tmp / "data").string(), "--port", "0"});
    INFO(bad);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--app-origin") != std::string::npos);
    CHECK(r.err.find("https://") != std::string::npos);  // the sentence says what an origin looks like
  }
}
