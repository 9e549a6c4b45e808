#include "bench/loadgen/report.h"

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <ostream>
#include <stdexcept>
#include <utility>
#include <vector>

namespace mentorlink::bench {
namespace json = boost::json;

namespace {

// Above this share of its core the load generator, not the server, may be what limits a row.
constexpr double kClientBoundCpu = 0.80;
// An open-loop row that delivers less than this share of the offered rate could not carry it.
constexpr double kCarriedRateShare = 0.95;
// The targets of the Targets table: idle memory per connection and durable document versions.
constexpr double kIdleKibTarget = 16;
constexpr double kDocumentVersionsTarget = 4000;

std::string fixed(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  const std::string s = buf;
  if (decimals != 0) return s;
  std::string grouped;  // thousands separators for large counts
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i - 1] != '-' && (s.size() - i) % 3 == 0) grouped += ',';
    grouped += s[i];
  }
  return grouped;
}

double num(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v == nullptr ? 0.0 : v->to_number<double>();
}

// CPU time per operation: a fair comparison when the load generator, not the server, is the
// limit (handshakes: the client's half of TLS costs about as much as the server's).
std::string per_unit_us(double cpu_share, double per_second) {
  return per_second > 0 ? fixed(cpu_share / per_second * 1e6) : "—";
}

std::string label(const json::object& o) { return std::string(o.at("server").as_string()); }

std::string percent(double share) { return fixed(share * 100, 0) + " %"; }

// The load generator's CPU share, marked when the row may measure the load generator instead.
std::string loadgen_cpu(const json::object& o) {
  const double share = num(o, "loadgen_cpu");
  return percent(share) + (share > kClientBoundCpu ? " client-bound" : "");
}

bool failed(const json::object& o) { return o.contains("failure"); }

// The rows of scenario that failed, as a list under its table: who, and why.
void write_failures(const std::vector<json::object>& rows, const char* scenario, std::ostream& out) {
  bool first = true;
  for (const auto& r : rows) {
    if (r.at("scenario") != scenario || !failed(r)) continue;
    if (std::exchange(first, false)) out << "\n";
    out << "- " << label(r);
    if (r.contains("payload_bytes")) out << ", " << fixed(num(r, "payload_bytes")) << " B";
    out << ": failed: " << r.at("failure").as_string().c_str() << "\n";
  }
}

// "1.23 ×" of value against the Node row's, or "—" when there is none.
std::string ratio(double value, const json::object* node, const char* key) {
  if (node == nullptr || num(*node, key) <= 0) return "—";
  return fixed(value / num(*node, key), 2) + " ×";
}

const json::object* find(const std::vector<json::object>& rows, const std::string& server, const char* scenario,
                         double payload = -1) {
  for (const auto& r : rows) {
    if (label(r) == server && r.at("scenario").as_string() == scenario && !failed(r) &&
        (payload < 0 || num(r, "payload_bytes") == payload)) {
      return &r;
    }
  }
  return nullptr;
}

}  // namespace

