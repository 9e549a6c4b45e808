// The meeting cycle across implementations: the mentee in the web app (headless Chromium driving
// the page the real server serves over TLS, tests/browser/web_meeting.mjs) and the mentor with the
// real CLI. The test owns the server and the CLI homes; the browser script prints a line after
// each of its steps and waits for a line from here before the next, so each side acts only after
// the other has done its part. No sleeps: every wait is for a line or for the page to change.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/process.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

namespace {

// A programme made with the CLI: coordinator Ada, mentor Maria (on the CLI, or with an invite to
// enrol in the browser too), and an invite for Tom, who enrols in the browser. Meetings count as
// held after one minute of both being present.
struct WebPair {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  Cli ada{tmp / "ada"};
  Cli maria{tmp / "maria"};
  std::string programme;
  std::string tom_invite;
  std::string maria_invite;  // when Maria enrols in the browser
  std::string pair;

  explicit WebPair(bool maria_on_cli = true) {
    const auto ca = test_ca_file();
    REQUIRE(ada.enroll(server.url(), server.bootstrap("Ada"), ca).exit_code == 0);
    programme = std::to_string(
        ada.json({"programme", "create", "--name", "Graduates", "--min-held-minutes", "1"}).at("programme").at("id").as_int64());
    const auto invite = [&](const std::string& name) {
      return std::string(ada.json({"invite", "--programme", programme, "--name", name}).at("code").as_string());
    };
    if (maria_on_cli) {
      REQUIRE(maria.enroll(server.url(), invite("Maria"), ca).exit_code == 0);
    } else {
      maria_invite = invite("Maria");
    }
    tom_invite = invite("Tom");
  }

  std::string app_url() const { return "https://localhost:" + std::to_string(server.port()) + "/app/"; }

  void form_pair() {
    pair = std::to_string(ada.json({"pair", "create", "--programme", programme, "--mentor", "Maria", "--mentee", "Tom"})
                              .at("pair").at("id").as_int64());
  }
};

// The browser script for scenario, with a pipe each way.
struct Browser {
  Browser(const WebPair& w, const std::string& scenario)
      : err(w.tmp / "browser.err"),
        child("/usr/bin/env",
              {"node", "--experimental-global-webcrypto", MENTORLINK_BROWSER_TESTS "/web_meeting.mjs", scenario, w.app_url(),
               w.tom_invite, MENTORLINK_TEST_ARTIFACTS, w.maria_invite},
              err, {}, true) {}

  // The browser's next line, which must start with `step` (the rest of it is returned).
  std::string expect(const std::string& step) {
    const auto line = child.read_line();
    INFO("browser stderr:\n" << read_all(err));
    REQUIRE(line.has_value());
    REQUIRE(line->rfind(step, 0) == 0);
    return line->size() > step.size() ? line->substr(step.size() + 1) : std::string();
  }
  void say(const std::string& line) { child.write_stdin(line + "\n"); }
  void finish() {
    expect("done");
    child.close_stdin();
    const int code = child.wait();
    INFO("browser stderr:\n" << read_all(err));
    CHECK(code == 0);
  }

  std::filesystem::path err;
  ChildProcess child;
};

std::string hex(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const auto b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0f];
  }
  return out;
}

