#pragma once
// The participants' web app at /app/ (web/, built by esbuild and compiled in): every byte comes
// from this server, under a strict Content-Security-Policy. server/net/listener.cpp routes here.
//
//   GET /app                      308 to /app/
//   GET /app/, /app/index.html    the page; its footer and data-app-sha256 carry the bundle's SHA-256
//   GET /app/app.js, /app/app.css the bundle (web/dist/app.js; gzip when accepted) and the style sheet
//   GET /app/call_worker.js       the call's frame worker (web/src/client/call_worker.js), bundled alike
//   GET /app/favicon.svg          the icon
//   GET /app/hash                 the bundle's SHA-256, hex, as `mentorlink-server app-hash` prints it
//
// Cache-Control no-cache: every use revalidates, so a new server version is never served stale.
// The invite code of a link /app/#invite=CODE is in the fragment, which browsers never send.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mentorlink::server::web_app {

inline constexpr std::string_view kPrefix = "/app";

struct Reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

bool handles(std::string_view target);

// if_none_match: the request's If-None-Match header, if any. Every file carries an ETag (its
// SHA-256), so a browser revalidates with 304 instead of downloading the bundle again.
// accept_encoding: the request's Accept-Encoding; app.js goes gzip-compressed when it accepts gzip.
Reply handle(std::string_view method, std::string_view target, std::string_view if_none_match = {},
             std::string_view accept_encoding = {});

// Whether an Accept-Encoding header value accepts gzip ("gzip", "x-gzip" or "*", with no q=0).
bool accepts_gzip(std::string_view accept_encoding);

// SHA-256 of the served app.js, 64 lowercase hex digits.
const std::string& bundle_sha256();

}  // namespace mentorlink::server::web_app
