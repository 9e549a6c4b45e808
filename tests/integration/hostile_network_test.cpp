// Hostile network on loopback (SECURITY.md 16-18): slowloris, per-address limits, slow consumers.
#include <openssl/ssl.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "protocol/wire/messages/events.h"
#include "tests/integration/session_helpers.h"
#include "tests/support/raw_tls.h"
#include "tests/support/temp_dir.h"

using namespace mentorlink;
using namespace mentorlink::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

void raise_descriptor_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

std::string metrics_of(const ServerProcess& server) {
  RawTls tls(server.port(), TLS1_3_VERSION, TLS1_3_VERSION, test_ca_file());
  REQUIRE(tls.handshake().empty());
  tls.write("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  return tls.drain(10s).bytes;
}

// The envelope of a pushed "message" event, decoded as the client does.
wire::messages::Envelope envelope_of(const wire::Incoming& event) {
  auto decoded = wire::messages::MessageEvent::decode(event.body);
  INFO((decoded.is_ok() ? std::string() : decoded.status().message()));
  REQUIRE(decoded.is_ok());
  return decoded.value().envelope;
}

// The pushed "message" event a connected device receives next.
wire::messages::Envelope next_message(client::Connection& c) {
  for (;;) {
    for (auto& e : c.take_events()) {
      if (e.event == "message") return envelope_of(e);
    }
    auto frame = c.receive_text();
    REQUIRE(frame.is_ok());
    auto in = wire::parse_incoming(frame.value()).value();
    if (in.event == "message") return envelope_of(in);
  }
}

}  // namespace

TEST_CASE("16: a thousand slowloris connections are closed by deadline while real clients chat", "[hostile][slow]") {
  raise_descriptor_limit();
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--handshake-timeout-ms", "1500", "--max-connections-per-address", "5000"});
  PairFixture f(server);
  InProcessDevice maria(server, std::move(f.mentor_key));
  InProcessDevice tom(server, std::move(f.mentee_key));

  std::vector<std::unique_ptr<RawTcp>> attackers;
  for (int i = 0; i < 1000; ++i) {
    attackers.push_back(std::make_unique<RawTcp>(server.port()));
    // Half dribble the first bytes of a TLS record and stop; half send nothing at all.
    if (i % 2 == 0) attackers.back()->send(std::string("\x16\x03\x01\x02", 4));
  }
  // Real traffic goes on at normal speed meanwhile.
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    REQUIRE(maria.messenger->send_text(f.pair, "still here " + std::to_string(i)).is_ok());
    client::SyncResult problems;
    auto got = tom.messenger->receive(next_message(*tom.connection), problems);
    REQUIRE(got.is_ok());
    CHECK(got.value()->text == "still here " + std::to_string(i));
  }
  const auto chat_time = std::chrono::steady_clock::now() - start;
  CHECK(chat_time < 10s);

  int closed = 0;
  for (auto& a : attackers) closed += a->drain(10s).closed ? 1 : 0;
  CHECK(closed == 1000);
  // The server closes a socket at the deadline and counts it just after, so the counter may
  // trail the closes seen here by a few; it must name the reason and never over-count.
  const auto metrics = metrics_of(server);
  const std::string label = "mentorlink_connections_rejected_total{reason=\"handshake_timeout\"} ";
  const auto at = metrics.find(label);
  REQUIRE(at != std::string::npos);
  const long counted = std::stol(metrics.substr(at + label.size()));
  CHECK(counted > 0);
  CHECK(counted <= 1000);
}

TEST_CASE("per-address limits: connections beyond the limit are refused, login attempts are rate limited", "[hostile]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-connections-per-address", "3", "--auth-attempts-per-minute", "2"});
  std::vector<std::unique_ptr<RawTcp>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<RawTcp>(server.port()));
  RawTcp fourth(server.port());
  const auto refused = fourth.drain(5s);
  CHECK(refused.closed);
  CHECK(refused.elapsed < 2s);
  held.clear();

  auto c = connect(server);
  const auto stranger = device::IdentityKeyPair::generate();
  CHECK(client::log_in(*c, stranger).status().code() == wire::ErrorCode::unknown_identity);
  CHECK(client::log_in(*c, stranger).status().code() == wire::ErrorCode::unknown_identity);
  auto third = client::log_in(*c, stranger);
  CHECK(third.status().code() == wire::ErrorCode::rate_limited);
  CHECK(third.status().message().find("wait a minute") != std::string::npos);
  CHECK(metrics_of(server).find("reason=\"max_connections_per_address\"} 1") != std::string::npos);
}

TEST_CASE("18: a slow consumer is disconnected and gets everything, once, after reconnecting", "[hostile][slow]") {
  TempDir tmp;
  ServerProcess server(tmp / "data", {"--max-outbound-queue", "8"});
  PairFixture f(server);
  InProcessDevice maria(server, std::move(f.mentor_key));
  InProcessDevice tom(server, std::move(f.mentee_key));  // logged in, but never reads

  constexpr int kMessages = 300;
  const std::string filler(60'000, 'x');
  for (int i = 0; i < kMessages; ++i) {
    REQUIRE(maria.messenger->send_text(f.pair, std::to_string(i) + ":" + filler).is_ok());
  }
  // What was already on the wire is read and thrown away; then comes the server's close.
  for (;;) {
    tom.connection->take_events();
    if (!tom.connection->receive_text().is_ok()) break;
  }
  CHECK(tom.connection->close_code() == 1008);
  CHECK(metrics_of(server).find("reason=\"outbound_queue_full\"} 1") != std::string::npos);

  // Tom's device comes back with the same state and takes in everything it never acknowledged.
  tom.connection = login(server, tom.identity);
  tom.messenger = std::make_unique<client::Messenger>(*tom.connection, tom.identity, tom.state,
                                                      [] { return wire::Status::ok(); });
  auto synced = tom.messenger->sync();
  REQUIRE(synced.is_ok());
  REQUIRE(synced.value().received.size() == kMessages);
  for (int i = 0; i < kMessages; ++i) {
    CHECK(synced.value().received[static_cast<std::size_t>(i)].text.starts_with(std::to_string(i) + ":"));
  }
  CHECK(synced.value().problems.empty());
  CHECK(tom.messenger->sync().value().received.empty());
}
