// The server as the attacker (SECURITY.md): it edits its own database while running — replays,
// withholds and alters envelopes, and swaps a partner's identity key. The real clients must
// notice each, say so, and refuse to go on where it matters.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "client-cli/lib/device_state.h"
#include "client-cli/lib/home.h"
#include "protocol/device/key_store.h"
#include "tests/support/cli_world.h"
#include "tests/support/opened_device.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

TEST_CASE("9: the server swaps the partner's identity key: sending stops until the member accepts", "[attack][trust][sqlite]") {
  ServerPairWorld w({"Mallory"});  // Mallory: in the programme, in no pair with Maria or Tom
  const auto before = w.maria.json({"safety-number", w.pair});
  CHECK(before.at("status").as_string() == "unverified");
  REQUIRE(w.maria.run({"trust", w.pair}).exit_code == 0);

  {
    Tamper t(w.tmp / "data");
    // Hand out Mallory's keys as if they were Tom's.
    t.exec("UPDATE device_keys SET (identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature) = (SELECT identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature FROM device_keys WHERE member_id = 4) WHERE member_id = 3");
    t.exec("DELETE FROM one_time_prekeys WHERE member_id = 3");
    t.exec("UPDATE one_time_prekeys SET member_id = 3 WHERE member_id = 4");
    // And claim Tom's identity key is Mallory's (identity keys are unique, so Mallory's row gives it up).
    t.exec("CREATE TEMP TABLE k AS SELECT identity_key FROM members WHERE id = 4");
    t.exec("UPDATE members SET identity_key = zeroblob(32) WHERE id = 4");
    t.exec("UPDATE members SET identity_key = (SELECT identity_key FROM k) WHERE id = 3");
  }
  auto sent = w.maria.run({"send", w.pair, "Only for Tom"});
  CHECK(sent.exit_code == 1);
  CHECK(sent.err.find("identity key in pair " + w.pair + " has changed") != std::string::npos);
  {
    Tamper t(w.tmp / "data");
    CHECK(t.integer("SELECT count(*) FROM envelope_log") == 0);  // nothing left the device
  }
  const auto after = w.maria.json({"safety-number", w.pair});
  CHECK(after.at("status").as_string() == "changed");
  CHECK(after.at("safety_number") != before.at("safety_number"));
  CHECK(w.maria.run({"send", w.pair, "Still only for Tom"}).exit_code == 1);  // still refused

  REQUIRE(w.maria.run({"trust", w.pair, "--accept-new-key", std::string(after.at("safety_number").as_string())})
              .exit_code == 0);
  CHECK(w.maria.json({"safety-number", w.pair}).at("status").as_string() == "verified");
  CHECK(w.maria.run({"send", w.pair, "After accepting"}).exit_code == 0);
}

TEST_CASE("4: an envelope replayed by the server under a new sequence number is rejected", "[attack][sqlite]") {
  ServerPairWorld w({"Mallory"});  // Mallory: in the programme, in no pair with Maria or Tom
  REQUIRE(w.maria.json({"send", w.pair, "Once only"}).at("seq").as_int64() == 1);
  {
    Tamper t(w.tmp / "data");
    t.exec("CREATE TABLE stash AS SELECT * FROM envelope_bodies");
  }
  REQUIRE(w.tom.json({"sync"}).at("received").as_array().size() == 1);
  {
    TamperWithRestart t(w.server);
    t.exec("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at) "
           "SELECT pair_id, 50, sender_id, sender_device, recipient_id, randomblob(16), size, sent_at FROM envelope_log "
           "WHERE seq = 1");
    t.exec("INSERT INTO envelope_bodies (id, body) SELECT last_insert_rowid(), body FROM stash");
  }
  const auto r = w.tom.run({"--json", "sync"});
  CHECK(r.exit_code == 1);
  const auto out = json::parse(r.out).as_object();
  CHECK(out.at("received").as_array().empty());
  REQUIRE(out.at("problems").as_array().size() == 1);
  CHECK(out.at("problems").at(0).at("problem").as_string().find("already received") != std::string::npos);
  CHECK(w.tom.json({"history", w.pair}).at("messages").as_array().size() == 1);
}

