// The seed's meeting cycle from the real CLI over real TLS: a coordinator publishes a contract
// template; the pair drafts, edits and signs the contract; the mentee writes the agenda two days
// before a scheduled meeting; the meeting is held for 55 minutes; both give feedback. The server
// runs in this process with a clock the test moves (InProcessServer), so days pass in a moment.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <ctime>

#include "tests/support/cli_world.h"
#include "tests/support/files.h"
#include "tests/support/in_process_server.h"
#include "tests/support/iso_time.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

struct Journey {
  TempDir tmp;
  FakeClock clock;
  InProcessServer server{tmp / "data", clock};
  CliPairWorld w{server, tmp.path()};
};

}  // namespace

TEST_CASE("documents journey: template, contract signed by both, agenda two days ahead, 55-minute meeting, feedback both ways",
          "[documents][journey]") {
  Journey j;
  auto& w = j.w;

  // Coordinator: the programme starts with the default template; Ada publishes her own.
  const auto initial = w.ada.json({"template", "list"}).at("templates").as_array();
  REQUIRE(initial.size() == 1);
  CHECK(initial[0].at("name").as_string() == "Mentoring contract");
  write_file(j.tmp / "grads.md", "# Grads contract\n\n{{mentor}} mentors {{mentee}} in {{programme}}.\nWe meet every ___ weeks.\n");
  const auto published = w.ada.json({"template", "publish", "--name", "Grads contract", "--file", (j.tmp / "grads.md").string()});
  const auto template_id = std::to_string(published.at("template").at("id").as_int64());
  CHECK(w.tom.json({"template", "list"}).at("templates").as_array().size() == 2);
  CHECK(w.maria.json({"template", "show", template_id}).at("template").at("text").as_string().find("{{mentee}}") !=
        std::string::npos);

  // The pair: no contract, then a draft from the template with the names filled in.
  CHECK(w.maria.json({"contract", "status", w.pair}).at("contract").at("state").as_string() == "none");
  REQUIRE(w.tom.run({"contract", "draft", w.pair, "--template", template_id}).exit_code == 0);
  auto shown = w.maria.json({"contract", "show", w.pair});
  CHECK(shown.at("version").as_int64() == 1);
  CHECK(shown.at("from").as_string() == "partner");
  CHECK(shown.at("text").as_string() == "# Grads contract\n\nMaria mentors Tom in Programme.\nWe meet every ___ weeks.\n");
  CHECK(shown.at("contract").at("state").as_string() == "draft");

  // Maria edits; Tom signs the new version; an edit after that needs both signatures again.
  write_file(j.tmp / "edited.md", "# Grads contract\n\nMaria mentors Tom in Programme.\nWe meet every 3 weeks.\n");
  REQUIRE(w.maria.run({"contract", "edit", w.pair, "--file", (j.tmp / "edited.md").string()}).exit_code == 0);
  auto one = w.tom.json({"contract", "sign", w.pair, "--version", "2"}).at("contract");
  CHECK(one.at("state").as_string() == "signed_by_one");
  CHECK(one.at("verified").at("me").as_bool());
  CHECK_FALSE(one.at("verified").at("partner").as_bool());
  auto both = w.maria.json({"contract", "sign", w.pair}).at("contract");
  CHECK(both.at("state").as_string() == "signed");
  CHECK(both.at("version").as_int64() == 2);
  CHECK(both.at("signed_at").as_int64() == j.clock.now_ms());
  auto status = w.tom.json({"contract", "status", w.pair}).at("contract");
  CHECK(status.at("state").as_string() == "signed");
  CHECK(status.at("verified").at("me").as_bool());
  CHECK(status.at("verified").at("partner").as_bool());
  CHECK(w.tom.json({"contract", "show", w.pair}).at("text").as_string().find("every 3 weeks") != std::string::npos);

  // The mentee schedules the next meeting two days out and writes the agenda now.
  const std::int64_t written_at = j.clock.now_ms();
  const auto meeting =
      w.tom.json({"meeting", "schedule", w.pair, "--at", iso_utc(written_at + 2 * kDay)}).at("meeting").at("id").as_int64();
  const auto m = std::to_string(meeting);
  REQUIRE(w.tom.run({"agenda", "set", w.pair, "--meeting", m, "--text", "1. My first 90 days\n2. Presenting to the board"})
              .exit_code == 0);
  REQUIRE(w.tom.run({"send", w.pair, "The agenda is up for Thursday."}).exit_code == 0);
  const auto agenda = w.maria.json({"agenda", "show", w.pair, "--meeting", m}).at("documents").as_array();
  REQUIRE(agenda.size() == 1);
  CHECK(agenda[0].at("text").as_string() == "1. My first 90 days\n2. Presenting to the board\n");

  // Two days later: Tom starts, Maria joins a minute after, they talk 55 minutes, Maria ends it.
  j.clock.advance_ms(2 * kDay);
  auto started = w.tom.json({"meeting", "start", w.pair, "--meeting", m}).at("meeting");
  CHECK(started.at("status").as_string() == "started");
  j.clock.advance_ms(kMinute);
  REQUIRE(w.maria.run({"meeting", "join", m}).exit_code == 0);
  j.clock.advance_ms(10 * kMinute);
  REQUIRE(w.tom.run({"send", w.pair, "Shall we start with the board presentation?"}).exit_code == 0);
  j.clock.advance_ms(45 * kMinute);
  auto ended = w.maria.json({"meeting", "end", m}).at("meeting");
  CHECK(ended.at("status").as_string() == "ended");
  CHECK(ended.at("held").as_bool());
  CHECK(ended.at("both_present_ms").as_int64() == 55 * kMinute);
  CHECK(ended.at("agenda").at("shared_ahead").as_bool());
  CHECK(ended.at("agenda").at("ahead_ms").as_int64() == 2 * kDay);
  CHECK(ended.at("feedback_from").as_array().empty());

  // The meeting's live chat is the pair's messages sent while it was under way.
  REQUIRE(w.maria.run({"sync"}).exit_code == 0);
  CHECK(w.maria.json({"history", w.pair}).at("messages").as_array().size() == 2);
  const auto during = w.maria.json({"history", w.pair, "--meeting", m}).at("messages").as_array();
  REQUIRE(during.size() == 1);
  CHECK(during[0].at("text").as_string() == "Shall we start with the board presentation?");

  // Feedback both ways; each reads the other's.
  REQUIRE(w.tom.run({"feedback", "set", w.pair, "--meeting", m, "--text", "Your questions made me think."}).exit_code == 0);
  REQUIRE(w.maria.run({"feedback", "set", w.pair, "--meeting", m, "--text", "Well prepared agenda."}).exit_code == 0);
  const auto for_maria = w.maria.json({"feedback", "show", w.pair, "--meeting", m}).at("documents").as_array();
  REQUIRE(for_maria.size() == 2);
  bool saw_toms = false;
  for (const auto& d : for_maria) {
    if (d.at("from").as_string() == "partner") {
      saw_toms = true;
      CHECK(d.at("text").as_string() == "Your questions made me think.\n");
    }
  }
  CHECK(saw_toms);
  const auto listed = w.maria.json({"meeting", "list", w.pair}).at("meetings").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("feedback_from").as_array().size() == 2);
  CHECK(listed[0].at("held").as_bool());

  // The text view says the same in words.
  const auto text = w.maria.run({"meeting", "list", w.pair});
  CHECK(text.out.find("held: both present for 55 min") != std::string::npos);
  CHECK(text.out.find("agenda shared 2 days ahead") != std::string::npos);
  CHECK(text.out.find("feedback from 2 of 2") != std::string::npos);
}

