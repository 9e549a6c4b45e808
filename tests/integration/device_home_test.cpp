// The device home under attack (SECURITY.md, attacks 22, 25, 26, 27): two mentorlink processes
// on one home, a server that swaps a partner's key twice, partner and server text made to fake
// terminal lines, and a server-chosen seq near 2^53. Real server, real CLI, real TLS; the server
// misbehaves through its own database (tamper.h).
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "protocol/device/key_store.h"
#include "protocol/device/message_format.h"
#include "protocol/device/sealed_file.h"
#include "tests/support/cli_world.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

const Environment kChatEnv{{"MENTORLINK_PASSPHRASE", kTestPassphrase}};

std::string read_until(ChildProcess& chat, const std::string& needle) {
  while (auto line = chat.read_line()) {
    if (line->find(needle) != std::string::npos) return *line;
  }
  FAIL("the chat ended before printing \"" << needle << "\"");
  return {};
}

// Every line the chat prints until it exits.
std::vector<std::string> read_to_end(ChildProcess& chat) {
  std::vector<std::string> lines;
  while (auto line = chat.read_line()) lines.push_back(*line);
  return lines;
}

std::unique_ptr<ChildProcess> open_chat(const Cli& who, const std::string& pair, const std::filesystem::path& err) {
  return std::make_unique<ChildProcess>(MENTORLINK_CLI_BIN,
                                        std::vector<std::string>{"--home", who.home().string(), "chat", pair}, err,
                                        kChatEnv, true);
}

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Rewrites the state of who's home as mentorlink 1 wrote it: the same JSON without "format".
void make_protocol_1_home(const Cli& who) {
  const auto keys = device::open_key_store(file_text(who.home() / "keystore.json"), kTestPassphrase);
  REQUIRE(keys.is_ok());
  const std::string sealed = file_text(who.home() / "state.sealed");
  auto plain = device::open_file(keys.value().storage_key, "device-state",
                                 std::span(reinterpret_cast<const std::uint8_t*>(sealed.data()), sealed.size()));
  REQUIRE(plain.is_ok());
  auto state = json::parse(std::string(plain.value().begin(), plain.value().end())).as_object();
  REQUIRE(state.erase("format") == 1);
  const std::string v1 = json::serialize(state);
  const auto resealed = device::seal_file(keys.value().storage_key, "device-state",
                                          std::span(reinterpret_cast<const std::uint8_t*>(v1.data()), v1.size()));
  std::ofstream(who.home() / "state.sealed", std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(resealed.data()), static_cast<std::streamsize>(resealed.size()));
}

}  // namespace

TEST_CASE("22: two processes on one home send 200 messages each into one pair: all decrypt, no header repeats",
          "[attack][home][sqlite]") {
  constexpr int kEach = 200;
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());

  auto first = open_chat(w.maria, w.pair, tmp / "first.err");
  auto second = open_chat(w.maria, w.pair, tmp / "second.err");
  read_until(*first, "Chatting with Tom");
  read_until(*second, "Chatting with Tom");
  std::set<std::string> expected;
  std::string typed_first, typed_second;
  for (int i = 0; i < kEach; ++i) {
    typed_first += "first " + std::to_string(i) + "\n";
    typed_second += "second " + std::to_string(i) + "\n";
    expected.insert("first " + std::to_string(i));
    expected.insert("second " + std::to_string(i));
  }
  first->write_stdin(typed_first + "/quit\n");  // both type at once
  second->write_stdin(typed_second + "/quit\n");
  for (auto* chat : {first.get(), second.get()}) {
    int sent = 0;
    for (const auto& line : read_to_end(*chat)) {
      if (line.find("] you: ") != std::string::npos) ++sent;
      CHECK(line.find("not sent") == std::string::npos);
    }
    CHECK(sent == kEach);
    CHECK(chat->wait() == 0);
  }

  {
    Tamper t(tmp / "data");
    const auto bodies = t.blobs("SELECT b.body FROM envelope_bodies b JOIN envelope_log l ON l.id = b.id WHERE l.pair_id = " + w.pair);
    REQUIRE(bodies.size() == 2 * kEach);
    std::set<std::pair<wire::DhPublicKey, std::uint32_t>> headers;
    for (const auto& body : bodies) {
      auto parsed = device::parse_message(body);
      REQUIRE(parsed.is_ok());
      const bool fresh = headers.insert({parsed.value().header.dh, parsed.value().header.n}).second;
      CHECK(fresh);  // a repeat is one key and nonce used for two plaintexts
    }
  }
  const auto received = w.tom.json({"sync"}).at("received").as_array();
  std::set<std::string> got;
  for (const auto& m : received) got.insert(std::string(m.at("text").as_string()));
  CHECK(received.size() == 2 * kEach);
  CHECK(got == expected);
}

