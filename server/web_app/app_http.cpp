#include "server/web_app/app_http.h"

#include "protocol/wire/signatures.h"
#include "server/web_app/app_assets.h"

namespace mentorlink::server::web_app {
namespace {

// No inline script, no eval. 'wasm-unsafe-eval' is there only because libsodium (npm
// libsodium-wrappers-sumo) compiles its WebAssembly module; it allows no JavaScript eval.
// Trusted Types with one policy, "mentorlink-call-worker", which turns only the call worker's own
// URL into a script URL (web/src/app/call_session.js): the app can never assign a string as HTML.
constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types mentorlink-call-worker";

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

namespace {

// 200 with the file and its ETag, or 304 when the browser already holds exactly these bytes.
Reply file_reply(std::string_view content_type, std::string_view bytes, const std::string& etag,
                 std::string_view if_none_match) {
  if (if_none_match == etag) {
    auto out = reply(304, content_type, {});
    out.headers.emplace_back("ETag", etag);
    return out;
  }
  auto out = reply(200, content_type, std::string(bytes));
  out.headers.emplace_back("ETag", etag);
  return out;
}

std::string etag_of(std::string_view bytes) { return "\"" + wire::sha256_hex(bytes) + "\""; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The bundle in gzip (content-coding, RFC 9110 §8.4): under its own ETag, and Vary tells caches
// that the coding depends on Accept-Encoding.
Reply bundle_reply(std::string_view accept_encoding, std::string_view if_none_match) {
  static const std::string plain_etag = "\"" + bundle_sha256() + "\"";
  static const std::string gzip_etag = "\"" + bundle_sha256() + "-gzip\"";
  const bool gzip = accepts_gzip(accept_encoding);
  auto out = file_reply("text/javascript; charset=utf-8", gzip ? asset_app_js_gzip() : asset_app_js(),
                        gzip ? gzip_etag : plain_etag, if_none_match);
  if (gzip) out.headers.emplace_back("Content-Encoding", "gzip");
  out.headers.emplace_back("Vary", "Accept-Encoding");
  return out;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const auto semicolon = item.find(';');
    const auto coding = trimmed(item.substr(0, semicolon));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    if (semicolon == std::string_view::npos) return true;
    // "q=0" (or 0.0, 0.00, 0.000) refuses the coding; any other weight accepts it.
    const auto parameter = trimmed(item.substr(semicolon + 1));
    if (!parameter.starts_with("q=") && !parameter.starts_with("Q=")) return true;
    const auto weight = parameter.substr(2);
    const bool zero = !weight.empty() && weight.front() == '0' &&
                      weight.find_first_not_of("0.") == std::string_view::npos;
    if (!zero) return true;
  }
  return false;
}

Reply handle(std::string_view method, std::string_view target, std::string_view if_none_match,
             std::string_view accept_encoding) {
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
  static const std::string index_etag = etag_of(index_html());
  static const std::string css_etag = etag_of(asset_app_css());
  static const std::string icon_etag = etag_of(asset_favicon_svg());
  static const std::string worker_etag = etag_of(asset_call_worker_js());
  if (file.empty() || file == "index.html") {
    return file_reply("text/html; charset=utf-8", index_html(), index_etag, if_none_match);
  }
  if (file == "app.js") return bundle_reply(accept_encoding, if_none_match);
  if (file == "call_worker.js") {
    return file_reply("text/javascript; charset=utf-8", asset_call_worker_js(), worker_etag, if_none_match);
  }
  if (file == "app.css") return file_reply("text/css; charset=utf-8", asset_app_css(), css_etag, if_none_match);
  if (file == "favicon.svg") return file_reply("image/svg+xml", asset_favicon_svg(), icon_etag, if_none_match);
  if (file == "hash") return reply(200, "text/plain; charset=utf-8", bundle_sha256() + "\n");
  return reply(404, "text/plain; charset=utf-8", "not found\n");
}

}  // namespace mentorlink::server::web_app