const json::object& row_of(const json::object& report, const std::string& pair) {
  for (const auto& r : report.at("pairs").as_array()) {
    if (std::to_string(r.at("pair").as_int64()) == pair) return r.as_object();
  }
  FAIL("no report row for pair " << pair);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("web app and CLI in one pair: agenda, contract, meeting, feedback, report", "[web-app][browser][meetings]") {
  WebPair w;
  Browser browser(w, "journey");
  browser.expect("enrolled");
  w.form_pair();
  browser.say("paired " + w.pair);

  // The mentee schedules a meeting in the browser (its .ics is checked there) and writes the agenda.
  const auto scheduled = browser.expect("scheduled");  // "MEETING AT_MS", after a reschedule in the page
  const auto meeting = scheduled.substr(0, scheduled.find(' '));
  const auto moved_to = std::stoll(scheduled.substr(scheduled.find(' ') + 1));
  const auto before = w.maria.json({"meeting", "list", w.pair}).at("meetings").as_array();
  REQUIRE(before.size() == 1);
  CHECK(before[0].at("status").as_string() == "scheduled");
  CHECK(before[0].at("scheduled_at").as_int64() == moved_to);
  browser.expect("agenda-written");
  const auto agenda = w.maria.json({"agenda", "show", w.pair, "--meeting", meeting}).at("documents").as_array();
  REQUIRE(agenda.size() == 1);
  CHECK(agenda[0].at("from").as_string() == "partner");
  CHECK(std::string(agenda[0].at("text").as_string()).find("AGENDA-FROM-BROWSER") != std::string::npos);
  // The reverse: the mentor's next version, read and verified in the browser.
  const std::string reply = std::string(agenda[0].at("text").as_string()) + "REPLY-FROM-CLI\n";
  REQUIRE(w.maria.run({"agenda", "set", w.pair, "--meeting", meeting, "--text", reply}).exit_code == 0);
  browser.say("agenda-replied");
  browser.expect("agenda-read");
  // Two edits of version 2: the browser holds an unsaved draft while the mentor saves version 3;
  // the page explains the conflict, keeps the draft, and saves it as version 4 once asked to.
  browser.expect("agenda-draft");
  REQUIRE(w.maria.run({"agenda", "set", w.pair, "--meeting", meeting, "--text", "THIRD-FROM-CLI"}).exit_code == 0);
  browser.say("agenda-v3");
  browser.expect("agenda-resolved");
  const auto resolved = w.maria.json({"agenda", "show", w.pair, "--meeting", meeting}).at("documents").as_array();
  REQUIRE(resolved.size() == 1);
  CHECK(resolved[0].at("version").to_number<std::int64_t>() == 4);
  CHECK(resolved[0].at("text").as_string() == "MY-DRAFT-IN-BROWSER\n");

  // The contract: drafted from the programme's template and signed in the browser, then by the CLI.
  browser.expect("contract-signed");
  const auto shown = w.maria.json({"contract", "show", w.pair});
  CHECK(std::string(shown.at("text").as_string()).find("Between Maria (mentor) and Tom (mentee), in the programme Graduates") !=
        std::string::npos);
  CHECK(std::string(shown.at("text").as_string()).find("CONTRACT-FROM-BROWSER") != std::string::npos);
  const auto signed_ = w.maria.json({"contract", "sign", w.pair, "--version", "1"}).at("contract");
  CHECK(signed_.at("state").as_string() == "signed");
  CHECK(signed_.at("verified").at("me").as_bool());
  CHECK(signed_.at("verified").at("partner").as_bool());
  browser.say("contract-cli-signed");
  browser.expect("contract-both");

  // The meeting: started in the browser, joined from the CLI, held for a minute, ended in the browser.
  browser.expect("started");
  REQUIRE(w.maria.run({"meeting", "join", meeting}).exit_code == 0);
  browser.say("joined");
  browser.expect("ended");
  const auto listed = w.maria.json({"meeting", "list", w.pair}).at("meetings").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("held").as_bool());
  CHECK(listed[0].at("agenda").at("shared_ahead").as_bool());
  REQUIRE(w.maria.run({"sync"}).exit_code == 0);
  const auto during = w.maria.json({"history", w.pair, "--meeting", meeting}).at("messages").as_array();
  REQUIRE(during.size() == 1);
  CHECK(during[0].at("text").as_string() == "CHAT-DURING-MEETING");

  // Feedback both ways.
  browser.expect("feedback-written");
  const auto feedback = w.maria.run({"feedback", "set", w.pair, "--meeting", meeting, "--text", "FEEDBACK-FROM-CLI"});
  INFO(feedback.out << feedback.err);
  REQUIRE(feedback.exit_code == 0);
  bool read_toms = false;
  const auto both = w.maria.json({"feedback", "show", w.pair, "--meeting", meeting});
  for (const auto& d : both.at("documents").as_array()) {
    if (d.at("from").as_string() == "partner") read_toms = d.at("text").as_string().find("FEEDBACK-FROM-BROWSER") != std::string::npos;
  }
  CHECK(read_toms);
  browser.say("feedback-cli");
  browser.expect("feedback-read");

  // The coordinator's report: held, agenda ahead, contract signed, feedback both ways; and the pair
  // sees in the browser that Ada read it, verified.
  const auto report = w.ada.json({"report", "--programme", w.programme, "--format", "json"});
  const auto& row = row_of(report, w.pair);
  CHECK(row.at("meetings_held").as_int64() == 1);
  CHECK(row.at("agenda_ahead_rate").to_number<double>() == Approx(1.0));
  CHECK(row.at("contract_status").as_string() == "signed");
  CHECK(row.at("feedback_rate").to_number<double>() == Approx(1.0));
  browser.say("reported");
  browser.expect("access-log");
  browser.finish();
}

