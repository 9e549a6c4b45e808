// The benchmark's load generator (bench/loadgen) against the real server: it enrols a world,
// relays messages both ways (pre-encrypted and with the Double Ratchet per message), writes
// document versions and logs in repeatedly, and every figure it prints is consistent. Keeps the
// harness working between benchmark runs; the figures themselves are bench/run.sh's business.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>

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

// A loopback port whose connections the kernel accepts and nobody ever answers.
class SilentListener {
 public:
  SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 64) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  SilentListener(const SilentListener&) = delete;
  SilentListener& operator=(const SilentListener&) = delete;
  std::string port() const { return std::to_string(port_); }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

constexpr int kDeadlineExit = 3;  // kDeadlineExitCode, bench/loadgen/deadline.h

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

TEST_CASE("a load generator run that gets no answer fails at its deadline, naming what it waited for", "[bench]") {
  SilentListener silent;
  const auto r = run_process(MENTORLINK_LOADGEN_BIN,
                             {"relay", "--target", "baseline", "--pairs", "2", "--port", silent.port(), "--ca",
                              test_ca_file(), "--server-pid", std::to_string(::getpid()), "--label", "silent",
                              "--warmup", "0.1", "--seconds", "0.1", "--deadline", "1"});
  INFO(r.err);
  CHECK(r.exit_code == kDeadlineExit);
  const auto line = json::parse(r.out).as_object();
  CHECK(line.at("server") == "silent");
  CHECK(line.at("scenario") == "throughput");
  const std::string failure(line.at("failure").as_string());
  CHECK(failure.find("deadline of 1 s") != std::string::npos);
  CHECK(failure.find("still waiting for the clients to connect and log in (0 of 4 ready") != std::string::npos);
  CHECK(r.err.find(failure) != std::string::npos);
}

// The hang bench/run.sh once met: a writer in a write when the run ended waited for a wake-up that had
// already happened, and the run never returned. An acknowledgement per envelope keeps writers in
// writes most of the time (with the old writer loop, 5 runs in 6 hung); the deadline turns a hang
// into a failure instead of a stuck test.
TEST_CASE("relay runs against the bare Beast relay end by themselves, run after run", "[bench]") {
  TempDir tmp;
  const std::string certs = std::string(MENTORLINK_TEST_CERTS) + "/trusted/";
  ChildProcess relay(MENTORLINK_BEAST_RELAY_BIN, {"0", certs + "server.crt", certs + "server.key"}, tmp / "relay.err");
  const auto banner = relay.read_line();
  REQUIRE(banner.has_value());
  const auto port = banner->substr(banner->rfind(':') + 1);
  for (int run = 0; run < 5; ++run) {
    const auto r = run_process(MENTORLINK_LOADGEN_BIN,
                               {"relay", "--target", "baseline", "--pairs", "50", "--port", port, "--ca", test_ca_file(),
                                "--server-pid", std::to_string(relay.pid()), "--label", "bare Beast relay",
                                "--warmup", "0.2", "--seconds", "0.3", "--ack-every", "1", "--deadline", "20"});
    INFO("run " << run << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto line = json::parse(r.out).as_object();
    CHECK_FALSE(line.contains("failure"));
    CHECK(number(line, "sends_per_s") > 0);
    CHECK(number(line, "errors") == 0);
  }
}

TEST_CASE("the report marks client-bound rows and lists failed runs with their reasons", "[bench]") {
  TempDir tmp;
  const auto results = tmp / "results.jsonl";
  {
    std::ofstream out(results);
    out << R"({"scenario":"throughput","payload_bytes":64,"seconds":1,"server_cpu":0.9,"loadgen_cpu":0.92,)"
        << R"("sends_per_s":30000,"deliveries_per_s":30000,"errors":0,"server":"Node ws relay"})" << "\n"
        << R"({"scenario":"throughput","payload_bytes":64,"seconds":1,"server_cpu":0.9,"loadgen_cpu":0.2,)"
        << R"("sends_per_s":6000,"deliveries_per_s":6000,"errors":0,"server":"mentorlink"})" << "\n"
        << R"({"scenario":"throughput","payload_bytes":64,"server":"bare Beast relay",)"
        << R"("failure":"no result within the deadline of 40 s (--deadline): still waiting for the end of the warm-up."})"
        << "\n"
        << R"({"scenario":"latency","payload_bytes":64,"offered_rate":15000,"seconds":1,"server_cpu":1,)"
        << R"("loadgen_cpu":0.5,"deliveries_per_s":6000,"p50_us":1,"p99_us":2,"p999_us":3,"max_us":4,"server":"mentorlink"})"
        << "\n";
  }
  const auto r = run_process(MENTORLINK_LOADGEN_BIN, {"report", results.string()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("| Node ws relay | 64 B | 30,000 | 30,000 | 1.00 × | 90 % | 30 | 92 % client-bound | 0 |") !=
        std::string::npos);
  CHECK(r.out.find("| mentorlink | 64 B | 6,000 | 6,000 | 0.20 × | 90 % | 150 | 20 % | 0 |") != std::string::npos);
  CHECK(r.out.find("- bare Beast relay, 64 B: failed: no result within the deadline of 40 s (--deadline): still "
                   "waiting for the end of the warm-up.") != std::string::npos);
  CHECK(r.out.find("| 6,000 (cannot carry the rate) |") != std::string::npos);
}
