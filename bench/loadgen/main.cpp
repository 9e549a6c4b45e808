// mentorlink-loadgen: the benchmark load generator (bench/README.md). Each run prints one JSON
// line of figures; `report` turns a file of them into markdown tables.
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>

#include "bench/loadgen/report.h"
#include "bench/loadgen/scenarios.h"
#include "protocol/device/secure_buffer.h"

namespace bench = mentorlink::bench;

int main(int argc, char** argv) {
  // Benchmark keys only: guarded memory per message key would make the load generator the limit.
  mentorlink::device::use_secret_memory(mentorlink::device::SecretMemory::plain);
  CLI::App app{"mentorlink-loadgen: load for mentorlink-server and the baseline relays"};
  app.require_subcommand(1);

  bench::Common common;
  std::string world_file;
  std::string target = "mentorlink";
  std::string label;
  std::size_t pairs = 100;
  double deadline_s = 0;
  const auto add_deadline = [&](CLI::App* c) {
    c->add_option("--deadline", deadline_s,
                  "seconds after which the run fails, naming what it waited for (default: warm-up + measure + " +
                      std::to_string(static_cast<int>(bench::kDeadlineSlackSeconds)) + " s + " +
                      std::to_string(static_cast<int>(bench::kDeadlineSecondsPerConnection * 1000)) +
                      " ms per connection)")
        ->check(CLI::PositiveNumber);
  };
  auto add_common = [&](CLI::App* c) {
    c->add_option("--port", common.endpoint.port, "server port on 127.0.0.1")->required();
    c->add_option("--ca", common.endpoint.ca_file, "CA certificate that signed the server's")->required();
    c->add_option("--server-pid", common.server_pid, "server process, sampled for CPU and RSS")->required();
    c->add_option("--target", target, "mentorlink or baseline")->check(CLI::IsMember({"mentorlink", "baseline"}))
        ->capture_default_str();
    c->add_option("--label", label, "server label for the report")->required();
    c->add_option("--warmup", common.warmup_s, "seconds before measuring")->capture_default_str();
    c->add_option("--seconds", common.measure_s, "seconds measured")->capture_default_str();
    add_deadline(c);
  };
  auto add_world = [&](CLI::App* c) {
    c->add_option("--world", world_file, "members file from `setup` (mentorlink targets)");
    c->add_option("--pairs", pairs, "pairs for a baseline target (synthetic members)")->capture_default_str();
  };

  std::string invite;
  auto* setup = app.add_subcommand("setup", "enrol a coordinator, a programme and PAIRS pairs; write the world file");
  setup->add_option("--port", common.endpoint.port)->required();
  setup->add_option("--ca", common.endpoint.ca_file)->required();
  setup->add_option("--invite", invite, "bootstrap invite from `mentorlink-server bootstrap`")->required();
  setup->add_option("--pairs", pairs)->capture_default_str();
  setup->add_option("--world", world_file)->required();
  add_deadline(setup);

  bench::RelayOptions relay;
  auto* relay_cmd = app.add_subcommand("relay", "every member sends to its partner: throughput or, with --rate, latency");
  add_common(relay_cmd);
  add_world(relay_cmd);
  relay_cmd->add_option("--payload", relay.payload_bytes, "plaintext bytes")->capture_default_str();
  relay_cmd->add_option("--window", relay.window, "closed loop: sends in flight per client")->capture_default_str();
  relay_cmd->add_option("--rate", relay.rate, "open loop: messages per second in total");
  relay_cmd->add_flag("--encrypt", relay.encrypt, "encrypt and decrypt every message (else pre-encrypted)");
  relay_cmd->add_option("--ack-every", relay.ack_every, "a receiver sends message.ack after this many envelopes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();

  std::size_t connections = 10'000;
  auto* idle_cmd = app.add_subcommand("idle", "hold CONNECTIONS idle connections and report server RSS per connection");
  add_common(idle_cmd);
  idle_cmd->add_option("--connections", connections)->capture_default_str();
  idle_cmd->add_option("--source-addresses", common.endpoint.source_addresses,
                       "connect from this many loopback addresses, 127.0.0.1 and up (each has one ephemeral port range)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{254}))
      ->capture_default_str();

  std::size_t concurrency = 32;
  auto* hs_cmd = app.add_subcommand("handshakes", "connect + TLS + upgrade + login, then close, in a loop");
  add_common(hs_cmd);
  add_world(hs_cmd);
  hs_cmd->add_option("--concurrency", concurrency)->capture_default_str();

  std::size_t doc_bytes = 1024;
  auto* doc_cmd = app.add_subcommand("documents", "one writer per pair appends document versions");
  add_common(doc_cmd);
  add_world(doc_cmd);
  doc_cmd->add_option("--payload", doc_bytes, "plaintext bytes per version")->capture_default_str();

  std::string results_file;
  auto* report_cmd = app.add_subcommand("report", "print markdown tables from a file of result lines");
  report_cmd->add_option("results", results_file)->required();

  CLI11_PARSE(app, argc, argv);
  if (*report_cmd) {
    try {
      bench::write_report(results_file, std::cout);
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "mentorlink-loadgen: " << e.what() << "\n";
      return 1;
    }
  }

  // A run that fails still prints its result line, with the reason, so the report shows the row.
  boost::json::object failed;
  failed["scenario"] = *relay_cmd ? (relay.rate > 0 ? "latency" : "throughput")
                       : *idle_cmd ? "idle"
                       : *hs_cmd   ? "handshakes"
                       : *doc_cmd  ? "documents"
                                   : "setup";
  if (*relay_cmd) failed["payload_bytes"] = relay.payload_bytes;
  if (*doc_cmd) failed["payload_bytes"] = doc_bytes;
  if (*idle_cmd) failed["connections"] = connections;
  failed["server"] = label;
  const auto fail = [&](const std::string& reason) {
    failed["failure"] = reason;
    if (!*setup) std::cout << boost::json::serialize(failed) << std::endl;
    std::cerr << "mentorlink-loadgen: " << reason << std::endl;
  };
  if (deadline_s <= 0 && *setup) {
    deadline_s = bench::kDeadlineSlackSeconds + static_cast<double>(2 * pairs) * bench::kDeadlineSecondsPerMember;
  } else if (deadline_s <= 0) {
    const std::size_t opened = *idle_cmd ? connections : *hs_cmd ? concurrency : 2 * pairs;
    deadline_s = bench::default_deadline_seconds(common.warmup_s, common.measure_s, opened);
  }
  bench::Deadline deadline(deadline_s, fail);
  common.deadline = &deadline;
  try {
    if (*setup) {
      deadline.waiting_for("the server to enrol the coordinator, the programme and " + std::to_string(pairs) + " pairs");
      const auto url = "wss://localhost:" + common.endpoint.port + "/v1";
      bench::save_world(bench::make_world(url, common.endpoint.ca_file, invite, pairs), world_file);
      return 0;
    }
    common.target = target == "mentorlink" ? bench::Target::mentorlink : bench::Target::baseline;
    auto world = [&] {
      if (!world_file.empty()) return bench::load_world(world_file);
      if (common.target == bench::Target::mentorlink) throw std::runtime_error("--world is needed for mentorlink");
      return bench::synthetic_world(pairs);
    };
    boost::json::object result;
    if (*relay_cmd) result = bench::run_relay(common, world(), relay);
    if (*idle_cmd) result = bench::run_idle(common, connections);
    if (*hs_cmd) result = bench::run_handshakes(common, world(), concurrency);
    if (*doc_cmd) result = bench::run_documents(common, world(), doc_bytes);
    result["server"] = label;
    std::cout << boost::json::serialize(result) << std::endl;
    return 0;
  } catch (const std::exception& e) {
    fail(e.what());
    return 1;
  }
}
