// Documents under attack (SECURITY.md 10, 11, 13, 14): a server that rolls back, forks, drops,
// moves or re-signs versions is caught by the real client; signatures by the wrong key or over
// another version are refused by the server; coordinators and other pairs get nothing; concurrent
// edits conflict; a reflection never reaches the partner; no document text reaches the server's
// disk or logs.
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "client-cli/lib/device_state.h"
#include "client-cli/lib/text_input.h"
#include "protocol/device/document_cipher.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/cli_world.h"
#include "tests/support/files.h"
#include "tests/support/in_process_server.h"
#include "tests/support/lying_store.h"
#include "tests/support/server_process.h"
#include "tests/support/tamper.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
namespace json = boost::json;

namespace {

// The shared world, plus the goals document these tests write and tamper with.
struct World : ServerPairWorld {
  void goals(const Cli& who, const std::string& text) {
    const auto r = who.run({"goals", "set", pair, "--text", text});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  // The goals document's id (the only document in these tests' pair).
  std::string goals_document() {
    Tamper t(tmp / "data");
    return std::to_string(t.integer("SELECT id FROM documents WHERE kind = 3"));
  }
};

void expect_caught(const ProcessResult& r, const std::string& what) {
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(what) != std::string::npos);
}

// The server lies about documents (LyingStore); Maria mentors Tom (pair) and Ana (second_pair).
struct LyingWorld {
  TempDir tmp;
  FakeClock clock;
  LyingStore* store = nullptr;
  InProcessServer server{tmp / "data", clock, [this](const std::filesystem::path& dir, server::StoreObserver* observer) {
                           auto s = std::make_unique<LyingStore>(dir.string(), observer);
                           store = s.get();
                           return s;
                         }};
  CliPairWorld people{server, tmp.path(), {"Ana"}};
  Cli& maria = people.maria;
  Cli& tom = people.tom;
  Cli& ana = people.others.at("Ana");
  const std::string& pair = people.pair;
  const std::string second_pair = std::to_string(
      people.ada.json({"pair", "create", "--programme", people.programme, "--mentor", "Maria", "--mentee", "Ana"})
          .at("pair").at("id").as_int64());

  std::int64_t document(const std::string& where) {
    Tamper t(tmp / "data");
    return t.integer("SELECT id FROM documents WHERE " + where);
  }
  std::int64_t versions(std::int64_t document) {
    Tamper t(tmp / "data");
    return t.integer("SELECT count(*) FROM document_versions WHERE document_id = " + std::to_string(document));
  }
};

std::int64_t id_of(const std::string& s) { return std::stoll(s); }

}  // namespace

TEST_CASE("11: the server rolls a document back: the reader notices", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "Goal one");
  w.goals(w.tom, "Goal one\nGoal two");
  REQUIRE(w.maria.json({"goals", "show", w.pair}).at("documents").at(0).at("version").as_int64() == 2);
  {
    Tamper t(w.tmp / "data");
    t.exec("DELETE FROM document_versions WHERE version = 2");
    t.exec("UPDATE documents SET latest_version = 1");
  }
  expect_caught(w.maria.run({"goals", "show", w.pair}), "rolled the document back");
}

TEST_CASE("11: the server cannot hide a document this device has read, nor open a fresh one in its place",
          "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "Goal one");
  REQUIRE(w.maria.run({"goals", "show", w.pair}).out.find("Goal one") != std::string::npos);
  const auto known = w.goals_document();
  {  // The goals move out of the pair, as far as the server's lists and lookups go.
    Tamper t(w.tmp / "data");
    t.exec("UPDATE documents SET pair_id = pair_id + 1000 WHERE id = " + known);
  }
  SECTION("left out of the pair's list: said, not shown as no goals") {
    expect_caught(w.maria.run({"goals", "show", w.pair}), "no longer lists document " + known);
  }
  SECTION("presented as a document of protocol version 1, which this device would leave unread") {
    {
      Tamper t(w.tmp / "data");
      t.exec("UPDATE documents SET pair_id = pair_id - 1000, format = 1 WHERE id = " + known);
    }
    expect_caught(w.maria.run({"goals", "show", w.pair}), "as written by protocol version 1");
  }
  SECTION("a fresh document opened in its place: nothing is written over the goals read") {
    const auto written = w.maria.run({"goals", "set", w.pair, "--text", "Written into a fresh one"});
    expect_caught(written, "which this device knows as document " + known);
  }
}

TEST_CASE("11: the server forks a document: the reader notices", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "Goal one");
  w.goals(w.maria, "Goal one, as Maria sees it");  // Maria's device now knows version 2
  {
    Tamper t(w.tmp / "data");  // hide Maria's version 2 from Tom, who then writes his own version 2
    t.exec("DELETE FROM document_versions WHERE version = 2");
    t.exec("UPDATE documents SET latest_version = 1");
  }
  w.goals(w.tom, "Goal one, as Tom sees it");
  expect_caught(w.maria.run({"goals", "show", w.pair}), "forked the document");
}

