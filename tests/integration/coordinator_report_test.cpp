// The coordinator's view (issue: coordinator report). Seven weeks of a programme are simulated
// through the server library's injected clock with the real CLI over real TLS: one pair meeting
// on cadence with agendas, contract and feedback; one meeting without agendas or contract; one
// that never met; and an unmatched participant. The report's numbers and at-risk reasons are
// asserted exactly; CSV and JSON agree; no coordinator output carries content or ciphertext; the
// pair's access log shows every read, and a tampered or cut log is caught.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <ctime>
#include <regex>
#include <set>
#include <sstream>

#include "client-cli/lib/limits.h"
#include "tests/support/cli_world.h"
#include "tests/support/in_process_server.h"
#include "tests/support/iso_time.h"
#include "tests/support/process.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;
const std::string kCanary = "CANARY-report-5e2f-career-change";

void ok(const ProcessResult& r) {
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

std::string id_of(const json::object& o, const char* what) { return std::to_string(o.at(what).at("id").as_int64()); }

struct Programme {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path(), {"Ana", "Ben", "Cleo", "Dan", "Eve"}};
  std::string pair2;
  std::string pair3;
  std::int64_t t0 = 0;

  Cli& cli(const std::string& name) { return w.others.at(name); }

  std::string form(const std::string& mentor, const std::string& mentee) {
    return id_of(w.ada.json({"pair", "create", "--mentor", mentor, "--mentee", mentee}), "pair");
  }

  // Pair 1 (Maria mentors Tom): scheduled two days out, agenda now, held 60 minutes, feedback both ways.
  void meeting_on_cadence() {
    const auto m = id_of(w.tom.json({"meeting", "schedule", w.pair, "--at", iso_utc(clock.now_ms() + 2 * kDay)}), "meeting");
    ok(w.tom.run({"agenda", "set", w.pair, "--meeting", m, "--text", "1. " + kCanary}));
    clock.advance_ms(2 * kDay);
    ok(w.tom.run({"meeting", "start", w.pair, "--meeting", m}));
    ok(w.maria.run({"meeting", "join", m}));
    clock.advance_ms(60 * kMinute);
    ok(w.maria.run({"meeting", "end", m}));
    ok(w.tom.run({"feedback", "set", w.pair, "--meeting", m, "--text", "Thank you"}));
    ok(w.maria.run({"feedback", "set", w.pair, "--meeting", m, "--text", "Good agenda"}));
  }

  // Pair 2 (Ana mentors Ben): an unscheduled 30-minute meeting, no agenda, no feedback.
  void meeting_without_agenda() {
    const auto m = id_of(cli("Ben").json({"meeting", "start", pair2}), "meeting");
    ok(cli("Ana").run({"meeting", "join", m}));
    clock.advance_ms(30 * kMinute);
    ok(cli("Ana").run({"meeting", "end", m}));
  }

  Programme() {
    t0 = clock.now_ms();
    ok(w.ada.run({"programme", "cadence", "--days", "21"}));
    pair2 = form("Ana", "Ben");
    pair3 = form("Cleo", "Dan");
    ok(w.tom.run({"contract", "draft", w.pair}));
    ok(w.tom.run({"contract", "sign", w.pair}));
    ok(w.maria.run({"contract", "sign", w.pair}));
    ok(w.tom.run({"send", w.pair, kCanary}));
    meeting_on_cadence();        // started at t0 + 2 days
    meeting_without_agenda();    // started at t0 + 2 days + 60 minutes
    clock.advance_ms(t0 + 21 * kDay - clock.now_ms());
    meeting_on_cadence();        // t0 + 23 days
    meeting_without_agenda();    // t0 + 23 days + 60 minutes
    clock.advance_ms(t0 + 42 * kDay - clock.now_ms());
    meeting_on_cadence();        // t0 + 44 days
    clock.advance_ms(t0 + 50 * kDay - clock.now_ms());
  }
};

