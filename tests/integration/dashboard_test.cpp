// The coordinator dashboard (issue: web dashboard): a real browser against the real server
// library over TLS, and the sign-in and request rules probed with raw HTTPS requests.
#include <openssl/ssl.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>

#include "tests/support/cli_world.h"
#include "tests/support/files.h"
#include "tests/support/https_request.h"
#include "tests/support/in_process_server.h"
#include "tests/support/process.h"
#include "tests/support/raw_tls.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

std::string path_of(const std::string& url) { return url.substr(url.find("/dashboard")); }

std::string name_value(const std::string& set_cookie) { return set_cookie.substr(0, set_cookie.find(';')); }

std::string origin_of(std::uint16_t port) { return "https://localhost:" + std::to_string(port); }

// What opening a sign-in link shows: the page, its form's target, and the pre-session cookie.
struct SignInPage {
  HttpReply reply;
  std::string action;  // the form's POST target
  std::string login_cookie;  // "mentorlink_login=..."
};

SignInPage open_link(std::uint16_t port, const std::string& url) {
  SignInPage p{https(port, "GET", path_of(url)), "", ""};
  if (p.reply.status != 200) return p;
  const auto& body = p.reply.body;
  const auto start = body.find("action=\"");
  REQUIRE(start != std::string::npos);
  p.action = body.substr(start + 8, body.find('"', start + 8) - start - 8);
  for (auto amp = p.action.find("&amp;"); amp != std::string::npos; amp = p.action.find("&amp;")) {
    p.action.replace(amp, 5, "&");
  }
  p.login_cookie = name_value(p.reply.cookie("mentorlink_login"));
  return p;
}

// The page's button, pressed in the browser that opened it.
HttpReply confirm(std::uint16_t port, const SignInPage& page) {
  return https(port, "POST", page.action, {{"Cookie", page.login_cookie}, {"Origin", origin_of(port)}});
}