TEST_CASE("11: the server drops a version in the middle: the reader notices", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "v1");
  REQUIRE(w.maria.run({"goals", "show", w.pair}).exit_code == 0);
  w.goals(w.tom, "v2");
  w.goals(w.tom, "v3");
  {
    Tamper t(w.tmp / "data");
    t.exec("DELETE FROM document_versions WHERE version = 2");
  }
  expect_caught(w.maria.run({"goals", "show", w.pair}), "left out a version");
}

TEST_CASE("11: the server reorders versions: the reader notices", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "v1");
  w.goals(w.tom, "v2");
  w.goals(w.tom, "v3");
  {
    Tamper t(w.tmp / "data");  // swap the places of versions 2 and 3
    t.exec("UPDATE document_versions SET version = 100 WHERE version = 2");
    t.exec("UPDATE document_versions SET version = 2 WHERE version = 3");
    t.exec("UPDATE document_versions SET version = 3 WHERE version = 100");
  }
  expect_caught(w.maria.run({"goals", "show", w.pair}), "moved a version");
}

TEST_CASE("11: the server swaps a version's signature or body: the reader notices", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "v1");
  w.goals(w.tom, "v2");
  {
    Tamper t(w.tmp / "data");
    t.exec("UPDATE document_versions SET signature = (SELECT signature FROM document_versions WHERE version = 2) "
           "WHERE version = 1");
  }
  expect_caught(w.maria.run({"goals", "show", w.pair}), "signature does not verify");
}

TEST_CASE("10: a document version replayed as a chat message, or a message as a version, is rejected", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "Our goals");
  REQUIRE(w.maria.run({"goals", "show", w.pair}).exit_code == 0);
  REQUIRE(w.tom.run({"send", w.pair, "a chat message"}).exit_code == 0);
  {
    TamperWithRestart t(w.server);
    // The chat envelope's ciphertext offered as version 2 of the goals, signature and all.
    t.exec("INSERT INTO document_versions (document_id, version, author_id, body, signature, hash, created_at) "
           "SELECT d.id, 2, 3, b.body, v.signature, v.hash, 0 FROM documents d, envelope_bodies b, document_versions v "
           "WHERE v.document_id = d.id AND v.version = 1");
    t.exec("UPDATE documents SET latest_version = 2");
    // The goals' version 1 offered to Maria as a new message from Tom.
    t.exec("INSERT INTO envelope_log (pair_id, seq, sender_id, sender_device, recipient_id, client_id, size, sent_at) "
           "SELECT " + w.pair + ", max(seq) + 1, 3, 1, 2, randomblob(16), 1, 0 FROM envelope_log WHERE pair_id = " + w.pair);
    t.exec("INSERT INTO envelope_bodies (id, body) SELECT last_insert_rowid(), body FROM document_versions WHERE version = 1");
  }
  const auto synced = w.maria.json_or_error({"sync"});
  const auto received = synced.at("received").as_array();
  REQUIRE(received.size() == 1);  // the real chat message, and nothing else
  CHECK(received[0].at("text").as_string() == "a chat message");
  const auto problems = synced.at("problems").as_array();
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].at("problem").as_string().find("could not be decrypted") != std::string::npos);
  const auto shown = w.maria.run({"goals", "show", w.pair});
  CHECK(shown.exit_code == 1);
  CHECK(shown.err.find("document") != std::string::npos);
}

TEST_CASE("13/14: coordinators and members of other pairs get no document, not even ciphertext", "[attack][documents][access]") {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  PairFixture f(server);
  auto mentor = login(server, f.mentor_key);
  auto coordinator = login(server, f.coordinator_key);
  const auto doc = ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "goals"}}).at("document").at("id").as_int64();

  // Another pair in the same programme: Tom mentors Ana.
  const auto programme = f.programme;
  auto invite = [&](const std::string& name) {
    return std::string(ok(*coordinator, "invite.create", json::object{{"programme", programme}, {"role", "participant"}, {"name", name}})
                           .at("code").as_string());
  };
  auto ana_key = device::IdentityKeyPair::generate();
  auto ana = enroll(server, ana_key, invite("Ana"));
  const auto ana_id = ok(*ana, "whoami").at("member").at("id").as_int64();
  ok(*coordinator, "pair.create", json::object{{"programme", programme}, {"mentor", f.mentee_id}, {"mentee", ana_id}});

  const std::vector<std::pair<std::string, json::object>> reads{
      {"document.get", {{"document", doc}}},
      {"document.list", {{"pair", f.pair}}},
      {"document.write", {{"document", doc}, {"version", 1}, {"body", "AAAA"}, {"signature", std::string(86, 'A')}}},
      {"document.open", {{"pair", f.pair}, {"kind", "agenda"}, {"meeting", 1}}},
      {"contract.status", {{"pair", f.pair}}},
      {"contract.sign", {{"document", doc}, {"version", 1}, {"signature", std::string(86, 'A')}}},
      {"meeting.list", {{"pair", f.pair}}},
      {"meeting.schedule", {{"pair", f.pair}, {"at", client::device_now_ms() + 86'400'000}}},
  };
  for (const auto& [type, body] : reads) {
    INFO(type);
    auto as_coordinator = coordinator->request(type, body);
    REQUIRE_FALSE(as_coordinator.is_ok());
    if (type == "document.write") {
      CHECK(as_coordinator.status().code() == wire::ErrorCode::invalid_field);  // the body is checked first
    } else {
      CHECK(as_coordinator.status().code() == wire::ErrorCode::forbidden);
    }
    auto as_other_pair = ana->request(type, body);
    REQUIRE_FALSE(as_other_pair.is_ok());
    // Refused like the coordinator: a member of another pair is no member of this one.
    if (type != "document.write") CHECK(as_other_pair.status().code() == wire::ErrorCode::forbidden);
  }
}

