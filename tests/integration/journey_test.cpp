// The foundation journey of PRODUCT.md with the real binaries over real TLS: the operator
// bootstraps, the coordinator enrols and builds a programme, two participants enrol on their own
// devices, a pair is formed, both see it, one ends it.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/cli.h"
#include "tests/support/files.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;


TEST_CASE("journey: bootstrap, enroll, programme, invites, pair formed, seen by both, ended", "[journey][sqlite]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const std::string ca = test_ca_file();
  Cli ada(tmp / "ada"), maria(tmp / "maria"), tom(tmp / "tom");

  const auto boot_code = server.bootstrap("Ada Coordinator");
  auto enrolled = ada.enroll(server.url(), boot_code, ca);
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  CHECK(enrolled.out.find("Enrolled as Ada Coordinator") != std::string::npos);

  const auto programme = ada.json({"programme", "create", "--name", "Graduates 2027", "--purpose", "careers"});
  const auto pid = std::to_string(programme.at("programme").at("id").as_int64());

  const auto maria_invite = ada.json({"invite", "--programme", pid, "--role", "participant", "--name", "Maria"});
  const auto tom_invite = ada.json({"invite", "--programme", pid, "--role", "participant", "--name", "Tom"});
  REQUIRE(maria.enroll(server.url(), std::string(maria_invite.at("code").as_string()), ca).exit_code == 0);
  REQUIRE(tom.enroll(server.url(), std::string(tom_invite.at("code").as_string()), ca).exit_code == 0);

  const auto whoami = tom.json({"whoami"});
  CHECK(whoami.at("member").at("name").as_string() == "Tom");
  REQUIRE(whoami.at("programmes").as_array().size() == 1);
  CHECK(whoami.at("programmes").at(0).at("your_role").as_string() == "participant");

  const auto members = ada.json({"members", "--programme", pid}).at("members").as_array();
  REQUIRE(members.size() == 3);

  // Names resolve to members; the pair appears for both of its members with their roles.
  const auto formed = ada.json({"pair", "create", "--mentor", "Maria", "--mentee", "tom"});
  const auto pair_id = formed.at("pair").at("id").as_int64();
  const auto tom_pairs = tom.json({"pairs"}).at("pairs").as_array();
  const auto maria_pairs = maria.json({"pairs"}).at("pairs").as_array();
  REQUIRE(tom_pairs.size() == 1);
  REQUIRE(maria_pairs.size() == 1);
  CHECK(tom_pairs[0].at("your_role").as_string() == "mentee");
  CHECK(maria_pairs[0].at("your_role").as_string() == "mentor");
  CHECK(tom_pairs[0].at("status").as_string() == "active");

  const auto people = tom.run({"pairs"});
  CHECK(people.exit_code == 0);
  CHECK(people.out.find("Maria") != std::string::npos);

  const auto ended = tom.json({"pair", "end", std::to_string(pair_id)});
  CHECK(ended.at("pair").at("status").as_string() == "ended");
  CHECK(maria.json({"pairs"}).at("pairs").at(0).at("status").as_string() == "ended");

  // Nothing secret reaches the server's log or its database: invite codes, private keys.
  const auto log = server.log();
  for (const auto* code : {&maria_invite, &tom_invite}) {
    CHECK(log.find(std::string(code->at("code").as_string())) == std::string::npos);
  }
  CHECK(log.find(boot_code) == std::string::npos);
  const auto db = read_all(tmp / "data" / "mentorlink.db") + read_all(tmp / "data" / "mentorlink.db-wal");
  CHECK(db.find(boot_code) == std::string::npos);
  CHECK(db.find(std::string(maria_invite.at("code").as_string())) == std::string::npos);
}

TEST_CASE("journey errors read as sentences, exit non-zero, and change nothing", "[journey]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const std::string ca = test_ca_file();
  Cli ada(tmp / "ada"), maria(tmp / "maria"), other(tmp / "other");
  REQUIRE(ada.enroll(server.url(), server.bootstrap("Ada"), ca).exit_code == 0);
  const auto p1 = std::to_string(ada.json({"programme", "create", "--name", "One"}).at("programme").at("id").as_int64());
  const auto p2 = std::to_string(ada.json({"programme", "create", "--name", "Two"}).at("programme").at("id").as_int64());
  const auto code = std::string(ada.json({"invite", "--programme", p1, "--name", "Maria"}).at("code").as_string());
  REQUIRE(maria.enroll(server.url(), code, ca).exit_code == 0);

  SECTION("a reused invite") {
    const auto r = other.enroll(server.url(), code, ca);
    CHECK(r.exit_code == 1);
    CHECK(r.err == "mentorlink: this invite has already been used\n");
    CHECK_FALSE(std::filesystem::exists(other.home() / "keystore.json"));
    CHECK(ada.json({"members", "--programme", p1}).at("members").as_array().size() == 2);
  }
  SECTION("a participant creating a programme or a pair") {
    auto r = maria.run({"programme", "create", "--name", "Mine"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("only a coordinator created by the operator") != std::string::npos);
    r = maria.run({"pair", "create", "--programme", p1, "--mentor", "1", "--mentee", "2"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("only a coordinator of this programme may form pairs") != std::string::npos);
    CHECK(ada.json({"programme", "list"}).at("programmes").as_array().size() == 2);
    CHECK(ada.json({"pairs"}).at("pairs").as_array().empty());
  }
  SECTION("a member of one programme reading another") {
    const auto r = maria.run({"members", "--programme", p2});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "mentorlink: you are not a member of this programme\n");
    const auto j = maria.run({"--json", "pairs", "--programme", p2});
    CHECK(j.exit_code == 1);
    CHECK(json::parse(j.out).at("error").at("code").as_string() == "forbidden");
  }
  SECTION("plain ws:// and a certificate from another CA") {
    auto r = other.run({"enroll", "--server", "ws://localhost:" + std::to_string(server.port()), "--ca", ca,
                        "--invite", "x"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("only talks over TLS") != std::string::npos);
    r = other.enroll(server.url(), "x", test_ca_file("other"));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("certificate verify failed") != std::string::npos);
  }
  SECTION("a command before enrolling, and a wrong passphrase") {
    auto r = other.run({"whoami"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("has not enrolled yet") != std::string::npos);
    r = run_process(MENTORLINK_CLI_BIN, {"--home", maria.home().string(), "whoami"},
                    {{"MENTORLINK_PASSPHRASE", "not the passphrase"}});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("wrong passphrase") != std::string::npos);
  }
  SECTION("usage errors exit with 2") {
    const auto r = maria.run({"pair", "create", "--mentor", "1"});
    CHECK(r.exit_code == 2);
  }
}
