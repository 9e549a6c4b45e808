// The coordinator dashboard (issue: web dashboard): a real browser against the real server
// library over TLS, and the sign-in and request rules probed with raw HTTPS requests.
#include <openssl/ssl.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "tests/support/cli_world.h"
#include "tests/support/files.h"
#include "tests/support/in_process_server.h"
#include "tests/support/process.h"
#include "tests/support/raw_tls.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

HttpReply https(std::uint16_t port, const std::string& method, const std::string& target,
                const std::map<std::string, std::string>& headers = {}) {
  RawTls tls(port, TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  REQUIRE(tls.handshake().empty());
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: localhost:" + std::to_string(port) + "\r\n";
  if (headers.count("Connection") == 0) request += "Connection: close\r\nContent-Length: 0\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  tls.write(request + "\r\n");
  const auto raw = tls.drain(std::chrono::seconds(10)).bytes;
  HttpReply r;
  const auto head_end = raw.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::istringstream head(raw.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  r.status = std::stoi(line.substr(9, 3));
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(colon + 2);
  }
  r.body = raw.substr(head_end + 4);
  return r;
}

std::string path_of(const std::string& url) { return url.substr(url.find("/dashboard")); }

// The cookie a successful sign-in sets ("name=value").
std::string sign_in(std::uint16_t port, const std::string& url) {
  const auto r = https(port, "GET", path_of(url));
  REQUIRE(r.status == 303);
  const auto cookie = r.headers.at("set-cookie");
  return cookie.substr(0, cookie.find(';'));
}

struct Dashboard {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path(), {"Ana", "Ben"}};
  std::string pair2;

  Dashboard() {
    pair2 = std::to_string(w.ada.json({"pair", "create", "--mentor", "Ana", "--mentee", "Ben"}).at("pair").at("id").as_int64());
    hold_meeting(30);
    clock.advance_ms(40 * kDay);  // Ana and Ben never met: at risk
  }
  void hold_meeting(int minutes) {
    const auto m = std::to_string(w.tom.json({"meeting", "start", w.pair}).at("meeting").at("id").as_int64());
    REQUIRE(w.maria.run({"meeting", "join", m}).exit_code == 0);
    clock.advance_ms(minutes * kMinute);
    REQUIRE(w.maria.run({"meeting", "end", m}).exit_code == 0);
  }
  std::string link() { return std::string(w.ada.json({"dashboard"}).at("url").as_string()); }
};

}  // namespace