TEST_CASE("signatures by the wrong key or over another version are refused; concurrent edits conflict", "[attack][documents]") {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  PairFixture f(server);
  auto mentor = login(server, f.mentor_key);
  auto mentee = login(server, f.mentee_key);
  const auto doc = ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "contract"}}).at("document").at("id").as_int64();
  const auto key = device::new_document_key(device::system_random());
  auto seal = [&](const device::IdentityKeyPair& author, std::uint32_t version, const wire::Hash& previous,
                  const std::string& text) {
    const device::VersionPlace place{
        {static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc), wire::DocumentKind::contract, 0, 0},
        version, previous};
    return *device::seal_version(author, key, place, wire::to_bytes(text), device::system_random());
  };
  auto write = [&](client::Connection& c, std::uint32_t version, const device::SealedVersion& v,
                   std::optional<wire::Signature> signature = std::nullopt) {
    return c.request("document.write", json::object{{"document", doc},
                                                    {"version", version},
                                                    {"body", wire::base64url_encode(v.body)},
                                                    {"signature", wire::base64url_encode(signature.value_or(v.signature))}});
  };

  const auto v1 = seal(f.mentor_key, 1, {}, "We meet monthly.");
  REQUIRE(write(*mentor, 1, v1).is_ok());

  // A version signed by someone else's key, or claiming another author, is refused.
  const auto by_mentee = seal(f.mentee_key, 2, v1.hash, "We meet weekly.");
  auto forged = write(*mentee, 2, by_mentee, f.coordinator_key.sign(wire::document_signature_message(
      {static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc), wire::DocumentKind::contract, 0, 0}, 2,
      by_mentee.hash)));
  REQUIRE_FALSE(forged.is_ok());
  CHECK(forged.status().code() == wire::ErrorCode::bad_signature);
  auto impostor = write(*mentor, 2, by_mentee);
  REQUIRE_FALSE(impostor.is_ok());
  CHECK(impostor.status().code() == wire::ErrorCode::bad_signature);

  // Two edits on top of version 1: the first wins, the second gets conflict and changes nothing.
  const auto by_mentor = seal(f.mentor_key, 2, v1.hash, "We meet every other week.");
  REQUIRE(write(*mentee, 2, by_mentee).is_ok());
  auto late = write(*mentor, 2, by_mentor);
  REQUIRE_FALSE(late.is_ok());
  CHECK(late.status().code() == wire::ErrorCode::conflict);
  const auto versions = ok(*mentor, "document.get", json::object{{"document", doc}}).at("versions").as_array();
  REQUIRE(versions.size() == 2);
  CHECK(versions[1].at("body").as_string() == wire::base64url_encode(by_mentee.body));
  // Building on a version that is not the stored latest is a conflict too.
  auto stale = write(*mentor, 3, seal(f.mentor_key, 3, by_mentor.hash, "stale"));
  REQUIRE_FALSE(stale.is_ok());
  CHECK(stale.status().code() == wire::ErrorCode::conflict);
  // The same bytes again are a harmless retry.
  auto retry = write(*mentee, 2, by_mentee);
  REQUIRE(retry.is_ok());
  CHECK(retry.value().at("duplicate").as_bool());

  // Contract signatures: over another version's hash, by another key, or of an old version: refused.
  auto sign = [&](client::Connection& c, std::uint32_t version, const wire::Signature& s) {
    return c.request("contract.sign",
                     json::object{{"document", doc}, {"version", version}, {"signature", wire::base64url_encode(s)}});
  };
  const auto over_v1 = f.mentor_key.sign(wire::contract_signature_message(
      static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc), 2, v1.hash));
  auto wrong_version = sign(*mentor, 2, over_v1);
  REQUIRE_FALSE(wrong_version.is_ok());
  CHECK(wrong_version.status().code() == wire::ErrorCode::bad_signature);
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc),
                                                        2, by_mentee.hash);
  auto wrong_key = sign(*mentor, 2, f.mentee_key.sign(message));
  REQUIRE_FALSE(wrong_key.is_ok());
  CHECK(wrong_key.status().code() == wire::ErrorCode::bad_signature);
  auto old = sign(*mentor, 1, f.mentor_key.sign(wire::contract_signature_message(
                                  static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc), 1, v1.hash)));
  REQUIRE_FALSE(old.is_ok());
  CHECK(old.status().code() == wire::ErrorCode::conflict);
  CHECK(ok(*mentor, "contract.status", json::object{{"pair", f.pair}}).at("contract").at("state").as_string() == "draft");
  // The right signature from each member makes it signed; a login signature is no contract signature.
  auto login_like = sign(*mentor, 2, f.mentor_key.sign(wire::login_message({}, {}, f.mentor_key.public_key())));
  CHECK(login_like.status().code() == wire::ErrorCode::bad_signature);
  REQUIRE(sign(*mentor, 2, f.mentor_key.sign(message)).is_ok());
  CHECK(ok(*mentee, "contract.status", json::object{{"pair", f.pair}}).at("contract").at("state").as_string() == "signed_by_one");
  REQUIRE(sign(*mentee, 2, f.mentee_key.sign(message)).is_ok());
  CHECK(ok(*mentee, "contract.status", json::object{{"pair", f.pair}}).at("contract").at("state").as_string() == "signed");
  // An edit after signing makes a new draft.
  REQUIRE(write(*mentor, 3, seal(f.mentor_key, 3, by_mentee.hash, "Changed after signing.")).is_ok());
  CHECK(ok(*mentee, "contract.status", json::object{{"pair", f.pair}}).at("contract").at("state").as_string() == "draft");
}

