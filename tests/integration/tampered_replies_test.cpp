// Attack 32: a hostile server sends malformed replies and events (fields dropped, of the wrong
// type, out of range, truncated frames, dropped frames). A tampering TLS proxy between the real
// CLI and the real server rewrites real replies; the CLI must print a sentence, exit with 1
// (not crash), and leave the device's state file exactly as it was.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "client-cli/lib/home.h"
#include "protocol/device/key_store.h"
#include "tests/support/cli_world.h"
#include "tests/support/files.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper_proxy.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

constexpr std::string_view kUnreadable = "the server sent a reply this client cannot read";

// The member's state file, or "" when it has none.
std::string state_of(const Cli& cli) {
  const auto path = cli.home() / "state.sealed";
  return std::filesystem::exists(path) ? read_all(path) : std::string();
}

// A proxy that logs in as cli's member, with cli's home pointed at it.
std::unique_ptr<TamperProxy> proxy_for(const Cli& cli, const ServerProcess& server) {
  client::Home home(cli.home());
  auto sealed = home.read_key_store();
  REQUIRE(sealed.is_ok());
  auto keys = device::open_key_store(sealed.value(), kTestPassphrase);
  REQUIRE(keys.is_ok());
  auto proxy = std::make_unique<TamperProxy>(server.port(), std::move(keys.value().identity));
  auto config = home.load_config();
  REQUIRE(config.is_ok());
  config.value().server_url = proxy->url();
  REQUIRE(home.save_config(config.value()).is_ok());
  return proxy;
}

// How a row changes the first reply to its request type.
struct Edit {
  std::vector<std::string> path;   // into the frame: "body", "pairs", "0", "mentor", "id"
  std::optional<json::value> with;  // nullopt: the field is removed
};

std::string edit_frame(const std::string& frame, const Edit& edit) {
  json::value root = json::parse(frame);
  json::value* at = &root;
  for (std::size_t i = 0; i + 1 < edit.path.size(); ++i) {
    const auto& key = edit.path[i];
    at = at->is_array() ? &at->as_array().at(std::stoul(key)) : &at->as_object().at(key);
  }
  const auto& last = edit.path.back();
  if (at->is_array()) {
    at->as_array().at(std::stoul(last)) = *edit.with;
  } else if (edit.with) {
    at->as_object()[last] = *edit.with;
  } else {
    at->as_object().erase(last);
  }
  return json::serialize(root);
}

struct Row {
  std::string what;
  std::string answering;  // the request type whose reply is changed, or "event:<name>"
  std::function<std::optional<std::string>(const std::string&)> change;
  std::string expect;  // in stderr
};

Row edited(std::string what, std::string answering, Edit edit, std::string expect = std::string(kUnreadable)) {
  return Row{std::move(what), std::move(answering), [edit](const std::string& f) { return edit_frame(f, edit); },
             std::move(expect)};
}

Row truncated(std::string what, std::string answering) {
  return Row{std::move(what), std::move(answering), [](const std::string& f) { return f.substr(0, f.size() / 2); },
             std::string(kUnreadable)};
}

Row dropped(std::string what, std::string answering) {
  return Row{std::move(what), std::move(answering), [](const std::string&) { return std::nullopt; },
             "the connection"};
}

// Reads the child's stdout until a line contains needle; returns that line.
std::string read_until(ChildProcess& child, const std::string& needle) {
  while (auto line = child.read_line()) {
    if (line->find(needle) != std::string::npos) return *line;
  }
  FAIL("the program ended before printing \"" << needle << "\"");
  return {};
}

std::vector<std::string> path(std::initializer_list<const char*> parts) { return {parts.begin(), parts.end()}; }

// Runs args as cli with row's change applied to every frame answering row.answering; checks the
// sentence, the exit code and that the state file did not change.
void check_row(TamperProxy& proxy, const Cli& cli, const std::vector<std::string>& args, const Row& row) {
  INFO(row.what);
  const auto before = state_of(cli);
  const int tampered_before = proxy.tampered();
  proxy.set_mutation([&row](std::string_view answering, const std::string& frame) -> std::optional<std::string> {
    return answering == row.answering ? row.change(frame) : frame;
  });
  const auto r = cli.run(args);
  proxy.set_mutation(nullptr);
  INFO(r.err);
  CHECK(proxy.tampered() > tampered_before);  // the row really reached the client
  CHECK(r.exit_code == 1);                    // a sentence, not an abort (134) or an uncaught exception
  CHECK(r.err.rfind("mentorlink: ", 0) == 0);
  CHECK(r.err.find(row.expect) != std::string::npos);
  CHECK(state_of(cli) == before);
}

}  // namespace