// The cookie a successful sign-in sets ("name=value").
std::string sign_in(std::uint16_t port, const std::string& url) {
  const auto page = open_link(port, url);
  REQUIRE(page.reply.status == 200);
  const auto r = confirm(port, page);
  REQUIRE(r.status == 303);
  return name_value(r.cookie("mentorlink_session"));
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

// What `mentorlink whoami` prints after "key fingerprint " (the person's own view of their key).
std::string printed_fingerprint(const Cli& cli) {
  const auto r = cli.run({"whoami"});
  REQUIRE(r.exit_code == 0);
  const std::string label = "\nkey fingerprint ";
  const auto at = r.out.find(label);
  REQUIRE(at != std::string::npos);
  const auto start = at + label.size();
  return r.out.substr(start, r.out.find('\n', start) - start);
}

// The fingerprint the sign-in page shows (#fingerprint), or "" if it shows none.
std::string shown_fingerprint(const std::string& body) {
  const std::string open = "<strong id=\"fingerprint\">";
  const auto at = body.find(open);
  if (at == std::string::npos) return "";
  const auto start = at + open.size();
  return body.substr(start, body.find("</strong>", start) - start);
}

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
                        screenshot.string(), "Ada", printed_fingerprint(d.w.ada)},
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

  // A link works once, through its page's button; the cookie is Secure, HttpOnly, SameSite=Strict.
  const auto url = d.link();
  const auto sign_in_page = open_link(port, url);
  REQUIRE(sign_in_page.reply.status == 200);
  CHECK(sign_in_page.reply.headers.at("content-security-policy").find("form-action 'self'") != std::string::npos);
  const auto first = confirm(port, sign_in_page);
  REQUIRE(first.status == 303);
  CHECK(first.headers.at("location") == "/dashboard/");
  const auto set_cookie = first.cookie("mentorlink_session");
  CHECK(set_cookie.find("Secure") != std::string::npos);
  CHECK(set_cookie.find("HttpOnly") != std::string::npos);
  CHECK(set_cookie.find("SameSite=Strict") != std::string::npos);
  const auto cookie = name_value(set_cookie);
  CHECK(open_link(port, url).reply.status == 403);
  CHECK(confirm(port, sign_in_page).status == 403);
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
  // The dashboard's own access-log API gives entries in the same shape as access_log.list.
  const auto own = https(port, "GET", "/dashboard/api/access-log", {{"Cookie", cookie}});
  REQUIRE(own.status == 200);
  const auto own_entries = json::parse(own.body).at("entries").as_array();
  REQUIRE_FALSE(own_entries.empty());
  const auto& newest = own_entries.front().as_object();
  CHECK(std::to_string(newest.at("pair").as_int64()) == d.w.pair);  // newest first, then by pair
  std::set<std::string> api_keys;
  std::set<std::string> list_keys;
  for (const auto& [key, value] : newest) api_keys.insert(std::string(key));
  for (const auto& [key, value] : log.back().as_object()) list_keys.insert(std::string(key));
  CHECK(api_keys == list_keys);
  CHECK(newest.at("fields").is_array());
  CHECK(newest.at("fields").as_array().size() == 22);
  CHECK(newest.at("fields_text").as_string() == log.back().at("fields_text").as_string());

  // An expired link is refused, also when its page was opened in time.
  const auto stale = d.link();
  const auto stale_page = open_link(port, stale);
  d.clock.advance_ms(6 * kMinute);
  CHECK(open_link(port, stale).reply.status == 403);
  CHECK(confirm(port, stale_page).status == 403);

  // A participant cannot mint a link.
  const auto refused = d.w.maria.run({"dashboard"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("only a coordinator") != std::string::npos);

  // Cross-site POST, missing CSRF token: refused; the right ones sign out.
  const std::string origin = origin_of(port);
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

namespace {

// A raw WebSocket client of /dashboard/live that reads the server's (unmasked) frames.
class LiveSocket {
 public:
  struct Frame {
    int opcode = 0;
    std::string payload;
  };

  LiveSocket(std::uint16_t port, const std::string& cookie) : tls_(port, TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file()) {
    REQUIRE(tls_.handshake().empty());
    const auto host = "localhost:" + std::to_string(port);
    tls_.write("GET /dashboard/live HTTP/1.1\r\nHost: " + host +
               "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://" + host + "\r\nCookie: " + cookie +
               "\r\n\r\n");
    const auto head = tls_.read_http_head();
    REQUIRE(head.rfind("HTTP/1.1 101", 0) == 0);
  }

  std::optional<Frame> next(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto head = tls_.read_exactly(2, timeout);
    if (!head) return std::nullopt;
    Frame f;
    f.opcode = static_cast<unsigned char>((*head)[0]) & 0x0F;
    std::size_t length = static_cast<unsigned char>((*head)[1]) & 0x7F;
    if (length >= 126) {
      const auto extended = tls_.read_exactly(length == 126 ? 2 : 8, timeout);
      if (!extended) return std::nullopt;
      length = 0;
      for (const char c : *extended) length = (length << 8) | static_cast<unsigned char>(c);
    }
    const auto payload = tls_.read_exactly(length, timeout);
    if (!payload) return std::nullopt;
    f.payload = *payload;
    return f;
  }

  // The code of the next frame if it is a close frame; -1 if it is another frame, 0 if none came.
  int close_code(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto f = next(timeout);
    if (!f) return 0;
    if (f->opcode != 0x8 || f->payload.size() < 2) return -1;
    return (static_cast<unsigned char>(f->payload[0]) << 8) | static_cast<unsigned char>(f->payload[1]);
  }

 private:
  RawTls tls_;
};

std::string csrf_of(std::uint16_t port, const std::string& cookie) {
  const auto overview = https(port, "GET", "/dashboard/api/overview", {{"Cookie", cookie}});
  REQUIRE(overview.status == 200);
  return std::string(json::parse(overview.body).at("csrf").as_string());
}

}  // namespace

TEST_CASE("28: the dashboard's live socket closes at logout (4001) and at session expiry (4002)",
          "[attack][dashboard]") {
  Dashboard d;
  const auto port = d.server.port();
  const auto cookie = sign_in(port, d.link());
  LiveSocket live(port, cookie);
  d.hold_meeting(30);
  const auto started = live.next();
  REQUIRE(started);
  CHECK(started->opcode == 0x1);
  CHECK(started->payload.find("meeting.started") != std::string::npos);
  REQUIRE(live.next());  // meeting.ended

  // Signing out (in another tab, say) ends the socket with 4001 at once; nothing follows.
  CHECK(https(port, "POST", "/dashboard/logout",
              {{"Cookie", cookie}, {"Origin", origin_of(port)}, {"X-CSRF-Token", csrf_of(port, cookie)}})
            .status == 204);
  CHECK(live.close_code() == 4001);

  // A session that reaches its 8 hours ends its socket with 4002, by the server's clock.
  const auto later = sign_in(port, d.link());
  LiveSocket expiring(port, later);
  d.clock.advance_ms(8 * 60 * kMinute);
  CHECK(expiring.close_code() == 4002);
  CHECK(https(port, "GET", "/dashboard/api/overview", {{"Cookie", later}}).status == 401);
}

TEST_CASE("33: a dashboard sign-in link cannot sign a victim's browser into someone else's session",
          "[attack][dashboard]") {
  Dashboard d;
  const auto port = d.server.port();
  const auto origin = origin_of(port);
  // Ada makes a link and sends it to a victim. Opening it shows whose account it is and signs nothing in.
  const auto url = d.link();
  const auto victim = open_link(port, url);
  REQUIRE(victim.reply.status == 200);
  CHECK(victim.reply.body.find("<strong id=\"account\">Ada</strong>") != std::string::npos);
  CHECK(victim.reply.body.find("<strong id=\"programme\">Programme</strong>") != std::string::npos);
  CHECK(victim.reply.body.find("If someone sent it to you, close this page") != std::string::npos);
  CHECK(victim.reply.cookie("mentorlink_session").empty());
  const auto login_cookie = victim.reply.cookie("mentorlink_login");
  CHECK(login_cookie.find("Path=/dashboard/login") != std::string::npos);
  CHECK(login_cookie.find("HttpOnly") != std::string::npos);
  CHECK(login_cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(https(port, "GET", "/dashboard/api/overview", {{"Cookie", victim.login_cookie}}).status == 401);

  // Ada's own page (she opened the link too) gives her a confirm value; a cross-site form that
  // posts it from the victim's browser is refused in every variant, and the link stays unused.
  const auto attacker = open_link(port, url);
  REQUIRE(attacker.reply.status == 200);
  CHECK(attacker.action != victim.action);
  for (const auto& headers : std::vector<std::map<std::string, std::string>>{
           {{"Cookie", victim.login_cookie}, {"Origin", "https://evil.example"}},
           {{"Cookie", victim.login_cookie}, {"Origin", "null"}},
           {{"Cookie", victim.login_cookie}},
           {{"Origin", origin}},
           {{"Cookie", victim.login_cookie}, {"Origin", origin}}}) {
    const auto r = https(port, "POST", attacker.action, headers);
    CHECK(r.status == 403);
    CHECK(r.cookie("mentorlink_session").empty());
  }
  CHECK(https(port, "POST", victim.action, {{"Cookie", victim.login_cookie}}).status == 403);  // no Origin
  // Only the browser that showed the page, pressing its button, signs in.
  const auto signed_in = confirm(port, attacker);
  CHECK(signed_in.status == 303);
  CHECK_FALSE(signed_in.cookie("mentorlink_session").empty());

  // A browser signed in as one coordinator is told when a link would switch it to another.
  Cli cora(d.tmp / "cora");
  const auto code = d.w.ada.json({"invite", "--programme", d.w.programme, "--role", "coordinator", "--name", "Cora"});
  REQUIRE(cora.enroll(d.server.url(), std::string(code.at("code").as_string()), test_ca_file()).exit_code == 0);
  const auto cora_link = std::string(cora.json({"dashboard"}).at("url").as_string());
  const auto ada_session = name_value(signed_in.cookie("mentorlink_session"));
  const auto switching = https(port, "GET", path_of(cora_link), {{"Cookie", ada_session}});
  REQUIRE(switching.status == 200);
  CHECK(switching.body.find("<strong id=\"account\">Cora</strong>") != std::string::npos);
  CHECK(switching.body.find("This browser is signed in as <strong>Ada</strong> (key fingerprint " +
                            printed_fingerprint(d.w.ada) + ") now") != std::string::npos);
}

TEST_CASE("33: the sign-in page shows the account's key fingerprint, which an account with the same names cannot copy",
          "[attack][dashboard]") {
  Dashboard d;
  const auto port = d.server.port();

  // Ada's page shows the fingerprint her CLI prints, in whoami and next to the link.
  const auto ada_fingerprint = printed_fingerprint(d.w.ada);
  CHECK(ada_fingerprint.size() == 35);  // six groups of five digits
  const auto ada_link = d.w.ada.json({"dashboard"});
  std::string ada_digits = ada_fingerprint;
  std::erase(ada_digits, ' ');
  CHECK(ada_link.at("key_fingerprint").as_string() == ada_digits);
  const auto ada_text = d.w.ada.run({"dashboard"});
  REQUIRE(ada_text.exit_code == 0);
  CHECK(ada_text.out.find("The page must show your key fingerprint\n\n  " + ada_fingerprint + "\n") !=
        std::string::npos);
  const auto ada_page = open_link(port, std::string(ada_link.at("url").as_string()));
  REQUIRE(ada_page.reply.status == 200);
  CHECK(shown_fingerprint(ada_page.reply.body) == ada_fingerprint);

  // Mallory takes Ada's name and her programme's name; the page's words are the same, its fingerprint is not.
  Cli mallory(d.tmp / "mallory");
  REQUIRE(mallory.enroll(d.server.url(), d.server.bootstrap("Ada"), test_ca_file()).exit_code == 0);
  mallory.json({"programme", "create", "--name", "Programme"});
  const auto mallory_page = open_link(port, std::string(mallory.json({"dashboard"}).at("url").as_string()));
  REQUIRE(mallory_page.reply.status == 200);
  CHECK(mallory_page.reply.body.find("<strong id=\"account\">Ada</strong>") != std::string::npos);
  CHECK(mallory_page.reply.body.find("<strong id=\"programme\">Programme</strong>") != std::string::npos);
  const auto mallory_fingerprint = printed_fingerprint(mallory);
  CHECK(shown_fingerprint(mallory_page.reply.body) == mallory_fingerprint);
  CHECK(mallory_fingerprint != ada_fingerprint);
  CHECK(shown_fingerprint(mallory_page.reply.body) != shown_fingerprint(ada_page.reply.body));
}
