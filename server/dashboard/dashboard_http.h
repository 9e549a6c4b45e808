#pragma once
// The coordinator dashboard's HTTP side, with no Beast in it: server/net/listener.cpp hands over
// what it read and writes back what this returns.
//
//   GET  /dashboard/login?token=T   a one-time link from `mentorlink dashboard`: a page naming whose
//                                   account and programme it opens, and a pre-session cookie
//   POST /dashboard/login?token=T&confirm=C
//                                   the page's button: same Origin, and C equal to the pre-session
//                                   cookie, so only the browser that showed the page can sign in
//                                   (no login CSRF); the token dies, a session cookie (Secure,
//                                   HttpOnly, SameSite=Strict) is set
//   GET  /dashboard/                the page; /dashboard/app.js, /dashboard/app.css its assets
//   GET  /dashboard/api/overview    the programme report (same allow-list, logged per pair)
//   GET  /dashboard/api/access-log  the coordinator's own access-log entries
//   POST /dashboard/logout          needs the session's CSRF token and a same-origin Origin
//   GET  /dashboard/live            WebSocket upgrade for live metadata (authorize_live); closed
//                                   with kLiveClosedSignedOut at logout, kLiveClosedExpired at expiry
//
// Every response carries a strict Content-Security-Policy and no-store caching.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/api/context.h"

namespace mentorlink::server::dashboard {

inline constexpr std::string_view kPrefix = "/dashboard";
inline constexpr std::string_view kLivePath = "/dashboard/live";
inline constexpr std::string_view kCookieName = "mentorlink_session";
// The pre-session cookie set by the sign-in page; the confirming POST must carry it.
inline constexpr std::string_view kLoginCookieName = "mentorlink_login";
// WebSocket close codes of the live socket when its session ends.
inline constexpr std::uint16_t kLiveClosedSignedOut = 4001;
inline constexpr std::uint16_t kLiveClosedExpired = 4002;
// How often a live socket compares its session's expiry with the server's clock (it also wakes at
// the expiry itself); with an injected clock, expiry is noticed within this.
inline constexpr std::chrono::milliseconds kLiveExpiryCheck{1000};
// Contexts of the hashes under which link tokens and session ids are stored.
inline constexpr std::string_view kLinkContext = "mentorlink/v1/dashboard-link";
inline constexpr std::string_view kSessionContext = "mentorlink/v1/dashboard-session";

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query
  std::string host;    // the Host header
  std::string origin;  // the Origin header, if any
  std::string cookie;  // the Cookie header, if any
  std::string csrf;    // the X-CSRF-Token header, if any
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Who a live dashboard socket belongs to, and under which session (which ends at logout or expires_at).
struct LiveGrant {
  MemberId member = 0;
  ProgrammeId programme = 0;
  wire::Hash session{};
  TimeMs expires_at = 0;
};

bool handles(std::string_view target);

Response handle(ServerContext& server, const Request& request);

// The session behind an upgrade to kLivePath, if its cookie is valid and its Origin is this host.
wire::Result<LiveGrant> authorize_live(ServerContext& server, const Request& request);

}  // namespace mentorlink::server::dashboard
