#include "server/web_app/app_http.h"

#include "protocol/wire/signatures.h"
#include "server/web_app/app_assets.h"

namespace mentorlink::server::web_app {
namespace {

// No inline script, no eval. 'wasm-unsafe-eval' is there only because libsodium (npm
// libsodium-wrappers-sumo) compiles its WebAssembly module; it allows no JavaScript eval.
// Trusted Types with no policy: the app can never assign a string as HTML.
constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'";

constexpr std::string_view kHashPlaceholder = "@APP_SHA256@";

Reply reply(int status, std::string_view content_type, std::string body) {
  return Reply{status,
               {{"Content-Type", std::string(content_type)},
                {"Content-Security-Policy", std::string(kCsp)},
                {"X-Content-Type-Options", "nosniff"},
                {"X-Frame-Options", "DENY"},
                {"Referrer-Policy", "no-referrer"},
                {"Cross-Origin-Opener-Policy", "same-origin"},
                {"Cross-Origin-Resource-Policy", "same-origin"},
                // A new server version serves a new bundle: never a stale copy.
                {"Cache-Control", "no-cache"}},
               std::move(body)};
}

const std::string& index_html() {
  static const std::string page = [] {
    std::string out(asset_index_html());
    for (auto at = out.find(kHashPlaceholder); at != std::string::npos; at = out.find(kHashPlaceholder, at)) {
      out.replace(at, kHashPlaceholder.size(), bundle_sha256());
    }
    return out;
  }();
  return page;
}

}  // namespace

bool handles(std::string_view target) {
  const auto path = target.substr(0, target.find('?'));
  return path == kPrefix || path.starts_with(std::string(kPrefix) + "/");
}

const std::string& bundle_sha256() {
  static const std::string hash = wire::sha256_hex(asset_app_js());
  return hash;
}

Reply handle(std::string_view method, std::string_view target) {
  if (method != "GET" && method != "HEAD") {
    auto out = reply(405, "text/plain; charset=utf-8", "method not allowed\n");
    out.headers.emplace_back("Allow", "GET, HEAD");
    return out;
  }
  const auto path = target.substr(0, target.find('?'));
  if (path == kPrefix) {
    auto out = reply(308, "text/plain; charset=utf-8", "the app is at /app/\n");
    out.headers.emplace_back("Location", "/app/");
    return out;
  }
  const auto file = path.substr(kPrefix.size() + 1);
  if (file.empty() || file == "index.html") return reply(200, "text/html; charset=utf-8", index_html());
  if (file == "app.js") return reply(200, "text/javascript; charset=utf-8", std::string(asset_app_js()));
  if (file == "app.css") return reply(200, "text/css; charset=utf-8", std::string(asset_app_css()));
  if (file == "favicon.svg") return reply(200, "image/svg+xml", std::string(asset_favicon_svg()));
  if (file == "hash") return reply(200, "text/plain; charset=utf-8", bundle_sha256() + "\n");
  return reply(404, "text/plain; charset=utf-8", "not found\n");
}

}  // namespace mentorlink::server::web_app