TEST_CASE("a reflection never reaches the partner, nor its key", "[attack][documents][sqlite]") {
  World w;
  REQUIRE(w.maria.run({"reflection", "set", w.pair, "--text", "Three ways I am a good role model: patience"}).exit_code == 0);
  CHECK(w.maria.json({"reflection", "show", w.pair}).at("documents").at(0).at("text").as_string().find("patience") !=
        std::string::npos);
  // Tom's device sees no reflection, and no envelope (no key share) ever left Maria's device.
  CHECK(w.tom.json({"reflection", "show", w.pair}).at("documents").as_array().empty());
  CHECK(w.tom.json({"sync"}).at("received").as_array().empty());
  Tamper t(w.tmp / "data");
  CHECK(t.integer("SELECT count(*) FROM envelope_log") == 0);
  CHECK(t.integer("SELECT count(*) FROM documents WHERE kind = 5 AND owner_id = 2") == 1);
}

TEST_CASE("a reflection does not exist for the partner, even asked for by id", "[attack][documents][access]") {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  PairFixture f(server);
  auto mentor = login(server, f.mentor_key);
  auto mentee = login(server, f.mentee_key);
  const auto id = ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "reflection"}}).at("document").at("id").as_int64();
  CHECK(ok(*mentor, "document.list", json::object{{"pair", f.pair}}).at("documents").as_array().size() == 1);
  CHECK(ok(*mentee, "document.list", json::object{{"pair", f.pair}}).at("documents").as_array().empty());
  auto direct = mentee->request("document.get", json::object{{"document", id}});
  REQUIRE_FALSE(direct.is_ok());
  CHECK(direct.status().code() == wire::ErrorCode::not_found);
  // The mentee's own reflection is a different document.
  const auto own = ok(*mentee, "document.open", json::object{{"pair", f.pair}, {"kind", "reflection"}}).at("document").at("id").as_int64();
  CHECK(own != id);
}

TEST_CASE("12: canaries in documents never reach the server's database, WAL or log", "[attack][documents][canary][sqlite]") {
  World w;
  const std::vector<std::string> canaries{"CANARY-doc-4b1d-promotion-plan", "CANARY-doc-9e77-contract-clause",
                                          "CANARY-doc-c3a0-private-reflection"};
  w.goals(w.tom, canaries[0]);
  write_file(w.tmp / "contract.md", "Clause: " + canaries[1] + "\n");
  REQUIRE(w.tom.run({"contract", "draft", w.pair, "--file", (w.tmp / "contract.md").string()}).exit_code == 0);
  REQUIRE(w.maria.run({"reflection", "set", w.pair, "--text", canaries[2]}).exit_code == 0);
  REQUIRE(w.maria.run({"goals", "show", w.pair}).out.find(canaries[0]) != std::string::npos);
  const std::string server_disk = read_tree(w.tmp / "data") + w.server.log();
  for (const auto& c : canaries) {
    INFO(c);
    CHECK(server_disk.find(c) == std::string::npos);
  }
}

