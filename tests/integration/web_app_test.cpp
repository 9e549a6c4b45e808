// The web app served at /app/ by the real server over TLS: every byte from the server, under a
// strict Content-Security-Policy, with the bundle's SHA-256 shown and printed by app-hash.
#include <openssl/ssl.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>

#include "protocol/wire/signatures.h"
#include "tests/support/process.h"
#include "tests/support/raw_tls.h"
#include "tests/support/files.h"
#include "tests/support/https_request.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "server/web_app/app_http.h"

using namespace mentorlink;
using namespace mentorlink::test;


TEST_CASE("the server serves the web app at /app/ under a strict policy, with its bundle's hash", "[web-app]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto port = server.port();

  const auto page = https(port, "GET", "/app/");
  REQUIRE(page.status == 200);
  CHECK(page.headers.at("content-type") == "text/html; charset=utf-8");
  const auto& csp = page.headers.at("content-security-policy");
  CHECK(csp.find("default-src 'none'") != std::string::npos);
  CHECK(csp.find("script-src 'self' 'wasm-unsafe-eval';") != std::string::npos);
  CHECK(csp.find("require-trusted-types-for 'script'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("'unsafe-eval'") == std::string::npos);
  CHECK(csp.find("http") == std::string::npos);  // no other host
  CHECK(page.headers.at("x-content-type-options") == "nosniff");
  CHECK(page.headers.at("referrer-policy") == "no-referrer");
  // No inline script: the only script element loads app.js from this server.
  CHECK(page.body.find("<script type=\"module\" src=\"app.js\"></script>") != std::string::npos);
  CHECK(page.body.find("<script") == page.body.rfind("<script"));
  CHECK_FALSE(std::regex_search(page.body, std::regex(R"(\son[a-z]+\s*=)", std::regex::icase)));  // no inline handlers
  CHECK(page.body.find("<p id=\"status\"") != std::string::npos);

  const auto bundle = https(port, "GET", "/app/app.js");
  REQUIRE(bundle.status == 200);
  CHECK(bundle.headers.at("content-type") == "text/javascript; charset=utf-8");
  CHECK(bundle.headers.at("content-security-policy") == csp);
  const auto served_hash = wire::sha256_hex(bundle.body);
  // The build's own bundle, and what app-hash, /app/hash and the page's footer say.
  CHECK(served_hash == read_all(MENTORLINK_WEB_BUILD_DIR "/app.js.sha256").substr(0, 64));
  const auto printed = run_process(MENTORLINK_SERVER_BIN, {"app-hash"});
  CHECK(printed.exit_code == 0);
  CHECK(printed.out == served_hash + "\n");
  CHECK(https(port, "GET", "/app/hash").body == served_hash + "\n");
  CHECK(page.body.find("<code id=\"app-hash\">" + served_hash + "</code>") != std::string::npos);
  CHECK(page.body.find("data-app-sha256=\"" + served_hash + "\"") != std::string::npos);

  const auto style = https(port, "GET", "/app/app.css");
  REQUIRE(style.status == 200);
  CHECK(style.headers.at("content-type") == "text/css; charset=utf-8");
  std::cout << "web app first load: " << page.body.size() + bundle.body.size() + style.body.size()
            << " bytes (page " << page.body.size() << ", app.js " << bundle.body.size() << ", app.css "
            << style.body.size() << "), sha256 " << served_hash << "\n";

  CHECK(https(port, "GET", "/app/index.html").body == page.body);
  CHECK(https(port, "GET", "/app/?lang=da").body == page.body);
  const auto bare = https(port, "GET", "/app");
  CHECK(bare.status == 308);
  CHECK(bare.headers.at("location") == "/app/");
  const auto missing = https(port, "GET", "/app/secret.js");
  CHECK(missing.status == 404);
  CHECK(missing.headers.at("content-security-policy") == csp);
  CHECK(https(port, "GET", "/app/../dashboard/").status != 200);
  CHECK(https(port, "POST", "/app/").status == 405);
  // A browser that holds the bundle revalidates it and gets 304, no bytes; any other copy gets 200.
  CHECK(bundle.headers.at("etag") == "\"" + served_hash + "\"");
  const auto again = https(port, "GET", "/app/app.js", {{"If-None-Match", "\"" + served_hash + "\""}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(https(port, "GET", "/app/app.js", {{"If-None-Match", "\"0\""}}).body == bundle.body);
  CHECK(https(port, "GET", "/app/", {{"If-None-Match", page.headers.at("etag")}}).status == 304);
  const auto head = https(port, "HEAD", "/app/app.js");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  // A browser that accepts gzip gets the build's compressed bundle: the same bytes once inflated,
  // under its own ETag; one that refuses it (q=0) gets the bundle itself.
  CHECK(bundle.headers.count("content-encoding") == 0);
  CHECK(bundle.headers.at("vary") == "Accept-Encoding");
  const auto gzipped = https(port, "GET", "/app/app.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  REQUIRE(gzipped.status == 200);
  CHECK(gzipped.headers.at("content-encoding") == "gzip");
  CHECK(gzipped.headers.at("etag") == "\"" + served_hash + "-gzip\"");
  CHECK(gzipped.body == read_all(MENTORLINK_WEB_BUILD_DIR "/app.js.gz"));
  CHECK(gzipped.body.size() * 2 < bundle.body.size());
  write_file(tmp / "app.js.gz", gzipped.body);
  const auto inflated = run_process("/bin/gzip", {"-dc", (tmp / "app.js.gz").string()});
  CHECK(inflated.exit_code == 0);
  CHECK(inflated.out == bundle.body);
  std::cout << "web app bundle over the wire: " << gzipped.body.size() << " bytes gzipped ("
            << bundle.body.size() << " bytes plain)\n";
  CHECK(https(port, "GET", "/app/app.js", {{"Accept-Encoding", "gzip;q=0"}}).body == bundle.body);
  CHECK(https(port, "GET", "/app/app.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", "\"" + served_hash + "-gzip\""}})
            .status == 304);
}

TEST_CASE("Accept-Encoding: which header values accept gzip", "[web-app]") {
  using server::web_app::accepts_gzip;
  CHECK(accepts_gzip("gzip"));
  CHECK(accepts_gzip("gzip, deflate, br"));
  CHECK(accepts_gzip("br;q=1.0, gzip;q=0.8"));
  CHECK(accepts_gzip(" x-gzip "));
  CHECK(accepts_gzip("*"));
  CHECK(accepts_gzip("gzip;q=0.001"));
  CHECK_FALSE(accepts_gzip(""));
  CHECK_FALSE(accepts_gzip("identity"));
  CHECK_FALSE(accepts_gzip("br, deflate"));
  CHECK_FALSE(accepts_gzip("gzip;q=0"));
  CHECK_FALSE(accepts_gzip("gzip; q=0.000"));
  CHECK_FALSE(accepts_gzip("gzipx"));
}

TEST_CASE("the web app loads in Chromium under its policy, shows its hash, and enrols and logs in from the page",
          "[web-app][browser]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto hash = https(server.port(), "GET", "/app/hash").body.substr(0, 64);
  ChildProcess browser("/usr/bin/env",
                       {"node", "--experimental-global-webcrypto", MENTORLINK_BROWSER_TESTS "/web_app.mjs",
                        "https://localhost:" + std::to_string(server.port()) + "/app/", server.bootstrap("Mia"), hash},
                       tmp / "browser.err");
  const auto bytes = browser.read_line();
  const auto done = browser.read_line();
  const int exit_code = browser.wait();
  INFO(read_all(tmp / "browser.err"));
  REQUIRE(bytes);
  std::cout << "web app in Chromium: " << *bytes << " transferred on first load\n";
  CHECK(done == std::optional<std::string>("done"));
  CHECK(exit_code == 0);
}