const json::object& row(const json::object& report, const std::string& pair) {
  for (const auto& r : report.at("pairs").as_array()) {
    if (std::to_string(r.at("pair").as_int64()) == pair) return r.as_object();
  }
  FAIL("no row for pair " << pair);
  throw std::logic_error("unreachable");
}

std::vector<std::string> rules(const json::object& r) {
  std::vector<std::string> out;
  for (const auto& reason : r.at("risk_reasons").as_array()) out.emplace_back(reason.at("rule").as_string());
  return out;
}

// Every key the coordinator's report may carry, at every level; and no content or ciphertext.
void expect_only_metadata(const json::value& v, const std::set<std::string>& allowed) {
  if (v.is_object()) {
    for (const auto& [key, value] : v.as_object()) {
      INFO("field " << std::string(key));
      CHECK(allowed.count(std::string(key)) == 1);
      expect_only_metadata(value, allowed);
    }
  } else if (v.is_array()) {
    for (const auto& e : v.as_array()) expect_only_metadata(e, allowed);
  } else if (v.is_string()) {
    const std::string s(v.as_string());
    CHECK(s.find("CANARY") == std::string::npos);
    CHECK_FALSE(std::regex_match(s, std::regex("[A-Za-z0-9_-]{40,}")));  // no base64url blobs
  }
}

}  // namespace