TEST_CASE("22: chat open in one terminal does not stop send or a document command in another, and goes on from their state",
          "[attack][home][chat]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  auto chat = open_chat(w.maria, w.pair, tmp / "chat.err");
  read_until(*chat, "Chatting with Tom");

  const auto sent = run_process(MENTORLINK_CLI_BIN, {"--home", w.maria.home().string(), "send", w.pair, "from another terminal"},
                                {{"MENTORLINK_PASSPHRASE", kTestPassphrase}, {"MENTORLINK_LOCK_WAIT", "20"}});
  INFO(sent.err);
  REQUIRE(sent.exit_code == 0);
  // A document command shares the document's key over the same ratchet the chat sends on.
  const auto goals = run_process(MENTORLINK_CLI_BIN,
                                 {"--home", w.maria.home().string(), "goals", "set", w.pair, "--text", "Learn to delegate"},
                                 {{"MENTORLINK_PASSPHRASE", kTestPassphrase}, {"MENTORLINK_LOCK_WAIT", "20"}});
  INFO(goals.err);
  REQUIRE(goals.exit_code == 0);
  chat->write_stdin("typed in the chat\n");
  read_until(*chat, "you: typed in the chat");
  chat->write_stdin("/quit\n");
  read_until(*chat, "Left the chat.");
  CHECK(chat->wait() == 0);

  const auto received = w.tom.json({"sync"}).at("received").as_array();
  REQUIRE(received.size() == 2);
  CHECK(received[0].at("text").as_string() == "from another terminal");
  CHECK(received[1].at("text").as_string() == "typed in the chat");
  const auto shown = w.tom.json({"goals", "show", w.pair}).at("documents").as_array();
  REQUIRE(shown.size() == 1);
  CHECK(shown[0].at("text").as_string().find("Learn to delegate") != std::string::npos);
}

TEST_CASE("22: a command that cannot take the home's lock in time says so and changes nothing", "[attack][home][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  const int fd = ::open((w.maria.home() / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0);  // another mentorlink process, busy
  const std::string state_before = file_text(w.maria.home() / "state.sealed");
  const auto r = run_process(MENTORLINK_CLI_BIN, {"--home", w.maria.home().string(), "send", w.pair, "waits"},
                             {{"MENTORLINK_PASSPHRASE", kTestPassphrase}, {"MENTORLINK_LOCK_WAIT", "0.3"}});
  ::close(fd);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("another mentorlink command has been using this device's home") != std::string::npos);
  CHECK(r.err.find("300 ms") != std::string::npos);
  CHECK(file_text(w.maria.home() / "state.sealed") == state_before);
  Tamper t(tmp / "data");
  CHECK(t.integer("SELECT count(*) FROM envelope_log") == 0);
}

TEST_CASE("25: trust --accept-new-key accepts only the key whose safety number the person compared",
          "[attack][trust][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path(), {"Mallory", "Eve"});  // members 4 and 5; Tom is 3
  REQUIRE(w.maria.run({"trust", w.pair}).exit_code == 0);
  // The server hands out another member's keys as Tom's (identity keys are unique, so the
  // other member's row gives its key up).
  auto swap_in = [&](int member) {
    Tamper t(tmp / "data");
    const std::string m = std::to_string(member);
    t.exec("UPDATE device_keys SET (identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature) = (SELECT identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature FROM device_keys WHERE member_id = " + m + ") WHERE member_id = 3");
    t.exec("DELETE FROM one_time_prekeys WHERE member_id = 3");
    t.exec("UPDATE one_time_prekeys SET member_id = 3 WHERE member_id = " + m);
    t.exec("CREATE TEMP TABLE k AS SELECT identity_key FROM members WHERE id = " + m);
    t.exec("UPDATE members SET identity_key = randomblob(32) WHERE id = " + m);
    t.exec("UPDATE members SET identity_key = (SELECT identity_key FROM k) WHERE id = 3");
  };

  swap_in(4);
  const auto compared = w.maria.json({"safety-number", w.pair});
  CHECK(compared.at("status").as_string() == "changed");
  const std::string compared_number(compared.at("safety_number").as_string());
  swap_in(5);  // after the person compared, before they accept

  std::string spaced;  // as a person pastes it: groups of five with spaces
  for (std::size_t i = 0; i < compared_number.size(); i += 5) spaced += compared_number.substr(i, 5) + " ";
  const auto refused = w.maria.run({"trust", w.pair, "--accept-new-key", spaced});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("that is not the safety number of the key your partner's side now offers") != std::string::npos);
  CHECK(refused.err.find("nothing was accepted") != std::string::npos);
  const auto now = w.maria.json({"safety-number", w.pair});
  CHECK(now.at("status").as_string() == "changed");
  CHECK(now.at("safety_number").as_string() != compared_number);
  CHECK(w.maria.run({"send", w.pair, "Still only for Tom"}).exit_code == 1);
  {
    Tamper t(tmp / "data");
    CHECK(t.integer("SELECT count(*) FROM envelope_log") == 0);
  }

  const auto bad = w.maria.run({"trust", w.pair, "--accept-new-key", "12345 678"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("a safety number is 60 digits") != std::string::npos);
  const auto bare = w.maria.run({"trust", w.pair, "--accept-new-key"});
  CHECK(bare.exit_code == 1);
  CHECK(bare.err.find("say which safety number you compared") != std::string::npos);

  std::vector<std::string> args{"trust", w.pair, "--accept-new-key"};  // the 12 groups as 12 arguments
  const std::string number(now.at("safety_number").as_string());
  for (std::size_t i = 0; i < number.size(); i += 5) args.push_back(number.substr(i, 5));
  const auto accepted = w.maria.run(args);
  INFO(accepted.err);
  REQUIRE(accepted.exit_code == 0);
  CHECK(w.maria.json({"safety-number", w.pair}).at("status").as_string() == "verified");
  CHECK(w.maria.run({"send", w.pair, "To the key I compared"}).exit_code == 0);
}

