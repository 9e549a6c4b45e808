#include "server/dashboard/dashboard_http.h"

#include <boost/json/serialize.hpp>

#include "protocol/wire/base64url.h"
#include "protocol/wire/key_fingerprint.h"
#include "protocol/wire/signatures.h"
#include "server/api/report_builder.h"
#include "server/api/report_views.h"
#include "server/api/views.h"
#include "server/dashboard/assets.h"
#include "server/policy/access.h"

namespace mentorlink::server::dashboard {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// The sign-in page alone has a form, which posts to this server.
constexpr std::string_view kSignInCsp =
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'";
constexpr std::size_t kMaxAccessEntriesShown = 200;

Response reply(int status, std::string_view content_type, std::string body) {
  Response r;
  r.status = status;
  r.headers = {{"Content-Type", std::string(content_type)},
               {"Content-Security-Policy", std::string(kCsp)},
               {"X-Content-Type-Options", "nosniff"},
               // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on
               // the sign-in form and logout, which the Origin check must refuse.
               {"Referrer-Policy", "same-origin"},
               {"Cross-Origin-Opener-Policy", "same-origin"},
               {"Cache-Control", "no-store"}};
  r.body = std::move(body);
  return r;
}

Response text_page(int status, const std::string& sentence) {
  return reply(status, "text/plain; charset=utf-8", sentence + "\n");
}

Response json_reply(int status, const json::object& body) {
  return reply(status, "application/json", json::serialize(body));
}

Response json_error(int status, std::string_view code, const std::string& message) {
  return json_reply(status, json::object{{"error", json::object{{"code", code}, {"message", message}}}});
}

std::string path_of(std::string_view target) { return std::string(target.substr(0, target.find('?'))); }

std::optional<std::string> query_value(std::string_view target, std::string_view key) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto part = rest.substr(0, amp);
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == key) return std::string(part.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name = kCookieName) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    auto part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    if (semi == std::string_view::npos) break;
    header = header.substr(semi + 1);
  }
  return std::nullopt;
}

bool same_origin(const Request& request) { return request.origin == "https://" + request.host; }

std::string new_secret() { return wire::base64url_encode(wire::random_nonce()); }

wire::Result<DashboardSessionRecord> session_of(ServerContext& server, const Request& request) {
  const auto id = cookie_value(request.cookie);
  if (!id || id->size() > 64) return wire::Status::error(ErrorCode::not_authenticated, "no dashboard session");
  return server.store.dashboard_session(wire::context_hash(kSessionContext, *id), server.clock.now_ms());
}

std::string html_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string cookie(std::string_view name, std::string_view value, std::string_view path, std::int64_t max_age_s) {
  return std::string(name) + "=" + std::string(value) + "; Path=" + std::string(path) +
         "; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
}

constexpr std::string_view kLinkRefused =
    "This sign-in link was already used or has expired. Ask for a new one with: mentorlink dashboard";

// A link token from the query, if it has the shape of one.
std::optional<std::string> link_token(const Request& request) {
  auto token = query_value(request.target, "token");
  if (!token || token->empty() || token->size() > 64) return std::nullopt;
  return token;
}

// The member's key fingerprint as the CLI prints it: names can be copied, this cannot.
std::string fingerprint_of(const MemberRecord& member) {
  return wire::format_key_fingerprint(wire::key_fingerprint(member.identity_key));
}

