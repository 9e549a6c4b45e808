// The server as the attacker on the session layer (SECURITY.md attacks 21, 23, 30, 31): real
// server, real CLI on both sides over real TLS; the server edits its own SQLite store while
// running. Each client must notice, say so in a sentence, and keep its sessions working.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "client-cli/lib/device_state.h"
#include "client-cli/lib/home.h"
#include "protocol/device/key_store.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli_world.h"
#include "tests/support/opened_device.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

const std::string kMaria = "(SELECT id FROM members WHERE display_name = 'Maria')";
const std::string kTom = "(SELECT id FROM members WHERE display_name = 'Tom')";

// The server puts body (an SQL blob expression) into recipient's queue as the pair's next envelope.
void inject(TamperWithRestart& t, const std::string& pair, const std::string& sender, const std::string& recipient,
            const std::string& body) {
  t.exec("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at) "
         "VALUES (" + pair + ", (SELECT ifnull(max(seq), 0) + 1 FROM envelope_log WHERE pair_id = " + pair + "), " + sender +
         ", 1, " + recipient + ", randomblob(16), length(" + body + "), (SELECT max(sent_at) FROM envelope_log))");
  t.exec("INSERT INTO envelope_bodies (id, body) VALUES (last_insert_rowid(), " + body + ")");
}

// The log id of the pair's envelope seq, as SQL.
std::string id_of(const std::string& pair, int seq) {
  return "(SELECT id FROM envelope_log WHERE pair_id = " + pair + " AND seq = " + std::to_string(seq) + ")";
}

std::vector<std::string> texts_of(const std::vector<client::IncomingMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.text);
  return out;
}

std::vector<std::string> texts(const json::array& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.emplace_back(m.at("text").as_string());
  return out;
}

// What a device forgets when its sessions are lost (say, restored from an older copy of its state):
// done to Maria's own home with the real client library, so her next message starts a new session.
void forget_sessions(const Cli& who, const std::string& pair) {
  auto device = open_device(who);
  device.state.pairs[std::stoll(pair)].sessions.clear();
  device.save();
}

}  // namespace

TEST_CASE("21: a forged reply naming the partner's signed prekey is refused and the session goes on",
          "[attack][session][sqlite]") {
  ServerPairWorld w;
  REQUIRE(w.maria.run({"send", w.pair, "Hello Tom"}).exit_code == 0);  // Maria waits for Tom's first reply
  {
    TamperWithRestart t(w.server);
    // A ratchet message "from Tom" whose header's ratchet key is Tom's signed prekey: what Maria's
    // session holds as the partner's ratchet key until he replies.
    const std::string body = "CAST(X'21' || (SELECT signed_prekey FROM device_keys WHERE member_id = " + kTom +
                             ") || X'0000000000000000' || randomblob(80) AS BLOB)";  // pn = 0, n = 0
    inject(t, w.pair, kTom, kMaria, body);
    const std::string mine = " FROM envelope_bodies b JOIN envelope_log l ON l.id = b.id WHERE l.recipient_id = " + kMaria;
    REQUIRE(t.integer("SELECT length(body)" + mine) == 1 + 40 + 80);
    REQUIRE(t.integer("SELECT hex(substr(body, 34, 8)) = '0000000000000000'" + mine) == 1);
  }
  const auto r = w.maria.run({"--json", "sync"});
  CHECK(r.exit_code == 1);  // a sentence and exit 1, not a crash
  const auto out = json::parse(r.out).as_object();
  CHECK(out.at("received").as_array().empty());
  REQUIRE(out.at("problems").as_array().size() == 1);
  CHECK(out.at("problems").at(0).at("problem").as_string().find("could not be decrypted (the message is malformed)") !=
        std::string::npos);

  // Nothing of Maria's session changed: the real conversation continues both ways.
  CHECK(texts(w.tom.json({"sync"}).at("received").as_array()) == std::vector<std::string>{"Hello Tom"});
  REQUIRE(w.tom.run({"send", w.pair, "Hello Maria"}).exit_code == 0);
  CHECK(texts(w.maria.json({"sync"}).at("received").as_array()) == std::vector<std::string>{"Hello Maria"});
  REQUIRE(w.maria.run({"send", w.pair, "Tuesday?"}).exit_code == 0);
  CHECK(texts(w.tom.json({"sync"}).at("received").as_array()) == std::vector<std::string>{"Tuesday?"});
}

