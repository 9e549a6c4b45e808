// The real server on the PostgreSQL store (--store): PostgreSQL stopped for a moment under a
// running server. Requests meanwhile are answered unavailable; once it is back they succeed, and
// nothing acknowledged is lost.
#include <catch2/catch.hpp>

#include "tests/support/cli_world.h"
#include "tests/support/postgres_instance.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;

TEST_CASE("postgresql: stopped under a running server, requests are answered unavailable, then succeed; "
          "nothing acknowledged is lost",
          "[postgresql][unavailable]") {
  TempDir tmp;
  PostgresInstance pg;  // its own: this test stops it
  ServerProcess server(tmp / "data", {"--store", pg.fresh_store_url()});
  CliPairWorld w(server, tmp.path());
  Cli& maria = w.maria;
  Cli& tom = w.tom;
  const std::string& pair = w.pair;

  CHECK(maria.json({"send", pair, "Before the outage"}).at("seq").as_int64() == 1);

  pg.stop();
  const auto refused = maria.run({"send", pair, "During the outage"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("unavailable") != std::string::npos);
  CHECK(tom.run({"sync"}).exit_code != 0);

  pg.start();
  const auto after = maria.json({"send", pair, "After the outage"});
  const auto synced = tom.json({"sync"});
  const auto& received = synced.at("received").as_array();
  // The message sent during the outage is there at most once (the CLI keeps it for a retry when it
  // got as far as sending it), between the two others.
  REQUIRE(received.size() >= 2);
  REQUIRE(received.size() <= 3);
  CHECK(received.front().at("text").as_string() == "Before the outage");
  CHECK(received.back().at("text").as_string() == "After the outage");
  CHECK(received.back().at("seq").as_int64() == after.at("seq").as_int64());
  CHECK(received.back().at("seq").as_int64() == static_cast<std::int64_t>(received.size()));  // no gap
  CHECK(tom.json({"sync"}).at("received").as_array().empty());
}