TEST_CASE("5 and 23: altered ciphertext is rejected, withheld messages show as missing where they were", "[attack][sqlite]") {
  ServerPairWorld w({"Mallory"});  // Mallory: in the programme, in no pair with Maria or Tom
  for (const auto* text : {"one", "two", "three", "four"}) REQUIRE(w.maria.run({"send", w.pair, text}).exit_code == 0);
  {
    TamperWithRestart t(w.server);
    const std::string seq = " WHERE id = (SELECT id FROM envelope_log WHERE seq = ";
    t.exec("DELETE FROM envelope_bodies" + seq + "2)");                                        // withheld
    t.exec("UPDATE envelope_bodies SET body = CAST(body AS BLOB) || X'00'" + seq + "3)");  // altered
  }
  const auto r = w.tom.run({"--json", "sync"});
  CHECK(r.exit_code == 1);
  const auto out = json::parse(r.out).as_object();
  const auto& received = out.at("received").as_array();
  REQUIRE(received.size() == 2);
  CHECK(received[0].at("text").as_string() == "one");
  CHECK(received[1].at("text").as_string() == "four");
  REQUIRE(out.at("problems").as_array().size() == 1);
  CHECK(out.at("problems").at(0).at("seq").as_int64() == 3);
  CHECK(out.at("problems").at(0).at("problem").as_string().find("failed authentication") != std::string::npos);

  // Maria's counters 2 (withheld) and 3 (altered) never arrived: known from "four", whatever seq says.
  CHECK(received[1].at("missing_before").as_int64() == 2);
  const auto history = w.tom.json({"history", w.pair});
  CHECK(history.at("missing").as_int64() == 2);
  const auto human = w.tom.run({"history", w.pair}).out;
  const auto gap = human.find("-- 2 messages from Maria are missing here\n");
  REQUIRE(gap != std::string::npos);
  CHECK(human.find("partner: one") < gap);
  CHECK(gap < human.find("partner: four"));
}

TEST_CASE("27: envelopes the server files under pairs the device is not in add nothing to its state", "[attack][sqlite]") {
  ServerPairWorld w;
  REQUIRE(w.maria.json({"send", w.pair, "Hello Tom"}).at("seq").as_int64() == 1);
  {  // Fifty copies of it, each under a pair id of the server's choosing.
    TamperWithRestart t(w.server);
    t.exec("CREATE TEMP TABLE original AS SELECT l.*, b.body FROM envelope_log l JOIN envelope_bodies b ON b.id = l.id "
           "WHERE l.pair_id = " + w.pair);
    t.exec("CREATE TEMP TABLE fake AS WITH RECURSIVE n(i) AS (SELECT 1001 UNION ALL SELECT i + 1 FROM n "
           "WHERE i < 1050) SELECT i AS pair_id FROM n");
    t.exec("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at) "
           "SELECT f.pair_id, 1, sender_id, sender_device, recipient_id, client_id, size, sent_at FROM original, "
           "fake f ORDER BY f.pair_id");
    t.exec("INSERT INTO envelope_bodies (id, body) SELECT l.id, o.body FROM envelope_log l, original o "
           "WHERE l.pair_id BETWEEN 1001 AND 1050");
  }
  // The server refuses the acknowledgements for pairs that do not exist: each is said (and the
  // sync exits 1, as for any misbehaviour of the server), none stops the others, and the genuine
  // message is taken in.
  const auto synced = w.tom.run({"sync"});
  CHECK(synced.exit_code == 1);
  CHECK(synced.err.find("under pair 1001, which you are not in") != std::string::npos);
  CHECK(synced.err.find("under pair 1050, which you are not in") != std::string::npos);
  CHECK(synced.out.find("Hello Tom") != std::string::npos);
  CHECK(w.tom.run({"sync"}).exit_code == 1);  // said again while the server keeps sending them

  const auto tom = open_device(w.tom);
  CHECK(tom.state.pairs.size() == 1);
  CHECK(tom.state.pairs.count(std::stoll(w.pair)) == 1);
  CHECK(w.tom.json({"history", w.pair}).at("messages").as_array().size() == 1);
}