TEST_CASE("coordinator report: seven weeks of three pairs, exact numbers and at-risk reasons", "[report][journey]") {
  Programme p;
  const auto report = p.w.ada.json({"report"});
  CHECK(report.at("programme").at("cadence_days").as_int64() == 21);
  const auto& totals = report.at("totals").as_object();
  CHECK(totals.at("participants").as_int64() == 7);
  CHECK(totals.at("coordinators").as_int64() == 1);
  CHECK(totals.at("matched").as_int64() == 6);
  CHECK(totals.at("unmatched").as_int64() == 1);
  CHECK(totals.at("active_pairs").as_int64() == 3);
  CHECK(totals.at("meetings_per_week").as_double() == Approx(0.75));  // 3 held in the last 28 days
  // Twelve weeks ending now: meetings at days 2, 23, 44 (pair 1) and 2, 23 (pair 2) after t0.
  const auto& weeks = totals.at("held_per_week").as_array();
  REQUIRE(weeks.size() == 12);
  CHECK(weeks[0].at("week_start").as_int64() == p.clock.now_ms() - 84 * kDay);
  std::vector<std::int64_t> held_per_week;
  for (const auto& w : weeks) held_per_week.push_back(w.at("held").as_int64());
  CHECK(held_per_week == std::vector<std::int64_t>{0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 1});

  const auto& on_cadence = row(report, p.w.pair);
  CHECK(on_cadence.at("mentor").at("name").as_string() == "Maria");
  CHECK(on_cadence.at("meetings_held").as_int64() == 3);
  CHECK(on_cadence.at("held_last_30_days").as_int64() == 2);
  CHECK(on_cadence.at("held_last_90_days").as_int64() == 3);
  const auto& months = on_cadence.at("held_per_month").as_array();
  REQUIRE(months.size() == 3);
  CHECK(months[0].at("month").as_string() == "2027-01");
  CHECK(months[0].at("held").as_int64() == 1);
  CHECK(months[1].at("held").as_int64() == 2);
  CHECK(months[2].at("held").as_int64() == 0);
  CHECK(on_cadence.at("last_meeting_at").as_int64() == p.t0 + 44 * kDay);
  CHECK(on_cadence.at("days_since_last_meeting").as_int64() == 6);
  CHECK(on_cadence.at("mean_interval_days").to_number<double>() == Approx(21.0));
  CHECK(on_cadence.at("mean_duration_minutes").to_number<double>() == Approx(60.0));
  CHECK(on_cadence.at("contract_status").as_string() == "signed");
  CHECK(on_cadence.at("contract_signed_at").as_int64() == p.t0);
  CHECK(on_cadence.at("agenda_ahead_rate").to_number<double>() == Approx(1.0));
  CHECK(on_cadence.at("feedback_rate").to_number<double>() == Approx(1.0));
  CHECK(on_cadence.at("messages_last_30_days").as_string() == "1-9");
  CHECK_FALSE(on_cadence.at("at_risk").as_bool());

  const auto& no_agendas = row(report, p.pair2);
  CHECK(no_agendas.at("meetings_held").as_int64() == 2);
  CHECK(no_agendas.at("mean_duration_minutes").to_number<double>() == Approx(30.0));
  CHECK(no_agendas.at("contract_status").as_string() == "none");
  CHECK(no_agendas.at("agenda_ahead_rate").to_number<double>() == Approx(0.0));
  CHECK(no_agendas.at("feedback_rate").to_number<double>() == Approx(0.0));
  CHECK(no_agendas.at("messages_last_30_days").as_string() == "0");
  CHECK(rules(no_agendas) == std::vector<std::string>{"contract_unsigned", "agendas_late"});

  const auto& never_met = row(report, p.pair3);
  CHECK(never_met.at("meetings_held").as_int64() == 0);
  CHECK(never_met.at("last_meeting_at").is_null());
  CHECK(rules(never_met) == std::vector<std::string>{"no_recent_meeting"});
  CHECK(never_met.at("risk_reasons").at(0).at("why").as_string() ==
        "no meeting held in the 50 days since the pair was formed (cadence: every 21 days)");

  // The table names who needs a nudge; CSV parses and says what JSON says.
  const auto table = p.w.ada.run({"report"});
  CHECK(table.out.find("At risk of stalling:") != std::string::npos);
  CHECK(table.out.find("pair " + p.pair3 + " (Cleo and Dan): no meeting held in the 50 days") != std::string::npos);
  const auto csv = p.w.ada.run({"report", "--format", "csv"});
  std::istringstream lines(csv.out);
  std::string header;
  std::getline(lines, header);
  CHECK(header.rfind("pair,mentor,mentee,formed,status,held,", 0) == 0);
  std::map<std::string, std::vector<std::string>> csv_rows;
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) cells.push_back(std::exchange(cell, {}));
      else cell += c;
    }
    cells.push_back(cell);
    csv_rows[cells[0]] = cells;
  }
  REQUIRE(csv_rows.size() == 3);
  for (const auto& v : report.at("pairs").as_array()) {
    const auto& r = v.as_object();
    const auto& cells = csv_rows.at(std::to_string(r.at("pair").as_int64()));
    CHECK(cells[1] == r.at("mentor").at("name").as_string());
    CHECK(cells[5] == std::to_string(r.at("meetings_held").as_int64()));
    CHECK(cells[13] == r.at("contract_status").as_string());
    CHECK(cells[18] == (r.at("at_risk").as_bool() ? "yes" : "no"));
  }

  // Only allow-listed metadata, no canary, no ciphertext.
  std::set<std::string> allowed{"programme", "id", "name", "cadence_days", "min_held_minutes", "generated_at", "since", "totals", "pairs",
                                "participants", "coordinators", "matched", "unmatched", "active_pairs", "ended_pairs",
                                "meetings_per_week", "held_per_week", "week_start", "month", "held", "rule", "why"};
  for (const char* f : {"pair", "mentor", "mentee", "coordinator_is_member", "formed_at", "status", "ended_at", "meetings_held", "held_last_30_days",
                        "held_last_90_days", "held_per_month", "last_meeting_at", "days_since_last_meeting",
                        "mean_interval_days", "mean_duration_minutes", "contract_status", "contract_signed_at",
                        "agenda_ahead_rate", "feedback_rate", "messages_last_30_days", "at_risk", "risk_reasons"}) {
    allowed.insert(f);
  }
  expect_only_metadata(report, allowed);
  CHECK(table.out.find("CANARY") == std::string::npos);

  // Content stays refused for the coordinator, with the reason.
  for (const auto& args : std::vector<std::vector<std::string>>{{"agenda", "show", p.w.pair, "--meeting", "1"},
                                                                {"contract", "show", p.w.pair},
                                                                {"goals", "show", p.w.pair},
                                                                {"send", p.w.pair, "hello"}}) {
    const auto refused = p.w.ada.run(args);
    INFO(args[0]);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("coordinators see metadata only") != std::string::npos);
  }
}