TEST_CASE("a document key that could not reach the partner is sent by the writer's next document command",
          "[documents][sqlite]") {
  World w;
  {
    Tamper t(w.tmp / "data");  // Maria's published keys are gone: nobody can start a session with her
    t.exec("DELETE FROM device_keys WHERE member_id = 2");
    t.exec("DELETE FROM one_time_prekeys WHERE member_id = 2");
  }
  const auto first = w.tom.run({"goals", "set", w.pair, "--text", "Learn to delegate"});
  CHECK(first.exit_code == 1);
  CHECK(first.err.find("is saved, but its key did not reach your partner yet") != std::string::npos);
  // Maria's device publishes its keys again on her next command, but has no key for the goals yet.
  const auto early = w.maria.run({"goals", "show", w.pair});
  CHECK(early.exit_code == 1);
  CHECK(early.err.find("has not reached this device yet") != std::string::npos);
  // Any document command of Tom's sends the waiting key; then Maria reads the version.
  REQUIRE(w.tom.run({"contract", "status", w.pair}).exit_code == 0);
  const auto shown = w.maria.json({"goals", "show", w.pair}).at("documents").as_array();
  REQUIRE(shown.size() == 1);
  CHECK(shown[0].at("text").as_string() == "Learn to delegate\n");
}

TEST_CASE("24: asked for the private reflection, the server answers with the goals: nothing is written or shared",
          "[attack][documents][sqlite]") {
  LyingWorld w;
  REQUIRE(w.tom.run({"goals", "set", w.pair, "--text", "Finish the thesis"}).exit_code == 0);
  REQUIRE(w.maria.run({"goals", "show", w.pair}).exit_code == 0);  // Maria's device holds the goals' key
  const auto goals = w.document("kind = 3");
  w.store->answer_open_with(id_of(w.pair), wire::DocumentKind::reflection, goals);

  expect_caught(w.maria.run({"reflection", "set", w.pair, "--text", "PRIVATE: I doubt I am a good role model"}),
                "when you asked for your private reflection");
  CHECK(w.versions(goals) == 1);
  const auto shown = w.tom.json({"goals", "show", w.pair}).at("documents").at(0);
  CHECK(shown.at("text").as_string() == "Finish the thesis\n");
}

TEST_CASE("24: text meant for one pair is never written into another pair's document", "[attack][documents][sqlite]") {
  LyingWorld w;
  REQUIRE(w.tom.run({"goals", "set", w.pair, "--text", "Tom's goals"}).exit_code == 0);
  REQUIRE(w.maria.run({"goals", "show", w.pair}).exit_code == 0);
  const auto toms_goals = w.document("kind = 3 AND pair_id = " + w.pair);
  w.store->answer_open_with(id_of(w.second_pair), wire::DocumentKind::goals, toms_goals);

  expect_caught(w.maria.run({"goals", "set", w.second_pair, "--text", "For Ana only: the salary talk"}),
                "answered with the goals of pair " + w.pair);
  CHECK(w.versions(toms_goals) == 1);
  CHECK(w.tom.json({"goals", "show", w.pair}).at("documents").at(0).at("text").as_string() == "Tom's goals\n");
}

TEST_CASE("24: one meeting's agenda is not shown as another's", "[attack][documents][sqlite]") {
  World w;
  auto schedule = [&](const std::string& at) {
    return std::to_string(w.maria.json({"meeting", "schedule", w.pair, "--at", at}).at("meeting").at("id").as_int64());
  };
  const auto first = schedule("2031-01-10T10:00Z");
  const auto second = schedule("2031-02-10T10:00Z");
  REQUIRE(w.tom.run({"agenda", "set", w.pair, "--meeting", first, "--text", "First: my internship"}).exit_code == 0);
  REQUIRE(w.tom.run({"agenda", "set", w.pair, "--meeting", second, "--text", "Second: the exam"}).exit_code == 0);
  {
    Tamper t(w.tmp / "data");  // the server swaps which meeting each agenda belongs to
    t.exec("UPDATE documents SET meeting_id = -meeting_id WHERE kind = 1");
    t.exec("UPDATE documents SET meeting_id = CASE -meeting_id WHEN " + first + " THEN " + second + " ELSE " + first +
           " END WHERE kind = 1");
  }
  const auto shown = w.maria.run({"agenda", "show", w.pair, "--meeting", first});
  CHECK(shown.out.find("Second: the exam") == std::string::npos);
  expect_caught(shown, "answered with another document");
}