TEST_CASE("23: the server drops a message and renumbers the next: the recipient shows 1 missing", "[attack][session][sqlite]") {
  ServerPairWorld w;
  for (const auto* text : {"one", "two", "three"}) REQUIRE(w.maria.run({"send", w.pair, text}).exit_code == 0);
  {
    TamperWithRestart t(w.server);
    t.exec("DELETE FROM envelope_bodies WHERE id = " + id_of(w.pair, 2));
    t.exec("DELETE FROM envelope_log WHERE pair_id = " + w.pair + " AND seq = 2");
    t.exec("UPDATE envelope_log SET seq = 2 WHERE pair_id = " + w.pair + " AND seq = 3");  // a clean sequence 1, 2
  }
  const auto synced = w.tom.json({"sync"});
  const auto& received = synced.at("received").as_array();
  REQUIRE(texts(received) == std::vector<std::string>{"one", "three"});
  CHECK(received[1].at("seq").as_int64() == 2);
  CHECK(received[1].at("counter").as_int64() == 3);
  CHECK(received[1].at("missing_before").as_int64() == 1);

  const auto history = w.tom.json({"history", w.pair});
  CHECK(history.at("missing").as_int64() == 1);
  const auto& messages = history.at("messages").as_array();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("missing_before").as_int64() == 0);
  CHECK(messages[1].at("missing_before").as_int64() == 1);
  CHECK_FALSE(messages[1].at("out_of_order").as_bool());

  const auto human = w.tom.run({"history", w.pair}).out;
  const auto gap = human.find("-- 1 message from Maria is missing here\n");
  REQUIRE(gap != std::string::npos);
  CHECK(human.find("partner: one") < gap);  // at the place it happened
  CHECK(gap < human.find("partner: three"));
}

TEST_CASE("23: the server swaps two messages: the recipient shows the late one as out of order", "[attack][session][sqlite]") {
  ServerPairWorld w;
  for (const auto* text : {"one", "two", "three"}) REQUIRE(w.maria.run({"send", w.pair, text}).exit_code == 0);
  {
    TamperWithRestart t(w.server);  // the bodies of 2 and 3 change places
    t.exec("UPDATE envelope_bodies SET id = -1 WHERE id = " + id_of(w.pair, 2));
    t.exec("UPDATE envelope_bodies SET id = " + id_of(w.pair, 2) + " WHERE id = " + id_of(w.pair, 3));
    t.exec("UPDATE envelope_bodies SET id = " + id_of(w.pair, 3) + " WHERE id = -1");
  }
  const auto synced = w.tom.json({"sync"});
  const auto& received = synced.at("received").as_array();
  REQUIRE(texts(received) == std::vector<std::string>{"one", "three", "two"});
  CHECK(received[1].at("missing_before").as_int64() == 1);  // as far as Tom knew then
  CHECK(received[2].at("out_of_order").as_bool());

  const auto history = w.tom.json({"history", w.pair});
  CHECK(history.at("missing").as_int64() == 0);  // it arrived after all
  const auto& messages = history.at("messages").as_array();
  REQUIRE(texts(messages) == std::vector<std::string>{"one", "three", "two"});
  CHECK(messages[1].at("missing_before").as_int64() == 0);
  CHECK_FALSE(messages[1].at("out_of_order").as_bool());
  CHECK(messages[2].at("out_of_order").as_bool());

  const auto human = w.tom.run({"history", w.pair}).out;
  const auto note = human.find("-- the message above arrived out of order: Maria sent it before one shown earlier\n");
  REQUIRE(note != std::string::npos);
  CHECK(human.find("partner: two") < note);
  CHECK(human.find("missing here") == std::string::npos);
}