TEST_CASE("26: escape sequences, controls and bidi overrides from the partner and the server are shown escaped",
          "[attack][output][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  const std::string esc_clear = "\x1b[2K";
  const std::string rlo = "\xe2\x80\xae";  // U+202E
  const std::string c1_csi = "\xc2\x9b";   // U+009B
  const std::string text = "hi" + esc_clear + "\r[2026-01-01 00:00 UTC] you: fake " + rlo + "tfel" + c1_csi +
                           "31m\n[2026-01-01 00:00 UTC] you: injected";
  const auto not_utf8 = w.maria.run({"send", w.pair, "\xff"});
  INFO(not_utf8.err);
  CHECK(not_utf8.exit_code == 1);
  CHECK(not_utf8.err.find("a message must be UTF-8 text") != std::string::npos);
  const auto first = w.maria.run({"send", w.pair, text + " 1"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);

  std::string shown;  // everything Tom's terminal would receive
  auto chat = open_chat(w.tom, w.pair, tmp / "chat.err");
  for (auto line = chat->read_line(); line; line = chat->read_line()) {  // the backlog, then the greeting
    shown += *line + "\n";
    if (line->find("Chatting with") != std::string::npos) break;
  }
  CHECK(shown.find("injected") != std::string::npos);
  const auto live = w.maria.run({"send", w.pair, text + " 2"});
  INFO(live.err);
  REQUIRE(live.exit_code == 0);
  shown += read_until(*chat, "injected") + "\n";
  chat->write_stdin("/quit\n");
  for (const auto& line : read_to_end(*chat)) shown += line + "\n";
  CHECK(chat->wait() == 0);
  shown += file_text(tmp / "chat.err");

  REQUIRE(w.maria.run({"send", w.pair, text + " 3"}).exit_code == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"sync"}, {"history", w.pair}, {"pairs"}, {"members", "--programme", w.programme}}) {
    const auto r = w.tom.run(args);
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 0);
    shown += r.out + r.err;
  }
  CHECK(shown.find('\x1b') == std::string::npos);
  CHECK(shown.find('\r') == std::string::npos);
  CHECK(shown.find(rlo) == std::string::npos);
  CHECK(shown.find(c1_csi) == std::string::npos);
  CHECK(shown.find("\n[2026-01-01 00:00 UTC] you: injected") == std::string::npos);  // no line of its own
  CHECK(shown.find("\\x1b[2K\\r[2026-01-01 00:00 UTC] you: fake \\u202etfel\\u009b31m\\n[") != std::string::npos);

  // --json: the same escapes are JSON's own, so a reader gets the text back exactly.
  const auto raw = w.tom.run({"--json", "history", w.pair});
  REQUIRE(raw.exit_code == 0);
  CHECK(raw.out.find('\x1b') == std::string::npos);
  CHECK(raw.out.find(rlo) == std::string::npos);
  CHECK(raw.out.find(c1_csi) == std::string::npos);
  const auto messages = json::parse(raw.out).as_object().at("messages").as_array();
  REQUIRE(messages.size() == 3);
  CHECK(messages[0].at("text").as_string() == text + " 1");

  // A name with an override and a C1 control is not a name the protocol allows (§2): the client
  // refuses the reply in a sentence that shows none of those characters raw, and changes nothing.
  {
    Tamper t(tmp / "data");
    t.exec("UPDATE members SET display_name = 'Maria' || char(8238) || 'x' || char(155) || '2J' WHERE id = 2");
  }
  const auto named = w.tom.run({"pairs"});
  CHECK(named.exit_code == 1);
  CHECK(named.err.find("the server sent a reply this client cannot read") != std::string::npos);
  CHECK((named.out + named.err).find(rlo) == std::string::npos);
  CHECK((named.out + named.err).find(c1_csi) == std::string::npos);
}

