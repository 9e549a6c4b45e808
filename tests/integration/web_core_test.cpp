// The web app's core across implementations: the mentee enrols and chats in Chromium
// (tests/browser/web_core.mjs drives the page), the coordinator and the mentor use the real CLI,
// against the real server over TLS. Safety numbers agree between the page and the CLI; chat is
// live both ways; a reload keeps everything after unlocking; a second tab follows read-only; a
// canary typed in the page never reaches the server's data folder or its log. Prints the figures.
#include <catch2/catch.hpp>
#include <iostream>
#include <random>

#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/process.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;

namespace {

std::string random_canary() {
  std::random_device rd;
  std::string out = "CANARY-web-";
  for (int i = 0; i < 16; ++i) out += "abcdefghijklmnopqrstuvwxyz"[rd() % 26];
  return out;
}

// The next line of the page driver's stdout that is not a figure (figures are printed as they come).
std::string next_step(ChildProcess& page, const std::filesystem::path& err) {
  while (auto line = page.read_line()) {
    if (line->starts_with("figure ")) {
      std::cout << "web app " << line->substr(7) << "\n";
      continue;
    }
    return *line;
  }
  FAIL("the page driver stopped early:\n" << read_all(err));
  return {};
}

}  // namespace

TEST_CASE("web app: a mentee in the browser and a mentor on the CLI enrol, compare safety numbers and chat live",
          "[web-app][browser][web-core]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const std::string ca = test_ca_file();
  Cli ada(tmp / "ada");
  Cli maria(tmp / "maria");
  REQUIRE(ada.enroll(server.url(), server.bootstrap("Ada"), ca).exit_code == 0);
  const auto programme = std::to_string(ada.json({"programme", "create", "--name", "Programme"}).at("programme").at("id").as_int64());
  auto invite = [&](const std::string& name) {
    return std::string(ada.json({"invite", "--programme", programme, "--name", name}).at("code").as_string());
  };
  REQUIRE(maria.enroll(server.url(), invite("Maria"), ca).exit_code == 0);
  const std::string canary = random_canary();
  const auto err = tmp / "page.err";
  ChildProcess page("/usr/bin/env",
                    {"node", MENTORLINK_BROWSER_TESTS "/web_core.mjs",
                     "https://localhost:" + std::to_string(server.port()) + "/app/", MENTORLINK_TEST_ARTIFACTS,
                     invite("Mia"), canary},
                    err, {}, true);

  REQUIRE(next_step(page, err) == "enrolled");
  const auto pair =
      std::to_string(ada.json({"pair", "create", "--programme", programme, "--mentor", "Maria", "--mentee", "Mia"})
                         .at("pair").at("id").as_int64());
  page.write_stdin("paired " + pair + "\n");

  // The page shows the same 60 digits as the CLI.
  const auto safety = next_step(page, err);
  const auto cli_number = std::string(maria.json({"safety-number", pair}).at("safety_number").as_string());
  CHECK(safety == "safety " + cli_number);

  REQUIRE(maria.json({"send", pair, "Hello from the CLI"}).at("seq").as_int64() >= 1);
  page.write_stdin("cli-sent\n");
  REQUIRE(next_step(page, err) == "browser-sent");
  const auto got = maria.json({"sync"}).at("received").as_array();
  REQUIRE(got.size() == 1);
  CHECK(got[0].at("text").as_string() == "The canary " + canary + " sings");
  page.write_stdin("cli-read\n");

  REQUIRE(next_step(page, err) == "reloaded");
  REQUIRE(next_step(page, err) == "two-tabs");
  REQUIRE(maria.json({"send", pair, "While two tabs are open"}).at("seq").as_int64() >= 1);
  page.write_stdin("cli-sent-2\n");
  REQUIRE(next_step(page, err) == "second-tab-sent");
  const auto from_second = maria.json({"sync"}).at("received").as_array();
  REQUIRE(from_second.size() == 1);
  CHECK(from_second[0].at("text").as_string() == "From the second tab");
  page.write_stdin("cli-read-2\n");

  // 1,000 messages from the mentor, through one live CLI chat.
  REQUIRE(next_step(page, err) == "ready-for-1000");
  {
    ChildProcess chat(MENTORLINK_CLI_BIN, {"--home", maria.home().string(), "chat", pair}, tmp / "chat.err",
                      {{"MENTORLINK_PASSPHRASE", kTestPassphrase}}, true);
    for (int i = 1; i <= 1000; ++i) {
      chat.write_stdin("Message number " + std::to_string(i) + "\n");
      bool echoed = false;
      while (auto line = chat.read_line()) {
        if (line->find("you: Message number " + std::to_string(i)) != std::string::npos) {
          echoed = true;
          break;
        }
      }
      REQUIRE(echoed);
    }
    chat.write_stdin("/quit\n");
    CHECK(chat.wait() == 0);
  }
  page.write_stdin("sent-1000\n");
  CHECK(next_step(page, err) == "done");
  page.close_stdin();
  CHECK(page.wait() == 0);

  // The canary typed in the page is nowhere on the server: not in its files, not in its log.
  server.stop();
  CHECK(read_tree(tmp / "data").find(canary) == std::string::npos);
  CHECK(server.log().find(canary) == std::string::npos);
}