TEST_CASE("access log: every report and live event a coordinator got, verified; edits and cuts are caught",
          "[report][access-log][sqlite]") {
  Programme p;
  // Ada formed the pair: her pair.create answer carried its metadata.
  const auto formed = p.w.maria.json({"access-log", p.w.pair}).at("entries").as_array();
  REQUIRE(formed.size() == 1);
  CHECK(formed[0].at("what").as_string() == "pair.create");
  const auto report_time = p.clock.now_ms();
  (void)p.w.ada.json({"report"});
  (void)p.w.ada.run({"report", "--format", "csv"});

  // A coordinator watching live: three events about pair 3, each logged for that pair.
  ChildProcess watcher(MENTORLINK_CLI_BIN, {"--home", p.w.ada.home().string(), "watch", "--count", "3"},
                       p.tmp / "watch.err", {{"MENTORLINK_PASSPHRASE", kTestPassphrase}});
  REQUIRE(watcher.read_line().value_or("").rfind("Watching programme", 0) == 0);
  const auto m = id_of(p.cli("Cleo").json({"meeting", "start", p.pair3}), "meeting");
  ok(p.cli("Dan").run({"meeting", "join", m}));
  p.clock.advance_ms(45 * kMinute);
  ok(p.cli("Dan").run({"meeting", "end", m}));
  ok(p.w.ada.run({"pair", "end", p.pair3}));
  std::vector<std::string> events;
  for (int i = 0; i < 3; ++i) events.push_back(watcher.read_line().value_or(""));
  CHECK(watcher.wait() == 0);
  CHECK(events[0].find("meeting.started") != std::string::npos);
  CHECK(events[1].find("meeting.ended, held for 45 min") != std::string::npos);
  CHECK(events[2].find("pair.ended") != std::string::npos);

  const auto cleo_log = p.cli("Cleo").json({"access-log", p.pair3}).at("entries").as_array();
  REQUIRE(cleo_log.size() == 7);  // pair.create, two reports, three events, pair.end
  CHECK(cleo_log[0].at("what").as_string() == "pair.create");
  CHECK(cleo_log[1].at("what").as_string() == "report");
  CHECK(cleo_log[1].at("coordinator").at("name").as_string() == "Ada");
  CHECK(cleo_log[3].at("what").as_string() == "event:meeting.started");
  CHECK(cleo_log[4].at("fields_text").as_string() == "meeting,held,both_present_ms,programme,pair,activity,at");
  const auto& fields = cleo_log[4].at("fields").as_array();
  REQUIRE(fields.size() == 7);
  CHECK(fields[0].as_string() == "meeting");
  CHECK(fields[6].as_string() == "at");
  // Ending the pair answered Ada with its metadata; the event went to her watching connection.
  CHECK(cleo_log[5].at("what").as_string() == "pair.end");
  CHECK(cleo_log[6].at("what").as_string() == "event:pair.ended");

  const auto maria_log = p.w.maria.json({"access-log", p.w.pair}).at("entries").as_array();
  REQUIRE(maria_log.size() == 3);
  CHECK(maria_log[1].at("at").as_int64() == report_time);
  const auto text = p.w.tom.run({"access-log", p.w.pair});
  CHECK(text.out.find("Ada") != std::string::npos);
  CHECK(text.out.find("hash chain verified") != std::string::npos);

  // The server cuts the newest entry: Tom, who saw it, is told.
  {
    Tamper t(p.tmp / "data");
    t.exec("DROP TRIGGER access_log_no_delete");
    t.exec("DROP TRIGGER access_log_no_update");
    t.exec("DELETE FROM access_log WHERE pair_id = " + p.w.pair + " AND seq = 3");
  }
  const auto cut = p.w.tom.run({"access-log", p.w.pair});
  CHECK(cut.exit_code == 1);
  CHECK(cut.err.find("ends at entry 2, before entry 3") != std::string::npos);
  // The server edits what an entry says was read: Cleo is told.
  {
    Tamper t(p.tmp / "data");
    t.exec("UPDATE access_log SET fields = 'pair' WHERE pair_id = " + p.pair3 + " AND seq = 1");
  }
  const auto edited = p.cli("Cleo").run({"access-log", p.pair3});
  CHECK(edited.exit_code == 1);
  CHECK(edited.err.find("entry 1 was changed after it was written") != std::string::npos);
}