TEST_CASE("30: a session start without a one-time prekey, replayed after its session aged out, is refused",
          "[attack][session][sqlite]") {
  ServerPairWorld w;
  {
    Tamper t(w.tmp / "data");
    t.exec("DELETE FROM one_time_prekeys WHERE member_id = " + kTom);  // Tom's supply has run out
  }
  REQUIRE(w.maria.run({"send", w.pair, "Meet at 10"}).exit_code == 0);
  {
    Tamper t(w.tmp / "data");
    t.exec("CREATE TABLE stash AS SELECT body FROM envelope_bodies WHERE id = " + id_of(w.pair, 1));
  }
  REQUIRE(texts(w.tom.json({"sync"}).at("received").as_array()) == std::vector<std::string>{"Meet at 10"});
  // Maria starts a fresh session again and again, until Tom's first session has aged out of his store.
  for (int i = 0; i < 4; ++i) {
    forget_sessions(w.maria, w.pair);
    const std::string text = "restart " + std::to_string(i);
    REQUIRE(w.maria.run({"send", w.pair, text}).exit_code == 0);
    REQUIRE(texts(w.tom.json({"sync"}).at("received").as_array()) == std::vector<std::string>{text});
  }
  {
    TamperWithRestart t(w.server);
    inject(t, w.pair, kMaria, kTom, "(SELECT body FROM stash)");
  }
  const auto r = w.tom.run({"--json", "sync"});
  CHECK(r.exit_code == 1);
  const auto out = json::parse(r.out).as_object();
  CHECK(out.at("received").as_array().empty());
  REQUIRE(out.at("problems").as_array().size() == 1);
  CHECK(out.at("problems").at(0).at("problem").as_string().find("a replay") != std::string::npos);
  const auto history = w.tom.json({"history", w.pair});
  CHECK(texts(history.at("messages").as_array()) ==
        std::vector<std::string>{"Meet at 10", "restart 0", "restart 1", "restart 2", "restart 3"});
  CHECK(history.at("missing").as_int64() == 0);
}

TEST_CASE("31: a session start moved to the pair with roles swapped does not open there", "[attack][session][sqlite]") {
  ServerPairWorld w;
  const auto swapped = std::to_string(
      w.people.ada.json({"pair", "create", "--programme", w.people.programme, "--mentor", "Tom", "--mentee", "Maria"})
          .at("pair")
          .at("id")
          .as_int64());
  REQUIRE(w.maria.run({"send", w.pair, "Only for the pair where I mentor Tom"}).exit_code == 0);
  {
    TamperWithRestart t(w.server);
    t.exec("UPDATE envelope_log SET pair_id = " + swapped + " WHERE pair_id = " + w.pair);
  }
  const auto r = w.tom.run({"--json", "sync"});
  CHECK(r.exit_code == 1);
  const auto out = json::parse(r.out).as_object();
  CHECK(out.at("received").as_array().empty());
  REQUIRE(out.at("problems").as_array().size() == 1);
  CHECK(out.at("problems").at(0).at("pair").as_int64() == std::stoll(swapped));
  CHECK(out.at("problems").at(0).at("problem").as_string().find("failed authentication") != std::string::npos);
  CHECK(w.tom.json({"history", swapped}).at("messages").as_array().empty());

  // Maria's next message (the same session start) still opens in the pair it was written for.
  REQUIRE(w.maria.run({"send", w.pair, "Second try"}).exit_code == 0);
  CHECK(texts(w.tom.json({"sync"}).at("received").as_array()) == std::vector<std::string>{"Second try"});
}