TEST_CASE("meetings: unscheduled, not held without both, cancel and reschedule rules", "[documents][meetings]") {
  Journey j;
  auto& w = j.w;
  // An unscheduled meeting that only Tom attended is not held.
  const auto solo = w.tom.json({"meeting", "start", w.pair}).at("meeting");
  const auto solo_id = std::to_string(solo.at("id").as_int64());
  CHECK(solo.at("scheduled_at").is_null());
  const auto second = w.maria.run({"meeting", "start", w.pair});
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("already under way") != std::string::npos);
  j.clock.advance_ms(30 * kMinute);
  auto ended = w.tom.json({"meeting", "end", solo_id}).at("meeting");
  CHECK_FALSE(ended.at("held").as_bool());
  CHECK(ended.at("both_present_ms").as_int64() == 0);
  CHECK_FALSE(ended.at("agenda").at("shared_ahead").as_bool());

  // Leaving and rejoining counts only the time both were there.
  const auto m = std::to_string(w.maria.json({"meeting", "start", w.pair}).at("meeting").at("id").as_int64());
  REQUIRE(w.tom.run({"meeting", "join", m}).exit_code == 0);
  j.clock.advance_ms(10 * kMinute);
  REQUIRE(w.tom.run({"meeting", "leave", m}).exit_code == 0);
  j.clock.advance_ms(5 * kMinute);
  REQUIRE(w.tom.run({"meeting", "join", m}).exit_code == 0);
  j.clock.advance_ms(20 * kMinute);
  CHECK(w.tom.json({"meeting", "end", m}).at("meeting").at("both_present_ms").as_int64() == 30 * kMinute);

  // Scheduled meetings can move or be cancelled; a cancelled one cannot start.
  const auto later = iso_utc(j.clock.now_ms() + 7 * kDay);
  const auto s = std::to_string(w.maria.json({"meeting", "schedule", w.pair, "--at", later}).at("meeting").at("id").as_int64());
  const auto moved = w.tom.json({"meeting", "reschedule", s, "--at", iso_utc(j.clock.now_ms() + 8 * kDay)}).at("meeting");
  CHECK(moved.at("scheduled_at").as_int64() == j.clock.now_ms() + 8 * kDay);
  REQUIRE(w.tom.run({"meeting", "cancel", s}).exit_code == 0);
  const auto start_cancelled = w.maria.run({"meeting", "start", w.pair, "--meeting", s});
  CHECK(start_cancelled.exit_code == 1);
  CHECK(start_cancelled.err.find("is cancelled") != std::string::npos);
  const auto past = w.maria.run({"meeting", "schedule", w.pair, "--at", iso_utc(j.clock.now_ms() - kDay)});
  CHECK(past.exit_code == 1);
  CHECK(past.err.find("next five years") != std::string::npos);
  const auto nonsense = w.maria.run({"meeting", "schedule", w.pair, "--at", "next tuesday"});
  CHECK(nonsense.exit_code == 1);
  CHECK(nonsense.err.find("is not a time") != std::string::npos);
  // Feedback opens only after the meeting has ended.
  const auto open = std::to_string(w.maria.json({"meeting", "start", w.pair}).at("meeting").at("id").as_int64());
  const auto early = w.maria.run({"feedback", "set", w.pair, "--meeting", open, "--text", "too early"});
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("once the meeting has ended") != std::string::npos);
}