TEST_CASE("a server that makes up access log entries without end is refused at the client's limit, and the log "
          "read before still stands",
          "[report][access-log][sqlite]") {
  ServerPairWorld w;
  REQUIRE(w.tom.run({"access-log", w.pair}).exit_code == 0);  // the real log: Tom's device keeps its head
  {  // The server writes the chain's hashes itself, so it can go on past any length.
    Tamper t(w.tmp / "data");
    t.exec("INSERT INTO access_log (pair_id, seq, coordinator_id, at, what, fields, previous_hash, hash) "
           "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i <= " +
           std::to_string(mentorlink::client::kMaxAccessLogEntries) +
           ") SELECT " + w.pair + ", (SELECT max(seq) FROM access_log WHERE pair_id = " + w.pair +
           ") + i, 1, 0, 'report', 'pair', zeroblob(32), zeroblob(32) FROM n");
  }
  const auto endless = w.tom.run({"access-log", w.pair});
  CHECK(endless.exit_code == 1);
  CHECK(endless.err.find("has more than 100000 entries, the most this client reads") != std::string::npos);
  {  // Back to the real log: it still verifies through the entry Tom's device kept.
    Tamper t(w.tmp / "data");
    t.exec("DROP TRIGGER access_log_no_delete");
    t.exec("DELETE FROM access_log WHERE pair_id = " + w.pair + " AND what = 'report' AND at = 0");
  }
  const auto again = w.tom.run({"access-log", w.pair});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("hash chain verified") != std::string::npos);
}

TEST_CASE("the access log cannot be changed through the store: it is append-only", "[report][access-log][sqlite]") {
  Programme p;
  (void)p.w.ada.json({"report"});
  Tamper t(p.tmp / "data");
  CHECK(t.integer("SELECT count(*) FROM access_log") == 6);  // three pair.create, three report
  char* err = nullptr;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((p.tmp / "data" / "mentorlink.db").c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "DELETE FROM access_log", nullptr, nullptr, &err) != SQLITE_OK);
  CHECK(std::string(err != nullptr ? err : "").find("append-only") != std::string::npos);
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST_CASE("reports are for coordinators; cadence has bounds", "[report]") {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path()};
  const auto as_member = w.maria.run({"report"});
  CHECK(as_member.exit_code == 1);
  CHECK(as_member.err.find("only a coordinator of this programme may see its reports") != std::string::npos);
  CHECK(w.tom.run({"watch"}).exit_code == 1);
  CHECK(w.tom.run({"programme", "cadence", "--days", "7"}).exit_code == 1);
  CHECK(w.ada.run({"programme", "cadence", "--days", "0"}).exit_code == 2);
  const auto bad_since = w.ada.run({"report", "--since", "last spring"});
  CHECK(bad_since.exit_code == 1);
  CHECK(bad_since.err.find("is not a date") != std::string::npos);
  // A pair member cannot read another pair's access log, a coordinator cannot read any.
  CHECK(w.ada.run({"access-log", w.pair}).exit_code == 1);
}

namespace {

std::vector<json::value> access_entries(const Cli& member, const std::string& pair) {
  const auto entries = member.json({"access-log", pair}).at("entries").as_array();
  return {entries.begin(), entries.end()};
}

}  // namespace