void write_report(const std::string& results_file, std::ostream& out) {
  std::ifstream in(results_file);
  if (!in) throw std::runtime_error("cannot read " + results_file);
  std::vector<json::object> rows;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) rows.push_back(json::parse(line).as_object());
  }

  out << "### Relay throughput (closed loop, envelopes pre-encrypted)\n\n"
      << "| server | payload | sends/s | deliveries/s | vs Node | server CPU | server CPU µs per send | load generator CPU | errors |\n"
      << "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : rows) {
    if (r.at("scenario") != "throughput" || failed(r)) continue;
    const auto payload = num(r, "payload_bytes");
    out << "| " << label(r) << " | " << fixed(payload) << " B | " << fixed(num(r, "sends_per_s")) << " | "
        << fixed(num(r, "deliveries_per_s")) << " | "
        << ratio(num(r, "sends_per_s"), find(rows, kNode, "throughput", payload), "sends_per_s") << " | "
        << percent(num(r, "server_cpu")) << " | " << per_unit_us(num(r, "server_cpu"), num(r, "sends_per_s")) << " | "
        << loadgen_cpu(r) << " | " << fixed(num(r, "errors")) << " |\n";
  }
  write_failures(rows, "throughput", out);

  out << "\n### Latency, open loop (every message encrypted and decrypted with the Double Ratchet)\n\n"
      << "| server | payload | offered/s | delivered/s | p50 µs | p99 µs | p99.9 µs | max µs | p99 vs Node | server CPU | load generator CPU |\n"
      << "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : rows) {
    if (r.at("scenario") != "latency" || failed(r)) continue;
    const auto payload = num(r, "payload_bytes");
    out << "| " << label(r) << " | " << fixed(payload) << " B | " << fixed(num(r, "offered_rate")) << " | "
        << fixed(num(r, "deliveries_per_s"))
        << (num(r, "deliveries_per_s") < kCarriedRateShare * num(r, "offered_rate") ? " (cannot carry the rate)" : "")
        << " | " << fixed(num(r, "p50_us")) << " | " << fixed(num(r, "p99_us"))
        << " | " << fixed(num(r, "p999_us")) << " | " << fixed(num(r, "max_us")) << " | "
        << ratio(num(r, "p99_us"), find(rows, kNode, "latency", payload), "p99_us") << " | "
        << percent(num(r, "server_cpu")) << " | " << loadgen_cpu(r) << " |\n";
  }
  write_failures(rows, "latency", out);

  out << "\n### Idle TLS WebSocket connections\n\n"
      << "| server | connections | server RSS before | after | per connection | vs Node |\n"
      << "| --- | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : rows) {
    if (r.at("scenario") != "idle" || failed(r)) continue;
    out << "| " << label(r) << " | " << fixed(num(r, "connections")) << " | "
        << fixed(num(r, "server_rss_before_kib") / 1024, 1) << " MiB | " << fixed(num(r, "server_rss_kib") / 1024, 1)
        << " MiB | " << fixed(num(r, "kib_per_connection"), 1) << " KiB | "
        << ratio(num(r, "kib_per_connection"), find(rows, kNode, "idle"), "kib_per_connection") << " |\n";
  }
  write_failures(rows, "idle", out);

  out << "\n### Handshakes (TCP + TLS 1.3 + WebSocket upgrade + login, then close)\n\n"
      << "| server | per second | vs Node | server CPU | server CPU µs per handshake | load generator CPU | errors |\n"
      << "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : rows) {
    if (r.at("scenario") != "handshakes" || failed(r)) continue;
    out << "| " << label(r) << " | " << fixed(num(r, "handshakes_per_s")) << " | "
        << ratio(num(r, "handshakes_per_s"), find(rows, kNode, "handshakes"), "handshakes_per_s") << " | "
        << percent(num(r, "server_cpu")) << " | " << per_unit_us(num(r, "server_cpu"), num(r, "handshakes_per_s"))
        << " | " << loadgen_cpu(r) << " | " << fixed(num(r, "errors")) << " |\n";
  }
  write_failures(rows, "handshakes", out);

  out << "\n### Document versions (signed, encrypted, hash-chained; one writer per pair)\n\n"
      << "| server | writers | plaintext | versions/s | server CPU | load generator CPU | errors |\n"
      << "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : rows) {
    if (r.at("scenario") != "documents" || failed(r)) continue;
    out << "| " << label(r) << " | " << fixed(num(r, "writers")) << " | " << fixed(num(r, "payload_bytes")) << " B | "
        << fixed(num(r, "versions_per_s")) << " | " << percent(num(r, "server_cpu")) << " | "
        << loadgen_cpu(r) << " | " << fixed(num(r, "errors")) << " |\n";
  }
  write_failures(rows, "documents", out);

  out << "\n### Targets\n\n| target | measured | met |\n| --- | --- | --- |\n";
  const auto row = [&out](const std::string& target, const std::string& measured, bool met) {
    out << "| " << target << " | " << measured << " | " << (met ? "yes" : "no") << " |\n";
  };
  const auto cpu_us = [](const json::object& r, const char* per_second) {
    return num(r, per_second) > 0 ? num(r, "server_cpu") / num(r, per_second) * 1e6 : 0.0;
  };
  for (const double payload : {64.0, 1024.0}) {
    const std::string at = " (" + fixed(payload) + " B)";
    const auto* durable = find(rows, kDurable, "throughput", payload);
    const auto* node = find(rows, kNode, "throughput", payload);
    const auto* nosync = find(rows, kNoSync, "throughput", payload);
    if (durable != nullptr && node != nullptr) {
      const double r = num(*durable, "sends_per_s") / num(*node, "sends_per_s");
      row("durable throughput ≥ Node" + at, fixed(r, 2) + " ×", r >= 1);
      row("durable throughput ≥ 2 × Node, the goal" + at, fixed(r, 2) + " ×", r >= 2);
      const double mine = cpu_us(*durable, "sends_per_s");
      const double theirs = cpu_us(*node, "sends_per_s");
      row("server CPU per send ≤ Node's" + at, fixed(mine) + " µs vs " + fixed(theirs) + " µs", mine <= theirs);
    }
    if (durable != nullptr && nosync != nullptr) {
      const double r = num(*durable, "sends_per_s") / num(*nosync, "sends_per_s");
      row("durable ÷ no-fsync ≥ 0.8" + at, fixed(r, 2), r >= 0.8);
    }
    // The offered rate is half of the Node relay's closed-loop maximum (bench/run.sh).
    if (const auto *d = find(rows, kDurable, "latency", payload), *n = find(rows, kNode, "latency", payload); d && n) {
      const bool carried = num(*d, "deliveries_per_s") >= kCarriedRateShare * num(*d, "offered_rate");
      const std::string measured = fixed(num(*d, "p99_us")) + " µs vs " + fixed(num(*n, "p99_us")) + " µs" +
                                   (carried ? "" : " (mentorlink cannot carry the rate)");
      row("p99 at half of Node's maximum ≤ 2 × Node's" + at, measured,
          carried && num(*d, "p99_us") <= 2 * num(*n, "p99_us"));
    }
  }
  if (const auto *d = find(rows, kDurable, "idle"), *n = find(rows, kNode, "idle"); d && n) {
    const double kib = num(*d, "kib_per_connection");
    row("idle RSS per connection ≤ 16 KiB at " + fixed(num(*d, "connections")) + " connections",
        fixed(kib, 1) + " KiB (Node " + fixed(num(*n, "kib_per_connection"), 1) + " KiB)", kib <= kIdleKibTarget);
  }
  if (const auto *d = find(rows, kDurable, "handshakes"), *n = find(rows, kNode, "handshakes"); d && n) {
    const double mine = cpu_us(*d, "handshakes_per_s");
    const double theirs = cpu_us(*n, "handshakes_per_s");
    row("server CPU per handshake with login ≤ Node's without", fixed(mine) + " µs vs " + fixed(theirs) + " µs",
        mine <= theirs);
  }
  if (const auto* d = find(rows, kDurable, "documents")) {
    row("durable document versions ≥ " + fixed(kDocumentVersionsTarget) + " per second",
        fixed(num(*d, "versions_per_s")), num(*d, "versions_per_s") >= kDocumentVersionsTarget);
  }
}

}  // namespace mentorlink::bench