TEST_CASE("24: contract sign is not pointed at another pair's contract", "[attack][documents]") {
  LyingWorld w;
  write_file(w.tmp / "contract.md", "Tom and Maria meet monthly.\n");
  REQUIRE(w.tom.run({"contract", "draft", w.pair, "--file", (w.tmp / "contract.md").string()}).exit_code == 0);
  REQUIRE(w.maria.run({"contract", "show", w.pair}).exit_code == 0);
  w.store->list_documents_of(id_of(w.second_pair), id_of(w.pair));  // Ana's pair shows Tom's contract

  expect_caught(w.maria.run({"contract", "sign", w.second_pair}), "answered with the contract of pair " + w.pair);
  CHECK(w.tom.json({"contract", "status", w.pair}).at("contract").at("state").as_string() == "draft");
}

TEST_CASE("34: a reader with no known head is not served a silently truncated history", "[attack][documents][sqlite]") {
  World w;
  w.goals(w.tom, "v1");
  w.goals(w.tom, "v2");
  w.goals(w.tom, "v3");
  {
    Tamper t(w.tmp / "data");  // the newest version disappears; the document still says 3
    t.exec("DELETE FROM document_versions WHERE version = 3");
  }
  const auto shown = w.maria.run({"goals", "show", w.pair});
  CHECK(shown.out.find("v2") == std::string::npos);
  expect_caught(shown, "left out the newest versions");
}

TEST_CASE("34: after an accepted key change, versions signed with the partner's old key still verify",
          "[attack][documents][trust][sqlite]") {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  CliPairWorld people{server, tmp.path(), {"Mallory"}};
  const auto& pair = people.pair;
  REQUIRE(people.tom.run({"goals", "set", pair, "--text", "Written with Tom's first key"}).exit_code == 0);
  REQUIRE(people.maria.run({"goals", "show", pair}).exit_code == 0);
  {
    Tamper t(tmp / "data");  // Tom's identity key changes (to the one Mallory's device holds)
    t.exec("UPDATE device_keys SET (identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature) = (SELECT identity_dh_key, identity_dh_signature, signed_prekey_id, signed_prekey, "
           "signed_prekey_signature FROM device_keys WHERE member_id = 4) WHERE member_id = 3");
    t.exec("DELETE FROM one_time_prekeys WHERE member_id = 3");
    t.exec("UPDATE one_time_prekeys SET member_id = 3 WHERE member_id = 4");
    t.exec("CREATE TEMP TABLE k AS SELECT identity_key FROM members WHERE id = 4");
    t.exec("UPDATE members SET identity_key = zeroblob(32) WHERE id = 4");
    t.exec("UPDATE members SET identity_key = (SELECT identity_key FROM k) WHERE id = 3");
  }
  // Tom's new device (the one holding the new key) writes to Maria: her device notices the change.
  REQUIRE(people.others.at("Mallory").run({"send", pair, "Tom here, on a new device"}).exit_code == 0);
  people.maria.run({"sync"});
  const auto compared = people.maria.json({"safety-number", pair});
  REQUIRE(compared.at("status").as_string() == "changed");
  REQUIRE(people.maria.run({"trust", pair, "--accept-new-key", std::string(compared.at("safety_number").as_string())})
              .exit_code == 0);
  const auto shown = people.maria.json({"goals", "show", pair}).at("documents").as_array();
  REQUIRE(shown.size() == 1);
  CHECK(shown[0].at("text").as_string() == "Written with Tom's first key\n");
}

TEST_CASE("33: the editor gets a 0600 file in a 0700 directory, wiped and removed afterwards", "[attack][documents]") {
  TempDir tmp;
  // The "editor" records the modes it saw and the path, then appends a line.
  const auto seen = tmp / "seen.txt";
  write_file(tmp / "editor.sh", "#!/bin/sh\nstat -c '%a' \"$1\" \"$(dirname \"$1\")\" > '" + seen.string() +
                                    "'\necho \"$1\" >> '" + seen.string() + "'\necho 'my reflection' >> \"$1\"\n");
  std::filesystem::permissions(tmp / "editor.sh", std::filesystem::perms::owner_all);
  const auto text = client::edit_privately("sh '" + (tmp / "editor.sh").string() + "'", tmp.path(), "# Reflection\n");
  REQUIRE(text.is_ok());
  CHECK(text.value() == "# Reflection\nmy reflection\n");
  const auto lines = read_all(seen);
  CHECK(lines.rfind("600\n700\n", 0) == 0);
  const auto path = lines.substr(lines.rfind("700\n") + 4, lines.size() - lines.rfind("700\n") - 5);
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(path).parent_path()));
}