TEST_CASE("28: coordinator reads through pair.list, pair.create and pair.end are in the pair's access log",
          "[attack][access-log][sqlite]") {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path(), {"Ana", "Ben"}};
  const std::string pair_fields = "id,programme,mentor,mentee,formed_at,status,ended_at,your_role";

  // Ada formed Maria and Tom's pair: her answer carried its metadata.
  auto entries = access_entries(w.maria, w.pair);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].at("what").as_string() == "pair.create");
  CHECK(entries[0].at("coordinator").at("name").as_string() == "Ada");
  CHECK(entries[0].at("fields_text").as_string() == pair_fields);
  CHECK(entries[0].at("fields").as_array().size() == 8);

  // A participant listing the programme's pairs is not a coordinator read; Ada listing them is.
  (void)w.maria.json({"pairs"});
  CHECK(access_entries(w.tom, w.pair).size() == 1);
  const auto listed = w.ada.json({"pairs"});
  REQUIRE(listed.at("pairs").as_array().size() == 1);
  entries = access_entries(w.tom, w.pair);
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].at("what").as_string() == "pair.list");
  CHECK(entries[1].at("at").as_int64() == clock.now_ms());
  CHECK(entries[1].at("fields_text").as_string() == pair_fields);

  // Forming and ending another pair: each answer is logged in that pair's log.
  const auto pair2 = id_of(w.ada.json({"pair", "create", "--mentor", "Ana", "--mentee", "Ben"}), "pair");
  ok(w.ada.run({"pair", "end", pair2}));
  const auto ana_log = access_entries(w.others.at("Ana"), pair2);
  REQUIRE(ana_log.size() == 2);
  CHECK(ana_log[0].at("what").as_string() == "pair.create");
  CHECK(ana_log[1].at("what").as_string() == "pair.end");

  // With the access log unwritable, nothing about a pair reaches the coordinator and nothing changes.
  {
    Tamper t(tmp / "data");
    t.exec("CREATE TRIGGER access_log_offline BEFORE INSERT ON access_log "
           "BEGIN SELECT RAISE(ABORT, 'access log offline'); END");
  }
  const auto list_refused = w.ada.run({"pairs"});
  CHECK(list_refused.exit_code == 1);
  CHECK(list_refused.out.find("Maria") == std::string::npos);
  CHECK(w.ada.run({"pair", "create", "--mentor", "Ben", "--mentee", "Ana"}).exit_code == 1);
  CHECK(w.ada.run({"pair", "end", w.pair}).exit_code == 1);
  {
    Tamper t(tmp / "data");
    CHECK(t.integer("SELECT count(*) FROM pairs") == 2);
    CHECK(t.integer("SELECT count(*) FROM pairs WHERE id = " + w.pair + " AND ended_at IS NULL") == 1);
  }
  // The pair's own members are not coordinators reading it: they go on.
  ok(w.maria.run({"pairs"}));
  ok(w.tom.run({"pair", "end", w.pair}));
}

TEST_CASE("a coordinator who is also a mentor is a member of that pair, and the report says so", "[report][access]") {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path(), {"Ana"}};
  Cli cora(tmp.path() / "cora");
  const auto code = w.ada.json({"invite", "--programme", w.programme, "--role", "coordinator", "--name", "Cora"});
  REQUIRE(cora.enroll(server.url(), std::string(code.at("code").as_string()), test_ca_file()).exit_code == 0);

  // Ada coordinates the programme and mentors Ana: she reads and writes the pair's content as a member.
  const auto own = id_of(w.ada.json({"pair", "create", "--mentor", "Ada", "--mentee", "Ana"}), "pair");
  ok(w.ada.run({"send", own, "Welcome, Ana"}));
  ok(w.others.at("Ana").run({"sync"}));
  const auto history = w.others.at("Ana").run({"history", own});
  INFO(history.out << history.err);
  CHECK(history.out.find("Welcome, Ana") != std::string::npos);
  ok(w.ada.run({"goals", "set", own, "--text", "Shared goals"}));
  // Another coordinator of the programme is refused that content, and Ada is refused Maria and Tom's.
  const auto refused = cora.run({"goals", "show", own});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("coordinators see metadata only") != std::string::npos);
  CHECK(w.ada.run({"send", w.pair, "hello"}).exit_code == 1);

  // Both coordinators' reports mark the pair; the dashboard shows it from the same row.
  for (const Cli* c : {&w.ada, &cora}) {
    const auto report = c->json({"report", "--programme", w.programme});
    CHECK(row(report, own).at("coordinator_is_member").as_bool());
    CHECK_FALSE(row(report, w.pair).at("coordinator_is_member").as_bool());
  }
  const auto table = cora.run({"report", "--programme", w.programme});
  CHECK(table.out.find("A coordinator of this programme is the mentor or mentee, and so reads the content, in pair(s) " +
                       own + ".") != std::string::npos);
}