TEST_CASE("11 and 24 in the browser: a document's flipped byte, its rollback, the goals passed off as the reflection, and an "
          "edited access log are each warned about in the page, and nothing of them is shown as genuine",
          "[web-app][browser][attack][sqlite]") {
  WebPair w;
  Browser browser(w, "hostile");
  browser.expect("enrolled");
  w.form_pair();
  REQUIRE(w.maria.run({"goals", "set", w.pair, "--text", "GOALS-V1"}).exit_code == 0);
  REQUIRE(w.maria.run({"goals", "set", w.pair, "--text", "GOALS-V2-GENUINE"}).exit_code == 0);
  REQUIRE(w.ada.run({"report", "--programme", w.programme, "--format", "json"}).exit_code == 0);
  browser.say("paired " + w.pair);
  browser.expect("verified");  // the page shows GOALS-V2-GENUINE, verified, and the access log, verified

  Tamper t(w.tmp / "data");
  // A flipped byte in the newest version's ciphertext.
  auto body = t.blobs("SELECT body FROM document_versions WHERE version = 2").at(0);
  body.back() ^= 0x01;
  t.exec("UPDATE document_versions SET body = X'" + hex(body) + "' WHERE version = 2");
  browser.say("flipped");
  browser.expect("warned-flipped");
  // A rollback: version 2 gone, the document stated as ending at version 1.
  t.exec("DELETE FROM document_versions WHERE version = 2");
  t.exec("UPDATE documents SET latest_version = 1");
  browser.say("rolled-back");
  browser.expect("warned-rolled-back");
  // An access-log entry edited after it was written.
  t.exec("DROP TRIGGER access_log_no_update");
  t.exec("UPDATE access_log SET what = 'nothing to see' WHERE seq = 1");
  browser.say("log-edited");
  browser.expect("warned-log");
  // The pair's goals, relabelled as Tom's private reflection.
  t.exec("UPDATE documents SET kind = 5, owner_id = (SELECT id FROM members WHERE display_name = 'Tom') WHERE kind = 3");
  browser.say("swapped");
  browser.expect("warned-swapped");
  browser.finish();
}

TEST_CASE("two browser members in one pair: agenda, contract signed by both, meeting, feedback both ways",
          "[web-app][browser][meetings]") {
  WebPair w(false);
  Browser browser(w, "two");
  browser.expect("enrolled");
  w.form_pair();
  browser.say("paired " + w.pair);
  browser.expect("cycle");
  // What the server recorded, as metadata: the contract signed, the meeting ended with feedback from both.
  const auto report = w.ada.json({"report", "--programme", w.programme, "--format", "json"});
  CHECK(row_of(report, w.pair).at("contract_status").as_string() == "signed");
  browser.finish();
}