// GET: the link only names whose dashboard it opens. Signing in takes the page's button, in this
// browser (see confirm_sign_in), so a link someone else made cannot sign a browser in unnoticed.
Response sign_in_page(ServerContext& server, const Request& request) {
  const auto token = link_token(request);
  if (!token) return text_page(400, "This sign-in link is incomplete. Ask for a new one with: mentorlink dashboard");
  const TimeMs now = server.clock.now_ms();
  auto link = server.store.dashboard_link(wire::context_hash(kLinkContext, *token), now);
  if (!link.is_ok()) return text_page(403, std::string(kLinkRefused));
  auto member = server.store.member_by_id(link.value().member);
  auto programme = server.store.programme_by_id(link.value().programme);
  if (!member.is_ok() || !programme.is_ok()) return text_page(500, "The sign-in page could not be made.");
  std::string current;
  if (auto session = session_of(server, request); session.is_ok() && session.value().member != link.value().member) {
    auto other = server.store.member_by_id(session.value().member);
    current = "<p class=\"warning\">This browser is signed in as <strong>" +
              html_escaped(other.is_ok() ? other.value().display_name : "someone else") + "</strong>" +
              (other.is_ok() ? " (key fingerprint " + fingerprint_of(other.value()) + ")" : std::string()) +
              " now; continuing signs it in as the account above instead.</p>\n";
  }
  const std::string confirm = new_secret();
  const std::string name = html_escaped(member.value().display_name);
  const std::string fingerprint = fingerprint_of(member.value());
  Response r = reply(200, "text/html; charset=utf-8",
                     "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>mentorlink · sign in to the dashboard</title>\n"
                     "<link rel=\"icon\" href=\"/dashboard/favicon.svg\" type=\"image/svg+xml\">\n"
                     "<link rel=\"stylesheet\" href=\"/dashboard/app.css\">\n</head>\n<body>\n<main class=\"sign-in\">\n"
                     "<h1>Sign in to the dashboard</h1>\n<p>This link signs this browser in as <strong id=\"account\">" +
                         name + "</strong>, coordinator of <strong id=\"programme\">" +
                         html_escaped(programme.value().name) +
                         "</strong>.</p>\n<p>The account's key fingerprint:</p>\n<p class=\"fingerprint\"><strong "
                         "id=\"fingerprint\">" +
                         fingerprint + "</strong></p>\n" + current + "<p>Continue only if you are " + name +
                         ", asked for this link yourself with <code>mentorlink dashboard</code>, and it printed "
                         "this same key fingerprint, all six groups of digits alike (<code>mentorlink whoami</code> shows it too): someone else "
                         "can take your name and your programme's name, never your fingerprint. If someone "
                         "sent it to you, close this page: it would show you their account, not yours.</p>\n"
                         "<form method=\"post\" action=\"/dashboard/login?token=" +
                         html_escaped(*token) + "&amp;confirm=" + confirm +
                         "\">\n<button id=\"confirm\" type=\"submit\">Sign in as " + name +
                         "</button>\n</form>\n</main>\n</body>\n</html>\n");
  for (auto& [header, value] : r.headers) {
    if (header == "Content-Security-Policy") value = std::string(kSignInCsp);
  }
  r.headers.emplace_back("Set-Cookie", cookie(kLoginCookieName, confirm, "/dashboard/login",
                                              server.limits.dashboard_link_ttl.count() / 1000));
  return r;
}

// POST from the sign-in page (same Origin, checked by the caller): the confirm value must equal
// this browser's pre-session cookie; then the token dies and a session opens.
Response confirm_sign_in(ServerContext& server, const Request& request) {
  const auto token = link_token(request);
  const auto confirm = query_value(request.target, "confirm");
  const auto expected = cookie_value(request.cookie, kLoginCookieName);
  if (!token || !confirm || !expected || confirm->empty() ||
      !wire::equal_constant_time(wire::to_bytes(*confirm), wire::to_bytes(*expected))) {
    return text_page(403, "Sign in from the page the link opens, in the same browser. Ask for a new link with: "
                          "mentorlink dashboard");
  }
  const std::string session_id = new_secret();
  const TimeMs now = server.clock.now_ms();
  auto session = server.store.redeem_dashboard_link(wire::context_hash(kLinkContext, *token),
                                                    wire::context_hash(kSessionContext, session_id), new_secret(), now,
                                                    now + server.limits.dashboard_session_ttl.count());
  if (!session.is_ok()) return text_page(403, std::string(kLinkRefused));
  Response r = reply(303, "text/plain; charset=utf-8", "signed in\n");
  r.headers.emplace_back("Location", "/dashboard/");
  r.headers.emplace_back("Set-Cookie", cookie(kCookieName, session_id, "/dashboard",
                                              server.limits.dashboard_session_ttl.count() / 1000));
  r.headers.emplace_back("Set-Cookie", cookie(kLoginCookieName, "", "/dashboard/login", 0));
  return r;
}

Response overview(ServerContext& server, const DashboardSessionRecord& session) {
  auto report = api::programme_report(server, session.member, session.programme, std::nullopt, "dashboard");
  if (!report.is_ok()) return json_error(500, "internal", "the report could not be made");
  return json_reply(200, json::object{{"report", report.value().encode()}, {"csrf", session.csrf}});
}

