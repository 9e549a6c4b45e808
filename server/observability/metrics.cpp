#include "server/observability/metrics.h"

#include <cstdio>

namespace mentorlink::server {
namespace {

void bump(std::map<std::string, std::uint64_t, std::less<>>& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) it = m.emplace(std::string(key), 0).first;
  ++it->second;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::connection_opened() {
  ++open_connections_;
  ++connections_total_;
}

void Metrics::connection_closed() { --open_connections_; }

void Metrics::connection_rejected(std::string_view reason) {
  std::lock_guard lock(mutex_);
  bump(rejected_, reason);
}

void Metrics::request(std::string_view type) {
  std::lock_guard lock(mutex_);
  bump(requests_, type);
}

void Metrics::error(std::string_view code) {
  std::lock_guard lock(mutex_);
  bump(errors_, code);
}

void Metrics::store_call(std::string_view operation, double seconds, bool failed) {
  std::lock_guard lock(mutex_);
  auto it = store_.find(operation);
  if (it == store_.end()) it = store_.emplace(std::string(operation), Histogram{}).first;
  auto& h = it->second;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
  if (failed) ++h.failures;
}

void Metrics::commit_batch(std::size_t requests) {
  commit_batches_.fetch_add(1);
  commit_batched_requests_.fetch_add(requests);
}

std::string Metrics::render_prometheus() const {
  std::string out;
  out += "# HELP mentorlink_commit_batches_total Group commits (one store transaction each).\n";
  out += "# TYPE mentorlink_commit_batches_total counter\n";
  out += "mentorlink_commit_batches_total " + std::to_string(commit_batches_.load()) + "\n";
  out += "# HELP mentorlink_commit_batched_requests_total Requests answered through group commits.\n";
  out += "# TYPE mentorlink_commit_batched_requests_total counter\n";
  out += "mentorlink_commit_batched_requests_total " + std::to_string(commit_batched_requests_.load()) + "\n";
  out += "# HELP mentorlink_connections_open TLS connections currently open.\n";
  out += "# TYPE mentorlink_connections_open gauge\n";
  out += "mentorlink_connections_open " + std::to_string(open_connections_.load()) + "\n";
  out += "# HELP mentorlink_connections_total TLS connections accepted since start.\n";
  out += "# TYPE mentorlink_connections_total counter\n";
  out += "mentorlink_connections_total " + std::to_string(connections_total_.load()) + "\n";

  std::lock_guard lock(mutex_);
  out += "# HELP mentorlink_connections_rejected_total Connections refused or closed early, by reason.\n";
  out += "# TYPE mentorlink_connections_rejected_total counter\n";
  for (const auto& [reason, n] : rejected_) {
    out += "mentorlink_connections_rejected_total{reason=\"" + reason + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP mentorlink_requests_total Protocol requests received, by type.\n";
  out += "# TYPE mentorlink_requests_total counter\n";
  for (const auto& [type, n] : requests_) {
    out += "mentorlink_requests_total{type=\"" + type + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP mentorlink_errors_total Error responses sent, by code.\n";
  out += "# TYPE mentorlink_errors_total counter\n";
  for (const auto& [code, n] : errors_) {
    out += "mentorlink_errors_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP mentorlink_store_seconds Latency of store calls, by operation.\n";
  out += "# TYPE mentorlink_store_seconds histogram\n";
  for (const auto& [op, h] : store_) {
    const std::string label = "operation=\"" + op + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += "mentorlink_store_seconds_bucket{" + label + ",le=\"" + number(kBuckets[i]) + "\"} " +
             std::to_string(h.counts[i]) + "\n";
    }
    out += "mentorlink_store_seconds_bucket{" + label + ",le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    out += "mentorlink_store_seconds_sum{" + label + "} " + number(h.sum) + "\n";
    out += "mentorlink_store_seconds_count{" + label + "} " + std::to_string(h.count) + "\n";
  }
  out += "# HELP mentorlink_store_failures_total Store calls that failed with a storage fault.\n";
  out += "# TYPE mentorlink_store_failures_total counter\n";
  for (const auto& [op, h] : store_) {
    out += "mentorlink_store_failures_total{operation=\"" + op + "\"} " + std::to_string(h.failures) + "\n";
  }
  return out;
}

}  // namespace mentorlink::server
