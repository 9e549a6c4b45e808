// The benchmark's load generator (bench/loadgen) against the real server: it enrols a world,
// relays messages both ways (pre-encrypted and with the Double Ratchet per message), writes
// document versions and logs in repeatedly, and every figure it prints is consistent. Keeps the
// harness working between benchmark runs; the figures themselves are bench/run.sh's business.
#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include "tests/support/process.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink::test;
namespace json = boost::json;

namespace {

json::object loadgen(const std::vector<std::string>& args) {
  auto r = run_process(MENTORLINK_LOADGEN_BIN, args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out).as_object();
}

double number(const json::object& o, const char* key) { return o.at(key).to_number<double>(); }

}  // namespace

TEST_CASE("the load generator drives the real server and reports what it measured", "[bench]") {
  TempDir tmp;
  ServerProcess server(tmp / "data");
  const auto invite = server.bootstrap("Bench coordinator");
  const auto port = std::to_string(server.port());
  const auto world = (tmp / "world.json").string();
  const auto ca = test_ca_file();
  REQUIRE(run_process(MENTORLINK_LOADGEN_BIN, {"setup", "--port", port, "--ca", ca, "--invite", invite, "--pairs", "3",
                                               "--world", world})
              .exit_code == 0);
  const std::vector<std::string> common{"--port", port,       "--ca",      ca,    "--server-pid", std::to_string(server.pid()),
                                        "--warmup", "0.2", "--seconds", "0.5", "--label",      "mentorlink"};
  auto with = [&](std::vector<std::string> head, std::vector<std::string> tail) {
    head.insert(head.end(), common.begin(), common.end());
    head.insert(head.end(), tail.begin(), tail.end());
    return head;
  };

  const auto relay = loadgen(with({"relay"}, {"--world", world, "--payload", "64"}));
  CHECK(relay.at("scenario") == "throughput");
  CHECK(number(relay, "errors") == 0);
  CHECK(number(relay, "sends_per_s") > 0);
  CHECK(number(relay, "deliveries_per_s") > 0);
  CHECK(number(relay, "server_cpu") > 0);

  const auto latency = loadgen(with({"relay"}, {"--world", world, "--rate", "200", "--encrypt"}));
  CHECK(latency.at("scenario") == "latency");
  CHECK(number(latency, "errors") == 0);
  CHECK(number(latency, "decrypt_failures") == 0);
  CHECK(number(latency, "latency_samples") > 0);
  CHECK(number(latency, "p50_us") > 0);
  CHECK(number(latency, "p50_us") <= number(latency, "p99_us"));
  CHECK(number(latency, "p99_us") <= number(latency, "max_us"));

  const auto documents = loadgen(with({"documents"}, {"--world", world}));
  CHECK(number(documents, "errors") == 0);
  CHECK(number(documents, "versions_per_s") > 0);

  const auto handshakes = loadgen(with({"handshakes"}, {"--world", world, "--concurrency", "2"}));
  CHECK(number(handshakes, "errors") == 0);
  CHECK(number(handshakes, "handshakes_per_s") > 0);

  const auto idle = loadgen(with({"idle"}, {"--connections", "20"}));
  CHECK(number(idle, "connections") == 20);
  CHECK(number(idle, "server_rss_kib") > 0);
}