Response own_access_log(ServerContext& server, const DashboardSessionRecord& session) {
  auto entries = server.store.access_entries_by(session.member, session.programme, kMaxAccessEntriesShown);
  auto enrolments = server.store.enrolments_in(session.programme);
  if (!entries.is_ok() || !enrolments.is_ok()) return json_error(500, "internal", "the access log could not be read");
  const auto names = api::names_of(enrolments.value());
  json::array out;
  for (const auto& e : entries.value()) out.push_back(api::access_entry_view(e, names).encode());
  return json_reply(200, json::object{{"entries", std::move(out)}});
}

}  // namespace

bool handles(std::string_view target) {
  const auto path = path_of(target);
  return path == kPrefix || path.rfind(std::string(kPrefix) + "/", 0) == 0;
}

Response handle(ServerContext& server, const Request& request) {
  const auto path = path_of(request.target);
  if (request.method == "POST") {
    // Cross-site requests never reach a state change: the Origin must be this server, and the
    // session's CSRF token must come in a header (which a form on another site cannot set).
    if (!same_origin(request)) return json_error(403, "forbidden", "cross-site request refused");
    if (path == "/dashboard/login") return confirm_sign_in(server, request);
    if (path != "/dashboard/logout") return json_error(405, "method_not_allowed", "only sign-in and logout are POSTs");
    auto session = session_of(server, request);
    if (!session.is_ok()) return json_error(401, "not_authenticated", "sign in with a link from mentorlink dashboard");
    if (request.csrf.empty() || !wire::equal_constant_time(wire::to_bytes(request.csrf), wire::to_bytes(session.value().csrf))) {
      return json_error(403, "forbidden", "missing or wrong CSRF token");
    }
    const auto session_hash = wire::context_hash(kSessionContext, *cookie_value(request.cookie));
    if (auto ended = server.store.end_dashboard_session(session_hash); !ended.is_ok()) {
      return json_error(500, "internal", "the session could not be ended");
    }
    server.hub.end_lease(session_hash, kLiveClosedSignedOut, "signed out");
    Response r = reply(204, "text/plain; charset=utf-8", "");
    r.headers.emplace_back("Set-Cookie", std::string(kCookieName) +
                                             "=; Path=/dashboard; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    return r;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = json_error(405, "method_not_allowed", "GET, HEAD or POST only");
    r.headers.emplace_back("Allow", "GET, HEAD, POST");
    return r;
  }
  if (path == "/dashboard/login") return sign_in_page(server, request);
  if (path == "/dashboard/app.js") return reply(200, "text/javascript; charset=utf-8", std::string(asset_app_js()));
  if (path == "/dashboard/app.css") return reply(200, "text/css; charset=utf-8", std::string(asset_app_css()));
  if (path == "/dashboard/favicon.svg") return reply(200, "image/svg+xml", std::string(asset_favicon_svg()));
  if (path == "/dashboard") {
    Response r = reply(301, "text/plain; charset=utf-8", "");
    r.headers.emplace_back("Location", "/dashboard/");
    return r;
  }

  auto session = session_of(server, request);
  const bool api = path.rfind("/dashboard/api/", 0) == 0;
  if (!session.is_ok()) {
    return api ? json_error(401, "not_authenticated", "sign in with a link from mentorlink dashboard")
               : text_page(401, "Sign in with the one-time link that `mentorlink dashboard` prints.");
  }
  if (path == "/dashboard/") return reply(200, "text/html; charset=utf-8", std::string(asset_index_html()));
  if (path == "/dashboard/api/overview") return overview(server, session.value());
  if (path == "/dashboard/api/access-log") return own_access_log(server, session.value());
  return api ? json_error(404, "not_found", "no such dashboard resource") : text_page(404, "not found");
}

wire::Result<LiveGrant> authorize_live(ServerContext& server, const Request& request) {
  if (!same_origin(request)) return wire::Status::error(ErrorCode::forbidden, "cross-site WebSocket refused");
  const auto id = cookie_value(request.cookie);
  auto session = session_of(server, request);
  if (!session.is_ok()) return session.status();
  return LiveGrant{session.value().member, session.value().programme, wire::context_hash(kSessionContext, *id),
                   session.value().expires_at};
}

}  // namespace mentorlink::server::dashboard
