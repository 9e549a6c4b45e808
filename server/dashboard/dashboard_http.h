#pragma once
// The coordinator dashboard's HTTP side, with no Beast in it: server/net/listener.cpp hands over
// what it read and writes back what this returns.
//
//   GET  /dashboard/login?token=T   a one-time link from `mentorlink dashboard`: the token dies,
//                                   a session cookie (Secure, HttpOnly, SameSite=Strict) is set
//   GET  /dashboard/                the page; /dashboard/app.js, /dashboard/app.css its assets
//   GET  /dashboard/api/overview    the programme report (same allow-list, logged per pair)
//   GET  /dashboard/api/access-log  the coordinator's own access-log entries
//   POST /dashboard/logout          needs the session's CSRF token and a same-origin Origin
//   GET  /dashboard/live            WebSocket upgrade for live metadata (authorize_live)
//
// Every response carries a strict Content-Security-Policy and no-store caching.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/api/context.h"

namespace mentorlink::server::dashboard {

inline constexpr std::string_view kPrefix = "/dashboard";
inline constexpr std::string_view kLivePath = "/dashboard/live";
inline constexpr std::string_view kCookieName = "mentorlink_session";
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

// Who a live dashboard socket belongs to.
struct LiveGrant {
  MemberId member = 0;
  ProgrammeId programme = 0;
};

bool handles(std::string_view target);

Response handle(ServerContext& server, const Request& request);

// The session behind an upgrade to kLivePath, if its cookie is valid and its Origin is this host.
wire::Result<LiveGrant> authorize_live(ServerContext& server, const Request& request);

}  // namespace mentorlink::server::dashboard