TEST_CASE("document.write refuses a ciphertext that is not a padded size", "[documents]") {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  PairFixture f(server);
  auto mentor = login(server, f.mentor_key);
  const auto doc = ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "goals"}}).at("document").at("id").as_int64();
  const auto key = device::new_document_key(device::system_random());
  const device::VersionPlace place{{static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc),
                                    wire::DocumentKind::goals, 0, 0}, 1, {}};
  auto sealed = *device::seal_version(f.mentor_key, key, place, wire::to_bytes("our goals"), device::system_random());
  sealed.body.resize(sealed.body.size() - 5);  // 64 + 16 - 5 bytes of ciphertext
  const auto hash = wire::document_version_hash(sealed.body);
  const auto signature = f.mentor_key.sign(wire::document_signature_message(place.identity, 1, hash));
  auto r = mentor->request("document.write", json::object{{"document", doc},
                                                          {"version", 1},
                                                          {"body", wire::base64url_encode(sealed.body)},
                                                          {"signature", wire::base64url_encode(signature)}});
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == wire::ErrorCode::invalid_field);
  CHECK(r.status().field() == "body");
  CHECK(r.status().message().find("not a padded size") != std::string::npos);
  CHECK(ok(*mentor, "document.get", json::object{{"document", doc}}).at("versions").as_array().empty());
}

TEST_CASE("29: versions per document and documents per pair are quotas", "[attack][documents][quota]") {
  TempDir tmp;
  ServerProcess server{tmp / "data", {"--max-versions-per-document", "2", "--max-documents-per-pair", "2"}};
  PairFixture f(server);
  auto mentor = login(server, f.mentor_key);
  const auto doc = ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "goals"}}).at("document").at("id").as_int64();
  ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "contract"}});
  auto third = mentor->request("document.open", json::object{{"pair", f.pair}, {"kind", "reflection"}});
  REQUIRE_FALSE(third.is_ok());
  CHECK(third.status().code() == wire::ErrorCode::quota_exceeded);
  // Opening a document that exists is no new document.
  CHECK(ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "goals"}}).at("document").at("id").as_int64() == doc);

  const auto key = device::new_document_key(device::system_random());
  wire::Hash previous{};
  for (std::uint32_t version = 1; version <= 3; ++version) {
    const device::VersionPlace place{{static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc),
                                      wire::DocumentKind::goals, 0, 0}, version, previous};
    const auto sealed = *device::seal_version(f.mentor_key, key, place, wire::to_bytes("goals"), device::system_random());
    auto r = mentor->request("document.write", json::object{{"document", doc},
                                                            {"version", version},
                                                            {"body", wire::base64url_encode(sealed.body)},
                                                            {"signature", wire::base64url_encode(sealed.signature)}});
    if (version <= 2) {
      REQUIRE(r.is_ok());
    } else {
      REQUIRE_FALSE(r.is_ok());
      CHECK(r.status().code() == wire::ErrorCode::quota_exceeded);
    }
    previous = sealed.hash;
  }
  CHECK(ok(*mentor, "document.get", json::object{{"document", doc}}).at("versions").as_array().size() == 2);
}

TEST_CASE("33: the invite code can stay off the command line; --invite still works, with a warning", "[attack][enroll]") {
  World w;
  auto invite = [&](const std::string& name) {
    return std::string(w.people.ada.json({"invite", "--programme", w.people.programme, "--name", name}).at("code").as_string());
  };
  write_file(w.tmp / "invite.txt", invite("Zoe") + "\n");
  const Cli zoe(w.tmp / "zoe");
  const auto from_file = zoe.run({"enroll", "--server", w.server.url(), "--ca", test_ca_file(), "--invite-file",
                                  (w.tmp / "invite.txt").string()});
  INFO(from_file.err);
  CHECK(from_file.exit_code == 0);
  CHECK(from_file.err.find("visible to other users") == std::string::npos);

  const Cli yan(w.tmp / "yan");
  const auto on_command_line = yan.run({"enroll", "--server", w.server.url(), "--ca", test_ca_file(), "--invite", invite("Yan")});
  CHECK(on_command_line.exit_code == 0);
  CHECK(on_command_line.err.find("visible to other users of this computer") != std::string::npos);

  const Cli xia(w.tmp / "xia");
  const auto none = xia.run({"enroll", "--server", w.server.url(), "--ca", test_ca_file()});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no invite code") != std::string::npos);
}