TEST_CASE("dashboard in headless Chromium: figures equal the report, live update after a meeting ends",
          "[dashboard][browser]") {
  Dashboard d;
  const auto expected = d.w.ada.json({"report"});
  write_file(d.tmp / "expected.json", json::serialize(expected));
  const auto artifacts = std::filesystem::path(MENTORLINK_TEST_ARTIFACTS);
  std::filesystem::create_directories(artifacts);
  const auto screenshot = artifacts / "dashboard.png";
  std::filesystem::remove(screenshot);

  ChildProcess browser("/usr/bin/env",
                       {"node", MENTORLINK_BROWSER_TESTS "/dashboard.mjs", d.link(), (d.tmp / "expected.json").string(),
                        screenshot.string()},
                       d.tmp / "browser.err", {}, true);
  const auto loaded = browser.read_line();
  INFO(read_all(d.tmp / "browser.err"));
  REQUIRE(loaded == std::optional<std::string>("loaded"));

  d.hold_meeting(45);  // the page should update by itself
  browser.write_stdin(d.w.pair + "\n");
  const auto live = browser.read_line();
  const auto done = browser.read_line();
  browser.close_stdin();
  const int exit_code = browser.wait();
  INFO(read_all(d.tmp / "browser.err"));
  CHECK(live == std::optional<std::string>("live " + d.w.pair));
  CHECK(done == std::optional<std::string>("done"));
  CHECK(exit_code == 0);
  REQUIRE(std::filesystem::exists(screenshot));
  CHECK(std::filesystem::file_size(screenshot) > 10'000);
}

TEST_CASE("dashboard sign-in and requests: cookies, one-time links, CSP, CSRF, Origin", "[dashboard][security]") {
  Dashboard d;
  const auto port = d.server.port();

  // No cookie: 401 for the page and the API.
  CHECK(https(port, "GET", "/dashboard/").status == 401);
  CHECK(https(port, "GET", "/dashboard/api/overview").status == 401);
  // Assets carry no data and are public; every response has the CSP.
  const auto js = https(port, "GET", "/dashboard/app.js");
  CHECK(js.status == 200);
  CHECK(js.headers.at("content-security-policy").find("default-src 'none'; script-src 'self'") == 0);
  CHECK(js.headers.at("x-content-type-options") == "nosniff");

  // A link works once; the cookie is Secure, HttpOnly, SameSite=Strict.
  const auto url = d.link();
  const auto first = https(port, "GET", path_of(url));
  REQUIRE(first.status == 303);
  const auto set_cookie = first.headers.at("set-cookie");
  CHECK(set_cookie.find("Secure") != std::string::npos);
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  const auto cookie = set_cookie.substr(0, set_cookie.find(';'));
  CHECK(https(port, "GET", path_of(url)).status == 403);
  const auto page = https(port, "GET", "/dashboard/", {{"Cookie", cookie}});
  CHECK(page.status == 200);
  CHECK(page.headers.at("content-security-policy").find("frame-ancestors 'none'") != std::string::npos);
  CHECK(page.body.find("<script src=\"/dashboard/app.js\"") != std::string::npos);
  const auto overview = https(port, "GET", "/dashboard/api/overview", {{"Cookie", cookie}});
  REQUIRE(overview.status == 200);
  const auto body = json::parse(overview.body).as_object();
  CHECK(body.at("report").at("pairs").as_array().size() == 2);
  const std::string csrf(body.at("csrf").as_string());
  // What the dashboard showed is in the pairs' access logs.
  const auto log = d.w.maria.json({"access-log", d.w.pair}).at("entries").as_array();
  REQUIRE_FALSE(log.empty());
  CHECK(log.back().at("what").as_string() == "dashboard");

  // An expired link is refused.
  const auto stale = d.link();
  d.clock.advance_ms(6 * kMinute);
  CHECK(https(port, "GET", path_of(stale)).status == 403);

  // A participant cannot mint a link.
  const auto refused = d.w.maria.run({"dashboard"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("only a coordinator") != std::string::npos);

  // Cross-site POST, missing CSRF token: refused; the right ones sign out.
  const std::string origin = "https://localhost:" + std::to_string(port);
  CHECK(https(port, "POST", "/dashboard/logout", {{"Cookie", cookie}, {"Origin", "https://evil.example"},
                                                   {"X-CSRF-Token", csrf}}).status == 403);
  CHECK(https(port, "POST", "/dashboard/logout", {{"Cookie", cookie}, {"Origin", origin}}).status == 403);
  CHECK(https(port, "GET", "/dashboard/api/overview", {{"Cookie", cookie}}).status == 200);
  CHECK(https(port, "POST", "/dashboard/logout", {{"Cookie", cookie}, {"Origin", origin}, {"X-CSRF-Token", csrf}}).status ==
        204);
  CHECK(https(port, "GET", "/dashboard/api/overview", {{"Cookie", cookie}}).status == 401);

  // Sessions expire.
  const auto later = sign_in(port, d.link());
  CHECK(https(port, "GET", "/dashboard/api/overview", {{"Cookie", later}}).status == 200);
  d.clock.advance_ms(8 * 60 * kMinute + 1);
  CHECK(https(port, "GET", "/dashboard/api/overview", {{"Cookie", later}}).status == 401);

  // The live socket checks the Origin and the cookie.
  const auto live = sign_in(port, d.link());
  const std::map<std::string, std::string> upgrade{{"Upgrade", "websocket"}, {"Connection", "Upgrade"},
                                                   {"Sec-WebSocket-Version", "13"},
                                                   {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
  auto with = [&](std::map<std::string, std::string> extra) {
    auto h = upgrade;
    h.insert(extra.begin(), extra.end());
    return h;
  };
  CHECK(https(port, "GET", "/dashboard/live", with({{"Cookie", live}, {"Origin", "https://evil.example"}})).status == 403);
  CHECK(https(port, "GET", "/dashboard/live", with({{"Origin", origin}})).status == 401);
}