TEST_CASE("both members start a session at the same time: both settle on the one the smaller identity key started",
          "[session]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  PairFixture f(server);
  InProcessDevice maria(server, std::move(f.mentor_key));
  InProcessDevice tom(server, std::move(f.mentee_key));
  REQUIRE(maria.messenger->send_text(f.pair, "Hi Tom").is_ok());  // neither has heard from the other
  REQUIRE(tom.messenger->send_text(f.pair, "Hi Maria").is_ok());
  auto at_tom = tom.messenger->sync();
  auto at_maria = maria.messenger->sync();
  REQUIRE(at_tom.is_ok());
  REQUIRE(at_maria.is_ok());
  CHECK(texts_of(at_tom.value().received) == std::vector<std::string>{"Hi Tom"});
  CHECK(texts_of(at_maria.value().received) == std::vector<std::string>{"Hi Maria"});

  const auto& mk = maria.identity.public_key();
  const auto& tk = tom.identity.public_key();
  const bool maria_smaller = std::lexicographical_compare(mk.begin(), mk.end(), tk.begin(), tk.end());
  auto& smaller = maria_smaller ? maria : tom;
  auto& larger = maria_smaller ? tom : maria;
  auto active = [&](InProcessDevice& d) -> const device::Session& {
    const auto& ps = d.state.pairs[f.pair];
    return ps.sessions.at(ps.active);
  };
  CHECK(active(smaller).we_initiated());        // keeps sending on the session it started
  CHECK_FALSE(active(larger).we_initiated());   // sends on the one it answered: the same session
  CHECK(smaller.state.pairs[f.pair].sessions.size() == 2);  // the other is kept to read what was sent in it

  // A round trip in the chosen session answers it, and nothing moves away from it.
  REQUIRE(larger.messenger->send_text(f.pair, "from the larger").is_ok());
  auto got = smaller.messenger->sync();
  REQUIRE(got.is_ok());
  CHECK(texts_of(got.value().received) == std::vector<std::string>{"from the larger"});
  CHECK(active(smaller).we_initiated());
  CHECK_FALSE(active(smaller).awaiting_reply());
  REQUIRE(smaller.messenger->send_text(f.pair, "from the smaller").is_ok());
  auto back = larger.messenger->sync();
  REQUIRE(back.is_ok());
  CHECK(texts_of(back.value().received) == std::vector<std::string>{"from the smaller"});
  CHECK(back.value().problems.empty());
  CHECK_FALSE(active(larger).we_initiated());
}

TEST_CASE("a forged session start claiming another identity key neither pins nor changes the partner's key",
          "[attack][session][trust][sqlite]") {
  ServerPairWorld w;
  REQUIRE(w.maria.run({"send", w.pair, "Hello Tom"}).exit_code == 0);  // Maria trusts Tom's key from here
  const auto before = w.maria.json({"safety-number", w.pair});
  {
    TamperWithRestart t(w.server);
    // A prekey message "from Tom" naming a made-up identity key, with signatures and ciphertext
    // that cannot verify: anyone can write these bytes, so they must not count as a key change.
    inject(t, w.pair, kTom, kMaria, "CAST(X'22' || randomblob(168) || randomblob(40) || randomblob(80) AS BLOB)");
  }
  const auto r = w.maria.run({"--json", "sync"});
  CHECK(r.exit_code == 1);
  const auto out = json::parse(r.out).as_object();
  REQUIRE(out.at("problems").as_array().size() == 1);
  CHECK(out.at("problems").at(0).at("problem").as_string().find("could not be decrypted") != std::string::npos);

  const auto after = w.maria.json({"safety-number", w.pair});
  CHECK(after.at("status") == before.at("status"));
  CHECK(after.at("safety_number") == before.at("safety_number"));
  CHECK(w.maria.run({"send", w.pair, "Still talking to Tom"}).exit_code == 0);
  CHECK(texts(w.tom.json({"sync"}).at("received").as_array()) ==
        std::vector<std::string>{"Hello Tom", "Still talking to Tom"});
}