TEST_CASE("27: a server-chosen seq of 2^53-1 and a jump: sync and history stay quick and show every message",
          "[attack][home][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  const std::string top = "9007199254740991";  // 2^53 - 1, the largest id the protocol allows
  REQUIRE(w.maria.run({"send", w.pair, "one"}).exit_code == 0);
  REQUIRE(w.maria.run({"send", w.pair, "two"}).exit_code == 0);
  {
    TamperWithRestart t(server);
    t.exec("UPDATE envelope_log SET seq = " + top + " WHERE seq = 2");
  }
  // `timeout` turns an endless loop into a failure instead of a hung test.
  auto tom = [&](std::vector<std::string> args) {
    std::vector<std::string> full{"30", MENTORLINK_CLI_BIN, "--home", w.tom.home().string()};
    full.insert(full.end(), args.begin(), args.end());
    return run_process("/usr/bin/timeout", full, {{"MENTORLINK_PASSPHRASE", kTestPassphrase}});
  };
  const auto first = tom({"--json", "sync"});
  REQUIRE(first.exit_code == 0);
  CHECK(json::parse(first.out).as_object().at("received").as_array().size() == 2);
  {
    TamperWithRestart t(server);  // and numbers on below the jump
    t.exec("UPDATE envelope_log SET seq = 2 WHERE seq = " + top);
  }
  REQUIRE(w.maria.run({"send", w.pair, "three"}).exit_code == 0);  // seq 3: below the jump
  const auto second = tom({"--json", "sync"});
  REQUIRE(second.exit_code == 0);
  CHECK(json::parse(second.out).as_object().at("received").as_array().size() == 1);

  const auto history = tom({"--json", "history", w.pair});
  REQUIRE(history.exit_code == 0);
  const auto messages = json::parse(history.out).as_object().at("messages").as_array();
  REQUIRE(messages.size() == 3);
  CHECK(messages[2].at("text").as_string() == "two");  // shown at the seq the server gave it
  const auto human = tom({"history", w.pair});
  CHECK(human.exit_code == 0);
  CHECK(human.out.find(": three") != std::string::npos);
}

TEST_CASE("a device home written by protocol 1 is refused with what to do, and upgrade-home keeps history and trust",
          "[home]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  REQUIRE(w.maria.run({"send", w.pair, "before the upgrade"}).exit_code == 0);
  REQUIRE(w.tom.json({"sync"}).at("received").as_array().size() == 1);
  REQUIRE(w.maria.run({"trust", w.pair}).exit_code == 0);

  make_protocol_1_home(w.maria);
  make_protocol_1_home(w.tom);

  const auto refused = w.maria.run({"send", w.pair, "refused"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("made by an older mentorlink (protocol 1)") != std::string::npos);
  CHECK(refused.err.find("run mentorlink upgrade-home") != std::string::npos);

  const auto upgraded = w.maria.run({"upgrade-home"});
  INFO(upgraded.err);
  REQUIRE(upgraded.exit_code == 0);
  CHECK(upgraded.out.find("kept 1 pair(s) with 1 message(s) of history") != std::string::npos);
  CHECK(std::filesystem::exists(w.maria.home() / "state.v1.sealed"));
  CHECK(w.maria.run({"upgrade-home"}).exit_code == 1);  // once is enough

  REQUIRE(w.tom.run({"upgrade-home"}).exit_code == 0);
  CHECK(w.maria.json({"safety-number", w.pair}).at("status").as_string() == "verified");
  CHECK(w.maria.json({"history", w.pair}).at("messages").as_array().size() == 1);
  REQUIRE(w.maria.run({"send", w.pair, "after the upgrade"}).exit_code == 0);
  const auto received = w.tom.json({"sync"}).at("received").as_array();
  REQUIRE(received.size() == 1);
  CHECK(received[0].at("text").as_string() == "after the upgrade");
}

TEST_CASE("26: a partner named \"you\" cannot pass for the member's own lines", "[attack][output][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  CliPairWorld w(server, tmp.path());
  {
    Tamper t(tmp / "data");
    t.exec("UPDATE members SET display_name = 'You' WHERE display_name = 'Maria'");
  }
  REQUIRE(w.maria.run({"send", w.pair, "I never said this"}).exit_code == 0);
  const auto r = w.tom.run({"sync"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"You\" (your partner): I never said this") != std::string::npos);
  CHECK(r.out.find("] You: ") == std::string::npos);
}