TEST_CASE("documents kept from protocol version 1: served as stored, read-only, named by the client, started afresh",
          "[documents][migration][sqlite]") {
  World w;
  {  // What schema migration 6 leaves of goals Tom wrote with a version 1 client, before either upgraded.
    Tamper t(w.tmp / "data");
    t.exec("INSERT INTO documents (pair_id, kind, created_by, created_at, latest_version, updated_at, format) "
           "SELECT id, 3, mentee_id, formed_at, 1, formed_at, 1 FROM pairs WHERE id = " + w.pair);
    t.exec("INSERT INTO document_versions (document_id, version, author_id, body, signature, hash, created_at) "
           "SELECT id, 1, created_by, X'01' || randomblob(99), zeroblob(64), zeroblob(32), created_at "
           "FROM documents WHERE kind = 3");
  }
  const auto old = w.goals_document();
  auto shown = w.maria.run({"goals", "show", w.pair});
  INFO(shown.out << shown.err);
  CHECK(shown.exit_code == 0);
  CHECK(shown.err.find("document " + old + " (the goals of pair " + w.pair +
                       ") was written by an older mentorlink (protocol version 1)") != std::string::npos);
  CHECK(shown.out.find("nothing written yet") != std::string::npos);
  // A new goals document starts; the partner reads it.
  w.goals(w.maria, "Goals under version 2");
  CHECK(w.tom.json({"goals", "show", w.pair}).at("documents").at(0).at("text").as_string() == "Goals under version 2\n");
  {
    Tamper t(w.tmp / "data");
    CHECK(t.integer("SELECT count(*) FROM documents WHERE kind = 3") == 2);
    CHECK(t.integer("SELECT count(*) FROM document_versions WHERE document_id = " + old) == 1);
  }
}

TEST_CASE("a version 1 body met by a version 2 client is refused with a sentence", "[documents][migration][sqlite]") {
  World w;
  w.goals(w.tom, "Goals");
  {
    Tamper t(w.tmp / "data");  // a version 1 body where the document says version 2
    t.exec("UPDATE document_versions SET body = X'01' || substr(body, 2)");
  }
  expect_caught(w.maria.run({"goals", "show", w.pair}), "written by an older mentorlink (protocol version 1)");
}

TEST_CASE("the server serves a version 1 document as stored and refuses to extend it", "[documents][migration][sqlite]") {
  TempDir tmp;
  ServerProcess server{tmp / "data"};
  PairFixture f(server);
  auto mentor = login(server, f.mentor_key);
  const auto doc = ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "goals"}}).at("document").at("id").as_int64();
  const auto key = device::new_document_key(device::system_random());
  const wire::DocumentIdentity identity{static_cast<std::uint64_t>(f.pair), static_cast<std::uint64_t>(doc),
                                        wire::DocumentKind::goals, 0, 0};
  auto write = [&](std::uint32_t version, const wire::Hash& previous) {
    const auto v = *device::seal_version(f.mentor_key, key, {identity, version, previous}, wire::to_bytes("goals"),
                                         device::system_random());
    return std::make_pair(v, mentor->request("document.write", json::object{{"document", doc},
                                                                            {"version", version},
                                                                            {"body", wire::base64url_encode(v.body)},
                                                                            {"signature", wire::base64url_encode(v.signature)}}));
  };
  const auto [first, written] = write(1, {});
  REQUIRE(written.is_ok());
  {
    Tamper t(tmp / "data");
    t.exec("UPDATE document_versions SET body = X'01' || substr(body, 2)");
    t.exec("UPDATE documents SET format = 1");
  }
  const auto got = ok(*mentor, "document.get", json::object{{"document", doc}});
  CHECK(got.at("document").at("format").as_int64() == 1);
  REQUIRE(got.at("versions").as_array().size() == 1);
  CHECK(wire::base64url_decode(got.at("versions").at(0).at("body").as_string()).value().at(0) == 0x01);
  const auto [second, refused] = write(2, first.hash);
  REQUIRE_FALSE(refused.is_ok());
  CHECK(refused.status().code() == wire::ErrorCode::conflict);
  // document.open starts a new document with the same identity.
  CHECK(ok(*mentor, "document.open", json::object{{"pair", f.pair}, {"kind", "goals"}}).at("document").at("id").as_int64() != doc);
}

TEST_CASE("24: one member's feedback is not shown as the other's", "[attack][documents][sqlite]") {
  World w;
  const auto meeting =
      std::to_string(w.maria.json({"meeting", "start", w.pair}).at("meeting").at("id").as_int64());
  REQUIRE(w.maria.run({"meeting", "end", meeting}).exit_code == 0);
  REQUIRE(w.maria.run({"feedback", "set", w.pair, "--meeting", meeting, "--text", "Maria: Tom prepared well"}).exit_code == 0);
  REQUIRE(w.tom.run({"feedback", "set", w.pair, "--meeting", meeting, "--text", "Tom: I wanted more time"}).exit_code == 0);
  {
    Tamper t(w.tmp / "data");  // the server swaps whose feedback is whose
    t.exec("UPDATE documents SET owner_id = -owner_id WHERE kind = 4");  // members 2 and 3 trade places
    t.exec("UPDATE documents SET owner_id = 5 + owner_id WHERE kind = 4");
  }
  const auto shown = w.maria.run({"feedback", "show", w.pair, "--meeting", meeting});
  CHECK(shown.out.find("Your feedback") == std::string::npos);
  expect_caught(shown, "this device knows it as the feedback of pair " + w.pair + ", meeting " + meeting + ", member 2");
}