TEST_CASE("a meeting counts as held after the programme's minimum both-present time, 10 minutes by default",
          "[report][meetings]") {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path()};
  auto hold = [&](std::int64_t ms) {
    const auto m = id_of(w.tom.json({"meeting", "start", w.pair}), "meeting");
    ok(w.maria.run({"meeting", "join", m}));
    clock.advance_ms(ms);
    ok(w.maria.run({"meeting", "end", m}));
    return m;
  };
  auto held_flags = [&] {
    std::vector<bool> out;
    const auto listed = w.tom.json({"meeting", "list", w.pair});
    for (const auto& m : listed.at("meetings").as_array()) out.push_back(m.at("held").as_bool());
    return out;
  };
  auto held_in_report = [&] { return row(w.ada.json({"report"}), w.pair).at("meetings_held").as_int64(); };

  hold(10 * kMinute - 1);
  hold(10 * kMinute);
  CHECK(held_flags() == std::vector<bool>{false, true});
  CHECK(held_in_report() == 1);
  const auto report = w.ada.json({"report"});
  CHECK(report.at("programme").at("min_held_minutes").as_int64() == 10);

  // The coordinator lowers the minimum: the short meeting counts now, in the meetings and the report.
  const auto updated = w.ada.json({"programme", "update", "--min-held-minutes", "5"});
  CHECK(updated.at("programme").at("min_held_minutes").as_int64() == 5);
  CHECK(updated.at("programme").at("cadence_days").as_int64() == 21);
  CHECK(held_flags() == std::vector<bool>{true, true});
  CHECK(held_in_report() == 2);
  ok(w.ada.run({"programme", "update", "--min-held-minutes", "30"}));
  CHECK(held_flags() == std::vector<bool>{false, false});
  // A quiet pair: no meeting held counts, so it is at risk once 1.5 × cadence has passed.
  clock.advance_ms(32 * kDay);
  CHECK(rules(row(w.ada.json({"report"}), w.pair)) == std::vector<std::string>{"no_recent_meeting"});

  // Only coordinators change it; a setting must be named and in range.
  const auto as_member = w.maria.run({"programme", "update", "--programme", w.programme, "--min-held-minutes", "5"});
  CHECK(as_member.exit_code == 1);
  CHECK(as_member.err.find("only a coordinator of this programme may change its settings") != std::string::npos);
  const auto nothing = w.ada.run({"programme", "update"});
  CHECK(nothing.exit_code == 1);
  CHECK(nothing.err.find("Name a setting to change") != std::string::npos);
  CHECK(w.ada.run({"programme", "update", "--min-held-minutes", "0"}).exit_code == 2);
  CHECK(w.ada.run({"programme", "update", "--min-held-minutes", "241"}).exit_code == 2);

  // A new programme takes its minimum and cadence at creation.
  const auto created =
      w.ada.json({"programme", "create", "--name", "Short calls", "--min-held-minutes", "3", "--cadence-days", "7"});
  CHECK(created.at("programme").at("min_held_minutes").as_int64() == 3);
  CHECK(created.at("programme").at("cadence_days").as_int64() == 7);
}