TEST_CASE("32: malformed, truncated and dropped server replies: a sentence, exit 1, state untouched", "[attack][wire]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  auto maria_proxy = proxy_for(w.maria, server);
  auto tom_proxy = proxy_for(w.tom, server);
  auto ada_proxy = proxy_for(w.ada, server);
  REQUIRE(w.maria.run({"sync"}).exit_code == 0);  // the proxy itself changes nothing
  REQUIRE(!state_of(w.maria).empty());

  SECTION("session set-up and lists") {
    const std::vector<Row> rows{
        edited("hello without a challenge", "hello", {path({"body", "challenge"}), std::nullopt}),
        edited("hello challenge of the wrong length", "hello", {path({"body", "challenge"}), json::value("AAAA")}),
        edited("hello with a body that is not an object", "hello", {path({"body"}), json::value(7)}),
        edited("login result without a member", "login", {path({"body", "member"}), std::nullopt}),
        edited("login member id out of range", "login", {path({"body", "member", "id"}), json::value(0)}),
        edited("login member id far beyond 2^53", "login",
               {path({"body", "member", "id"}), json::value(std::uint64_t{1} << 62)}),
        edited("login member name of the wrong type", "login", {path({"body", "member", "name"}), json::value(42)}),
        truncated("login result cut in half", "login"),
        dropped("login result dropped", "login"),
        edited("pair list not an array", "pair.list", {path({"body", "pairs"}), json::value("none")}),
        edited("pair list entry without its mentor", "pair.list", {path({"body", "pairs", "0", "mentor"}), std::nullopt}),
        edited("pair list mentor id of the wrong type", "pair.list",
               {path({"body", "pairs", "0", "mentor", "id"}), json::value("two")}),
        edited("pair status not one of its words", "pair.list", {path({"body", "pairs", "0", "status"}), json::value("gone")}),
    };
    for (const auto& row : rows) {
      const bool list = row.answering == "pair.list";
      check_row(*maria_proxy, w.maria, list ? std::vector<std::string>{"pairs"} : std::vector<std::string>{"sync"}, row);
    }
  }

  SECTION("the partner's key bundle, the send result, the sync batch") {
    // Maria has no session yet: her first send fetches Tom's bundle.
    for (const auto& row : std::vector<Row>{
             edited("bundle without its identity key", "keys.fetch", {path({"body", "bundle", "identity_key"}), std::nullopt}),
             edited("signed prekey of the wrong length", "keys.fetch",
                    {path({"body", "bundle", "signed_prekey", "key"}), json::value("AAAA")}),
             edited("signed prekey id beyond 32 bits", "keys.fetch",
                    {path({"body", "bundle", "signed_prekey", "id"}), json::value(std::int64_t{1} << 40)}),
             edited("one-time prekey of the wrong type", "keys.fetch",
                    {path({"body", "bundle", "one_time_prekey"}), json::value("yes")}),
             edited("device id out of range", "keys.fetch", {path({"body", "bundle", "device"}), json::value(-3)}),
             truncated("bundle cut in half", "keys.fetch"),
         }) {
      check_row(*maria_proxy, w.maria, {"send", w.pair, "Hello Tom"}, row);
    }

    // The send result cannot be read: the message stays saved for a retry, and a resend whose
    // result cannot be read changes nothing more.
    const Row bad_seq = edited("seq out of range", "message.send", {path({"body", "seq"}), json::value(-1)});
    maria_proxy->set_mutation([&bad_seq](std::string_view answering, const std::string& frame) -> std::optional<std::string> {
      return answering == bad_seq.answering ? bad_seq.change(frame) : frame;
    });
    const auto first = w.maria.run({"send", w.pair, "Hello Tom"});
    maria_proxy->set_mutation(nullptr);
    CHECK(first.exit_code == 1);
    CHECK(first.err.find(kUnreadable) != std::string::npos);
    check_row(*maria_proxy, w.maria, {"sync"}, bad_seq);
    check_row(*maria_proxy, w.maria, {"sync"},
              edited("send result without its time", "message.send", {path({"body", "sent_at"}), std::nullopt}));
    const auto resent = w.maria.json({"sync"});
    CHECK(resent.at("resent").as_array().size() == 1);

    // Tom's sync batch, damaged in every way the decoder bounds.
    json::array too_many(501);
    for (const auto& row : std::vector<Row>{
             edited("envelopes not an array", "message.sync", {path({"body", "envelopes"}), json::value(1)}),
             edited("envelope seq beyond 2^53", "message.sync",
                    {path({"body", "envelopes", "0", "seq"}), json::value(std::int64_t{1} << 60)}),
             edited("envelope body of the wrong type", "message.sync",
                    {path({"body", "envelopes", "0", "body"}), json::value(5)}),
             edited("envelope body not base64url", "message.sync",
                    {path({"body", "envelopes", "0", "body"}), json::value("not base64!")}),
             edited("client id of the wrong length", "message.sync",
                    {path({"body", "envelopes", "0", "client_id"}), json::value("AAAA")}),
             edited("envelope without its pair", "message.sync", {path({"body", "envelopes", "0", "pair"}), std::nullopt}),
             edited("more than 500 envelopes", "message.sync", {path({"body", "envelopes"}), too_many}),
             edited("no more flag", "message.sync", {path({"body", "more"}), std::nullopt}),
             truncated("batch cut in half", "message.sync"),
         }) {
      check_row(*tom_proxy, w.tom, {"sync"}, row);
    }
    // Nothing was lost on the way: the message arrives once, untouched.
    const auto got = w.tom.json({"sync"});
    REQUIRE(got.at("received").as_array().size() == 1);
    CHECK(got.at("received").as_array()[0].at("text").as_string() == "Hello Tom");
  }

  SECTION("events") {
    for (const auto& row : std::vector<Row>{
             edited("activity without its pair", "event:programme.activity", {path({"body", "pair"}), std::nullopt}),
             edited("activity time of the wrong type", "event:programme.activity",
                    {path({"body", "at"}), json::value("now")}),
             edited("activity not one of its words", "event:programme.activity",
                    {path({"body", "activity"}), json::value("\x1b[2Jformed")}),
         }) {
      INFO(row.what);
      const auto before = state_of(w.ada);
      ada_proxy->set_mutation([&row](std::string_view answering, const std::string& frame) -> std::optional<std::string> {
        return answering == row.answering ? row.change(frame) : frame;
      });
      ChildProcess watcher(MENTORLINK_CLI_BIN, {"--home", w.ada.home().string(), "watch", "--count", "1"},
                           tmp / "watch.err", {{"MENTORLINK_PASSPHRASE", kTestPassphrase}});
      REQUIRE(watcher.read_line().value_or("").rfind("Watching programme", 0) == 0);
      const auto meeting = w.maria.json({"meeting", "start", w.pair}).at("meeting").at("id").as_int64();
      CHECK(watcher.wait() == 1);
      ada_proxy->set_mutation(nullptr);
      const auto err = read_all(tmp / "watch.err");
      CHECK(err.find("the server sent an event this client cannot read") != std::string::npos);
      CHECK(state_of(w.ada) == before);
      REQUIRE(w.maria.run({"meeting", "end", std::to_string(meeting)}).exit_code == 0);
      std::filesystem::remove(tmp / "watch.err");
    }
  }

  SECTION("a pushed message the chat cannot read is said and left on the server") {
    tom_proxy->set_mutation([](std::string_view answering, const std::string& frame) -> std::optional<std::string> {
      if (answering != "event:message") return frame;
      return edit_frame(frame, {path({"body", "envelope", "seq"}), json::value("first")});
    });
    ChildProcess chat(MENTORLINK_CLI_BIN, {"--home", w.tom.home().string(), "chat", w.pair}, tmp / "chat.err",
                      {{"MENTORLINK_PASSPHRASE", kTestPassphrase}}, true);
    read_until(chat, "Chatting with Maria");
    const auto before = state_of(w.tom);  // after the chat's own start-up sync, which may save the state
    REQUIRE(w.maria.run({"send", w.pair, "Pushed"}).exit_code == 0);
    const auto said = read_until(chat, "the server sent an event this client cannot read");
    CHECK(said.find("envelope.seq") != std::string::npos);
    chat.write_stdin("/quit\n");
    read_until(chat, "Left the chat.");
    CHECK(chat.wait() == 0);  // a live chat says what it could not read and goes on
    tom_proxy->set_mutation(nullptr);
    CHECK(state_of(w.tom) == before);
    const auto got = w.tom.json({"sync"});  // not acknowledged, so still there, untouched
    REQUIRE(got.at("received").as_array().size() == 1);
    CHECK(got.at("received").as_array()[0].at("text").as_string() == "Pushed");
  }
}
