// The web app's core across implementations: the mentee enrols and chats in Chromium
// (tests/browser/web_core.mjs drives the page), the coordinator and the mentor use the real CLI,
// against the real server over TLS. Safety numbers agree between the page and the CLI; chat is
// live both ways; a reload keeps everything after unlocking; the page reconnects by itself after the
// server restarts; a hidden tab notifies; a second tab follows read-only; a canary typed in the page
// never reaches the server's data folder or its log. Prints the figures.
#include <catch2/catch.hpp>
#include <iostream>
#include <memory>
#include <random>

#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/process.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper.h"
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

// A server with coordinator Ada and mentor Maria (and Mallory, in no pair) on the CLI, and the
// page driver SCRIPT started with the mentee Mia's invite and mode, enrolled and paired.
struct BrowserPairWorld {
  BrowserPairWorld(const std::string& script, const std::string& mode)
      : server(tmp / "data"), ada(tmp / "ada"), maria(tmp / "maria"), mallory(tmp / "mallory") {
    const std::string ca = test_ca_file();
    REQUIRE(ada.enroll(server.url(), server.bootstrap("Ada"), ca).exit_code == 0);
    programme = std::to_string(ada.json({"programme", "create", "--name", "Programme"}).at("programme").at("id").as_int64());
    REQUIRE(maria.enroll(server.url(), invite("Maria"), ca).exit_code == 0);
    REQUIRE(mallory.enroll(server.url(), invite("Mallory"), ca).exit_code == 0);
    page = std::make_unique<ChildProcess>(
        "/usr/bin/env",
        std::vector<std::string>{"node", std::string(MENTORLINK_BROWSER_TESTS "/") + script,
                                 "https://localhost:" + std::to_string(server.port()) + "/app/",
                                 MENTORLINK_TEST_ARTIFACTS, invite("Mia"), mode},
        err, Environment{}, true);
    REQUIRE(next_step(*page, err) == "enrolled");
    pair = std::to_string(ada.json({"pair", "create", "--programme", programme, "--mentor", "Maria", "--mentee", "Mia"})
                              .at("pair").at("id").as_int64());
    page->write_stdin("paired " + pair + "\n");
  }

  std::string invite(const std::string& name) const {
    return std::string(ada.json({"invite", "--programme", programme, "--name", name}).at("code").as_string());
  }
  std::string step() { return next_step(*page, err); }

  TempDir tmp;
  ServerProcess server;
  Cli ada;
  Cli maria;
  Cli mallory;
  std::string programme;
  std::string pair;
  std::filesystem::path err = tmp / "page.err";
  std::unique_ptr<ChildProcess> page;
};

}  // namespace

TEST_CASE("web app: a mentee in the browser and a mentor on the CLI enrol, compare safety numbers and chat live",
          "[web-app][browser][web-core][sqlite]") {
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
  server.stop();
  page.write_stdin("stopped\n");
  REQUIRE(next_step(page, err) == "offline-seen");
  server.start();
  page.write_stdin("restarted\n");
  REQUIRE(next_step(page, err) == "reconnected");
  REQUIRE(maria.json({"send", pair, "After the restart"}).at("seq").as_int64() >= 1);
  page.write_stdin("cli-sent-3\n");
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

TEST_CASE("5 and 23 in the browser: altered, withheld and swapped messages are shown as such where they were",
          "[attack][web-app][browser][web-core][sqlite]") {
  BrowserPairWorld w("web_attack.mjs", "envelopes");
  REQUIRE(w.step() == "offline");
  for (const auto* text : {"one", "two", "three", "four", "five", "six"}) {
    REQUIRE(w.maria.run({"send", w.pair, text}).exit_code == 0);
  }
  {
    // Bodies are read from the file at every sync: the running server hands out what is there.
    Tamper t(w.tmp / "data");
    const std::string seq = " WHERE id = (SELECT id FROM envelope_log WHERE seq = ";
    t.exec("DELETE FROM envelope_bodies" + seq + "2)");                                        // withheld
    t.exec("UPDATE envelope_bodies SET body = CAST(body AS BLOB) || X'00'" + seq + "3)");  // altered
    t.exec("UPDATE envelope_bodies SET id = -1" + seq + "5)");                              // swapped
    t.exec("UPDATE envelope_bodies SET id = (SELECT id FROM envelope_log WHERE seq = 5)" + seq + "6)");
    t.exec("UPDATE envelope_bodies SET id = (SELECT id FROM envelope_log WHERE seq = 6) WHERE id = -1");
  }
  w.page->write_stdin("tampered\n");
  CHECK(w.step() == "checked");
  CHECK(w.step() == "done");
  w.page->close_stdin();
  CHECK(w.page->wait() == 0);
}

TEST_CASE("9 in the browser: a substituted partner key stops sending, with a warning and the new number",
          "[attack][web-app][browser][web-core][sqlite]") {
  BrowserPairWorld w("web_attack.mjs", "key");
  REQUIRE(w.step() == "pinned");
  {
    Tamper t(w.tmp / "data");
    const std::string maria = "(SELECT id FROM members WHERE display_name = 'Maria')";
    const std::string mallory = "(SELECT id FROM members WHERE display_name = 'Mallory')";
    // Hand out Mallory's keys as if they were Maria's, and claim Maria's identity key is Mallory's.
    t.exec("UPDATE device_keys SET (identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature) = (SELECT identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature FROM device_keys WHERE member_id = " + mallory + ") WHERE member_id = " + maria);
    t.exec("DELETE FROM one_time_prekeys WHERE member_id = " + maria);
    t.exec("UPDATE one_time_prekeys SET member_id = " + maria + " WHERE member_id = " + mallory);
    t.exec("CREATE TEMP TABLE k AS SELECT identity_key FROM members WHERE display_name = 'Mallory'");
    t.exec("UPDATE members SET identity_key = zeroblob(32) WHERE display_name = 'Mallory'");
    t.exec("UPDATE members SET identity_key = (SELECT identity_key FROM k) WHERE display_name = 'Maria'");
  }
  w.page->write_stdin("swapped\n");
  REQUIRE(w.step() == "refused");
  {
    Tamper t(w.tmp / "data");
    CHECK(t.integer("SELECT count(*) FROM envelope_log") == 0);  // nothing left the page
  }
  w.page->write_stdin("counted\n");
  CHECK(w.step() == "accepted");
  CHECK(w.step() == "done");
  w.page->close_stdin();
  CHECK(w.page->wait() == 0);
  Tamper t(w.tmp / "data");
  CHECK(t.integer("SELECT count(*) FROM envelope_log") == 1);  // sent once the person accepted
}
