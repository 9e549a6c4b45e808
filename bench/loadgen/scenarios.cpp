#include "bench/loadgen/scenarios.h"

#include <sys/resource.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstring>
#include <iostream>
#include <optional>

#include "bench/loadgen/histogram.h"
#include "bench/loadgen/process_stats.h"
#include "protocol/device/device_keys.h"
#include "protocol/device/document_cipher.h"
#include "protocol/device/session.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/frame.h"
#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/session.h"
#include "protocol/wire/signatures.h"

namespace mentorlink::bench {
namespace json = boost::json;
namespace msg = wire::messages;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kConnectParallel = 64;  // connection attempts in flight while setting up
constexpr std::uint64_t kMaxOpenLoopBacklog = 10'000;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count());
}

double self_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

asio::awaitable<void> sleep_for(std::chrono::nanoseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(d);
  co_await t.async_wait(use_tuple);
}

std::chrono::nanoseconds seconds(double s) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(s * 1e9));
}

void waiting_for(const Common& common, std::string what) {
  if (common.deadline != nullptr) common.deadline->waiting_for(std::move(what));
}

// Logs a client in; returns after the login result.
asio::awaitable<void> log_in(WsClient& ws, Target target, const BenchMember& member) {
  if (target == Target::baseline) {
    co_await ws.write(R"({"id":1,"type":"login","body":{"member":)" + std::to_string(member.id) + "}}");
    co_await ws.read();
    co_return;
  }
  // Frames are built before co_await: GCC 12 destroys a braced temporary inside a co_await twice.
  const std::string hello_frame =
      wire::serialize_request({0, std::string(msg::HelloRequest::kType), msg::HelloRequest{}.encode()});
  co_await ws.write(hello_frame);
  auto hello = wire::parse_incoming(co_await ws.read());
  if (!hello.is_ok() || hello.value().kind != wire::Incoming::Kind::result) throw std::runtime_error("hello refused");
  auto hello_result = msg::HelloResult::decode(hello.value().body);
  if (!hello_result.is_ok()) throw std::runtime_error("hello: " + hello_result.status().message());
  const auto identity = member.identity();
  const auto message = wire::login_message(hello_result.value().challenge, ws.exporter(), identity.public_key());
  const msg::LoginRequest login_request{identity.public_key(), identity.sign(message)};
  const std::string login_frame =
      wire::serialize_request({1, std::string(msg::LoginRequest::kType), login_request.encode()});
  co_await ws.write(login_frame);
  auto login = wire::parse_incoming(co_await ws.read());
  if (!login.is_ok() || login.value().kind != wire::Incoming::Kind::result) {
    throw std::runtime_error(login.is_ok() ? "login refused: " + login.value().error.message() : "login unreadable");
  }
}

// Connects count clients, kConnectParallel at a time; make(i) runs after client i is connected.
template <class OnConnected>
asio::awaitable<void> connect_all(asio::io_context& io, TlsClientContext& tls, const Common& common,
                                  std::size_t count, OnConnected on_connected) {
  std::size_t next = 0;
  std::size_t ready = 0;
  std::size_t running = 0;
  std::exception_ptr failure;
  asio::steady_timer done(io);
  const auto progress = [&] {
    waiting_for(common, "the clients to connect and log in (" + std::to_string(ready) + " of " +
                            std::to_string(count) + " ready; the others in TCP connect, TLS handshake, "
                            "WebSocket upgrade or login)");
  };
  auto worker = [&]() -> asio::awaitable<void> {
    while (next < count && !failure) {
      const auto i = next++;
      try {
        auto ws = co_await WsClient::connect(io, tls, common.endpoint, i);
        co_await on_connected(i, std::move(ws));
        ++ready;
        progress();
      } catch (...) {
        if (!failure) failure = std::current_exception();
      }
    }
    if (--running == 0) done.cancel();
  };
  progress();
  running = std::min(count, kConnectParallel);
  for (std::size_t w = 0, n = running; w < n; ++w) asio::co_spawn(io, worker(), asio::detached);
  while (running > 0) {  // checked before each wait: a cancel() reaches only a pending wait
    done.expires_at(asio::steady_timer::time_point::max());
    co_await done.async_wait(use_tuple);
  }
  if (failure) std::rethrow_exception(failure);
}

// The figures every scenario reports for its measurement window.
struct Window {
  ProcessSample server_start, server_end;
  double self_cpu_start = 0, self_cpu_end = 0;
  Clock::time_point start, end;

  void open(pid_t server) {
    server_start = sample_process(server);
    self_cpu_start = self_cpu_seconds();
    start = Clock::now();
  }
  void close(pid_t server) {
    end = Clock::now();
    server_end = sample_process(server);
    self_cpu_end = self_cpu_seconds();
  }
  double elapsed() const { return std::chrono::duration<double>(end - start).count(); }
  void describe(json::object& out) const {
    out["seconds"] = elapsed();
    out["server_cpu"] = (server_end.cpu_seconds - server_start.cpu_seconds) / elapsed();
    out["loadgen_cpu"] = (self_cpu_end - self_cpu_start) / elapsed();
    out["server_rss_kib"] = server_end.rss_bytes / 1024;
  }
};

// The warm-up, then the measured window. reset() zeroes the scenario's counters as it opens.
template <class Reset>
asio::awaitable<void> measure(const Common& common, Window& window, Reset reset) {
  waiting_for(common, "the end of the warm-up");
  co_await sleep_for(seconds(common.warmup_s));
  reset();
  window.open(common.server_pid);
  waiting_for(common, "the end of the measurement window");
  co_await sleep_for(seconds(common.measure_s));
  window.close(common.server_pid);
}

// ---- relay ------------------------------------------------------------------------------------

struct RelayClient {
  std::unique_ptr<WsClient> ws;
  const BenchMember* member = nullptr;
  std::optional<device::Session> session;  // encrypt mode
  std::optional<asio::steady_timer> wake;  // the writer waits here
  // A message.send request (PROTOCOL.md §3) from msg::MessageSendRequest::encode. Pre-encrypted,
  // its body (base64 of the ciphertext) is encoded once and only id and client_id change per send.
  json::object send_frame;
  std::uint64_t next_id = 2;               // even ids: message.send; odd: message.ack
  std::uint64_t in_flight = 0;
  std::uint64_t client_counter = 0;
  std::uint64_t message_counter = 1;       // the sender's per-pair counter; 1 went in the first exchange
  std::int64_t last_seq = 0;
  std::size_t unacked = 0;
  bool ack_due = false;
};

struct RelayRun {
  const Common& common;
  const RelayOptions& options;
  std::vector<RelayClient> clients;
  Histogram latency;
  std::uint64_t sends_done = 0, delivered = 0, errors = 0, decrypt_failures = 0;
  std::uint64_t window_start_ns = 0, window_end_ns = ~std::uint64_t{0};
  bool stopping = false;
  std::string first_error;
  std::size_t readers = 0, writers = 0;  // coroutines still running

  // At the end of the run: what is left to finish.
  void report_stopping() const {
    waiting_for(common, "the clients to stop after their connections were closed (" + std::to_string(writers) +
                            " writers and " + std::to_string(readers) + " readers still running)");
  }
};

// Unique per run, client and message: the server treats a repeated client_id as a retry.
wire::Bytes client_id(std::size_t client, std::uint64_t counter) {
  static const std::uint32_t run = [] {
    std::uint32_t r = 0;
    device::system_random().fill(std::span(reinterpret_cast<std::uint8_t*>(&r), sizeof(r)));
    return r;
  }();
  const auto client32 = static_cast<std::uint32_t>(client);
  wire::Bytes id(msg::kClientIdBytes);
  std::memcpy(id.data(), &run, sizeof(run));
  std::memcpy(id.data() + 4, &client32, sizeof(client32));
  std::memcpy(id.data() + 8, &counter, sizeof(counter));
  return id;
}

std::string plaintext_with_time(std::size_t bytes, std::uint64_t intended_ns) {
  std::string p(std::max<std::size_t>(bytes, 8), 'x');
  std::memcpy(p.data(), &intended_ns, sizeof(intended_ns));
  return p;
}

// A request of the protocol (PROTOCOL.md §3), {"id", "type", "body"}, from its typed body.
template <class Request>
json::object request_object(std::uint64_t id, const Request& request) {
  return {{"id", id}, {"type", Request::kType}, {"body", request.encode()}};
}

asio::awaitable<void> send_one(RelayRun& run, std::size_t index, std::uint64_t intended_ns) {
  auto& c = run.clients[index];
  auto id = client_id(index, ++c.client_counter);
  if (c.session) {
    const auto p = plaintext_with_time(run.options.payload_bytes, intended_ns);
    auto sealed = c.session->encrypt(device::PayloadKind::chat, ++c.message_counter,
                                     std::span(reinterpret_cast<const std::uint8_t*>(p.data()), p.size()));
    if (!sealed.is_ok()) throw std::runtime_error("encrypt failed");
    c.send_frame = request_object(c.next_id, msg::MessageSendRequest{c.member->pair, std::nullopt, std::move(id),
                                                                      std::move(sealed.value())});
  } else {
    c.send_frame["id"] = c.next_id;
    c.send_frame["body"].get_object()["client_id"] = wire::base64url_encode(id);
  }
  const std::string frame = json::serialize(c.send_frame);
  c.next_id += 2;
  ++c.in_flight;
  co_await c.ws->write(frame);
}

asio::awaitable<void> send_ack(RelayClient& c) {
  c.ack_due = false;
  const std::string frame =
      json::serialize(request_object(c.next_id + 1, msg::MessageAckRequest{c.member->pair, c.last_seq}));
  c.next_id += 2;
  co_await c.ws->write(frame);
}

// Sleeps until `until`, or until on_frame or the end of the run wakes c. The caller re-checks
// run.stopping after this and after every other suspension: cancel() reaches only a wait already
// pending, so an end of the run signalled while the writer was in a write is seen on the flag.
asio::awaitable<void> wait_for_wake(RelayClient& c,
                                    Clock::time_point until = asio::steady_timer::time_point::max()) {
  c.wake->expires_at(until);
  co_await c.wake->async_wait(use_tuple);
}

asio::awaitable<void> relay_writer(RelayRun& run, std::size_t index) {
  auto& c = run.clients[index];
  // With real encryption only mentees send: a Double Ratchet whose direction keeps turning does
  // two X25519 per message, which would make the load generator, not the server, the limit.
  const std::size_t senders = run.options.encrypt ? run.clients.size() / 2 : run.clients.size();
  const bool sends = !run.options.encrypt || index % 2 == 1;
  const std::size_t sender_index = run.options.encrypt ? index / 2 : index;
  ++run.writers;
  struct Exit {
    RelayRun& run;
    ~Exit() {
      --run.writers;
      if (run.stopping) run.report_stopping();
    }
  } exit{run};
  try {
    if (!sends) {  // acknowledges what it receives, nothing else
      while (!run.stopping) {
        if (c.ack_due) co_await send_ack(c);
        else co_await wait_for_wake(c);
      }
      co_return;
    }
    if (run.options.rate <= 0) {
      while (!run.stopping) {
        if (c.ack_due) co_await send_ack(c);
        else if (c.in_flight < run.options.window) co_await send_one(run, index, now_ns());
        else co_await wait_for_wake(c);
      }
      co_return;
    }
    // Open loop: each client sends on its own fixed schedule, staggered across clients; latency
    // counts from the intended time, so a stalled server cannot hide its queueing delay.
    const double per_client_rate = run.options.rate / static_cast<double>(senders);
    const auto interval = seconds(1.0 / per_client_rate);
    auto next = Clock::now() + interval * static_cast<std::int64_t>(sender_index) / static_cast<std::int64_t>(senders);
    while (!run.stopping) {
      if (c.ack_due) {
        co_await send_ack(c);
      } else if (Clock::now() < next) {
        co_await wait_for_wake(c, next);
      } else {
        if (c.in_flight < kMaxOpenLoopBacklog) {
          const auto intended = static_cast<std::uint64_t>(
              std::chrono::duration_cast<std::chrono::nanoseconds>(next.time_since_epoch()).count());
          co_await send_one(run, index, intended);
        }
        next += interval;
      }
    }
  } catch (const std::exception&) {
    // the socket was closed at the end of the run
  }
}

// The load generator must not be the bottleneck, so frames are scanned rather than parsed into
// a DOM: every server under test writes compact JSON with these keys (PROTOCOL.md §3, §7).
std::string_view string_field(std::string_view text, std::string_view key_quote) {
  const auto at = text.find(key_quote);
  if (at == std::string_view::npos) return {};
  const auto from = at + key_quote.size();
  return text.substr(from, text.find('"', from) - from);
}

std::int64_t int_field(std::string_view text, std::string_view key_colon) {
  const auto at = text.find(key_colon);
  if (at == std::string_view::npos) return -1;
  std::int64_t v = 0;
  for (auto i = at + key_colon.size(); i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

void on_frame(RelayRun& run, RelayClient& c, std::string_view text) {
  const auto type = string_field(text, R"("type":")");
  if (type == "result" || type == "error") {
    if (type == "error") {
      ++run.errors;
      if (run.first_error.empty()) run.first_error = std::string(text);
    }
    const auto id = int_field(text, R"("id":)");
    if (id >= 2 && id % 2 == 0) {
      --c.in_flight;
      if (!run.stopping && type == "result") ++run.sends_done;
      if (c.wake) c.wake->cancel();
    }
    return;
  }
  if (type != "event" || string_field(text, R"("event":")") != "message") return;
  c.last_seq = int_field(text, R"("seq":)");
  if (!run.stopping) ++run.delivered;
  if (c.session) {
    auto bytes = wire::base64url_decode(string_field(text, R"("body":")"));
    auto opened = bytes ? c.session->decrypt(*bytes, device::system_random())
                        : device::SessionResult<device::Plaintext>(device::SessionError::invalid_message);
    if (!opened.is_ok() || opened.value().payload.size() < 8) {
      ++run.decrypt_failures;
    } else {
      std::uint64_t intended = 0;
      std::memcpy(&intended, opened.value().payload.data(), sizeof(intended));
      const auto now = now_ns();
      if (intended >= run.window_start_ns && intended < run.window_end_ns) run.latency.record(now - intended);
    }
  }
  if (++c.unacked >= run.options.ack_every) {
    c.unacked = 0;
    c.ack_due = true;
    if (c.wake) c.wake->cancel();
  }
}

asio::awaitable<void> relay_reader(RelayRun& run, std::size_t index) {
  auto& c = run.clients[index];
  ++run.readers;
  try {
    for (;;) on_frame(run, c, co_await c.ws->read());
  } catch (const std::exception&) {
    // closed at the end of the run
  }
  --run.readers;
  if (run.stopping) run.report_stopping();
}

// Two in-memory Double Ratchet sessions between a pair's members, past the prekey message, as
// their devices would hold them after a first exchange.
std::pair<device::Session, device::Session> pair_sessions(const BenchMember& mentor, const BenchMember& mentee,
                                                         std::uint64_t pair) {
  auto& random = device::system_random();
  const auto mentor_id = mentor.identity();
  const auto mentee_id = mentee.identity();
  auto mentor_keys = device::DeviceKeys::generate(mentor_id, 0, random);
  auto mentee_keys = device::DeviceKeys::generate(mentee_id, 0, random);
  const auto one_time = mentor_keys.add_one_time_prekeys(1, random);
  wire::PrekeyBundle bundle;
  bundle.identity_key = mentor_id.public_key();
  bundle.identity_dh_key = mentor_keys.identity_dh().public_key();
  bundle.identity_dh_signature = mentor_keys.identity_dh_signature();
  bundle.signed_prekey = mentor_keys.current_signed_prekey();
  bundle.one_time_prekey = one_time.front();
  auto mentee_session = device::Session::initiate(mentee_id, mentee_keys, bundle, pair, random);
  if (!mentee_session.is_ok()) throw std::runtime_error("X3DH initiate failed");
  const std::array<std::uint8_t, 2> hi{'h', 'i'};
  auto first = mentee_session.value().encrypt(device::PayloadKind::chat, device::kFirstCounter, hi);
  if (!first.is_ok()) throw std::runtime_error("encrypt failed");
  auto accepted = device::Session::accept(mentor_id, mentor_keys, pair, first.value(), random);
  if (!accepted.is_ok()) throw std::runtime_error("X3DH accept failed");
  auto reply = accepted.value().session.encrypt(device::PayloadKind::chat, device::kFirstCounter, hi);
  if (!reply.is_ok() || !mentee_session.value().decrypt(reply.value(), random).is_ok()) {
    throw std::runtime_error("first reply failed");
  }
  return {std::move(accepted.value().session), std::move(mentee_session.value())};
}

}  // namespace

json::object run_relay(const Common& common, const World& world, const RelayOptions& options) {
  asio::io_context io(1);
  TlsClientContext tls(common.endpoint.ca_file);
  RelayRun run{common, options, {}, {}, 0, 0, 0, 0, 0, ~std::uint64_t{0}, false, {}, 0, 0};
  run.clients.resize(world.members.size());
  waiting_for(common, "the pairs' Double Ratchet sessions to be set up");
  for (std::size_t k = 0; k < world.pairs(); ++k) {
    auto [mentor, mentee] = pair_sessions(world.members[2 * k], world.members[2 * k + 1],
                                          static_cast<std::uint64_t>(world.members[2 * k].pair));
    auto& a = run.clients[2 * k];
    auto& b = run.clients[2 * k + 1];
    if (options.encrypt) {
      a.session = std::move(mentor);
      b.session = std::move(mentee);
    } else {
      // One real ciphertext of the right size per client, sent again and again: the server
      // relays ciphertext and never looks inside.
      const auto p = plaintext_with_time(options.payload_bytes, 0);
      const auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(p.data()), p.size());
      const auto prepared = [&](device::Session& session, const BenchMember& member) {
        return request_object(0, msg::MessageSendRequest{member.pair, std::nullopt, wire::Bytes(msg::kClientIdBytes),
                                                         session.encrypt(device::PayloadKind::chat, 2, bytes).value()});
      };
      a.send_frame = prepared(mentor, world.members[2 * k]);
      b.send_frame = prepared(mentee, world.members[2 * k + 1]);
    }
  }
  Window window;
  std::exception_ptr failure;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    try {
      co_await connect_all(io, tls, common, run.clients.size(),
                           [&](std::size_t i, std::unique_ptr<WsClient> ws) -> asio::awaitable<void> {
                             auto& c = run.clients[i];
                             c.member = &world.members[i];
                             co_await log_in(*ws, common.target, *c.member);
                             c.ws = std::move(ws);
                             c.wake.emplace(io);
                           });
      for (std::size_t i = 0; i < run.clients.size(); ++i) {
        asio::co_spawn(io, relay_reader(run, i), asio::detached);
        asio::co_spawn(io, relay_writer(run, i), asio::detached);
      }
      co_await measure(common, window, [&] {
        run.sends_done = run.delivered = 0;
        run.latency = Histogram{};
        run.window_start_ns = now_ns();
      });
      run.window_end_ns = now_ns();
      const auto sends = run.sends_done;
      const auto delivered = run.delivered;
      // Messages sent in the window may still be on their way: give them a moment to arrive.
      waiting_for(common, "the messages sent in the window to arrive");
      co_await sleep_for(seconds(options.rate > 0 ? 1.0 : 0.0));
      run.stopping = true;
      run.sends_done = sends;
      run.delivered = delivered;
    } catch (...) {
      failure = std::current_exception();
    }
    run.stopping = true;
    for (auto& c : run.clients) {
      if (c.ws) c.ws->abort();
      if (c.wake) c.wake->cancel();
    }
    run.report_stopping();
  }, asio::detached);
  io.run();
  if (failure) std::rethrow_exception(failure);

  json::object out;
  out["scenario"] = options.rate > 0 ? "latency" : "throughput";
  out["payload_bytes"] = options.payload_bytes;
  out["clients"] = run.clients.size();
  out["encryption"] = options.encrypt ? "per message" : "pre-encrypted";
  if (options.rate > 0) out["offered_rate"] = options.rate;
  else out["window"] = options.window;
  window.describe(out);
  out["sends_per_s"] = static_cast<double>(run.sends_done) / window.elapsed();
  out["deliveries_per_s"] = static_cast<double>(run.delivered) / window.elapsed();
  out["errors"] = run.errors;
  if (!run.first_error.empty()) out["first_error"] = run.first_error;
  if (options.encrypt) {
    out["decrypt_failures"] = run.decrypt_failures;
    out["latency_samples"] = run.latency.count();
    out["p50_us"] = static_cast<double>(run.latency.percentile(0.50)) / 1e3;
    out["p99_us"] = static_cast<double>(run.latency.percentile(0.99)) / 1e3;
    out["p999_us"] = static_cast<double>(run.latency.percentile(0.999)) / 1e3;
    out["max_us"] = static_cast<double>(run.latency.max()) / 1e3;
  }
  return out;
}

// ---- idle connections -------------------------------------------------------------------------

json::object run_idle(const Common& common, std::size_t connections) {
  asio::io_context io(1);
  TlsClientContext tls(common.endpoint.ca_file);
  std::vector<std::unique_ptr<WsClient>> clients(connections);
  const auto before = sample_process(common.server_pid);
  ProcessSample after;
  double open_seconds = 0;
  std::exception_ptr failure;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    try {
      const auto start = Clock::now();
      co_await connect_all(io, tls, common, connections,
                           [&](std::size_t i, std::unique_ptr<WsClient> ws) -> asio::awaitable<void> {
                             clients[i] = std::move(ws);
                             co_return;
                           });
      open_seconds = std::chrono::duration<double>(Clock::now() - start).count();
      waiting_for(common, "the server to settle after the connections opened");
      co_await sleep_for(seconds(common.warmup_s));  // let the server settle after the burst
      after = sample_process(common.server_pid);
    } catch (...) {
      failure = std::current_exception();
    }
    for (auto& c : clients) {
      if (c) c->abort();
    }
  }, asio::detached);
  io.run();
  if (failure) std::rethrow_exception(failure);
  json::object out;
  out["scenario"] = "idle";
  out["connections"] = connections;
  out["seconds_to_open"] = open_seconds;
  out["server_rss_before_kib"] = before.rss_bytes / 1024;
  out["server_rss_kib"] = after.rss_bytes / 1024;
  out["kib_per_connection"] =
      static_cast<double>(after.rss_bytes - before.rss_bytes) / 1024.0 / static_cast<double>(connections);
  return out;
}

// ---- handshakes -------------------------------------------------------------------------------

json::object run_handshakes(const Common& common, const World& world, std::size_t concurrency) {
  asio::io_context io(1);
  TlsClientContext tls(common.endpoint.ca_file);
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::string first_error;
  bool stopping = false;
  std::size_t running = concurrency;
  asio::steady_timer finished(io);
  Window window;
  auto loop = [&](std::size_t worker) -> asio::awaitable<void> {
    std::size_t k = worker;
    while (!stopping) {
      try {
        auto ws = co_await WsClient::connect(io, tls, common.endpoint);
        co_await log_in(*ws, common.target, world.members[k % world.members.size()]);
        ws->abort();
        ++done;
      } catch (const std::exception& e) {
        ++failed;
        if (first_error.empty()) first_error = e.what();
      }
      k += concurrency;
    }
    if (--running == 0) finished.cancel();
  };
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    for (std::size_t w = 0; w < concurrency; ++w) asio::co_spawn(io, loop(w), asio::detached);
    co_await measure(common, window, [&] { done = failed = 0; });
    stopping = true;
    const auto counted = done;
    while (running > 0) {  // checked before each wait: a cancel() reaches only a pending wait
      waiting_for(common, "the handshake loops to finish their last handshake (" + std::to_string(running) +
                              " of " + std::to_string(concurrency) + " still running)");
      finished.expires_at(asio::steady_timer::time_point::max());
      co_await finished.async_wait(use_tuple);
    }
    done = counted;
  }, asio::detached);
  io.run();
  json::object out;
  out["scenario"] = "handshakes";
  out["concurrency"] = concurrency;
  window.describe(out);
  out["handshakes_per_s"] = static_cast<double>(done) / window.elapsed();
  out["errors"] = failed;
  if (!first_error.empty()) out["first_error"] = first_error;
  return out;
}

// ---- document versions ------------------------------------------------------------------------

json::object run_documents(const Common& common, const World& world, std::size_t payload_bytes) {
  asio::io_context io(1);
  TlsClientContext tls(common.endpoint.ca_file);
  std::uint64_t written = 0, errors = 0;
  std::string first_error;
  bool stopping = false;
  std::vector<std::unique_ptr<WsClient>> writers(world.pairs());
  Window window;
  std::exception_ptr failure;
  auto writer = [&](std::size_t k) -> asio::awaitable<void> {
    const auto& member = world.members[2 * k + 1];  // the mentee writes the goals
    auto& ws = *writers[k];
    const auto identity = member.identity();
    auto& random = device::system_random();
    const auto key = device::new_document_key(random);
    const wire::Bytes text(payload_bytes, 'g');
    try {
      co_await ws.write(R"({"id":2,"type":"document.open","body":{"pair":)" + std::to_string(member.pair) +
                        R"(,"kind":"goals"}})");
      const auto opened = json::parse(co_await ws.read()).as_object();
      if (opened.at("type") != "result") throw std::runtime_error("document.open: " + json::serialize(opened));
      const auto& document = opened.at("body").at("document").as_object();
      device::VersionPlace place;
      place.identity.pair = static_cast<std::uint64_t>(member.pair);
      place.identity.document = static_cast<std::uint64_t>(document.at("id").as_int64());
      place.identity.kind = wire::DocumentKind::goals;
      place.version = static_cast<std::uint32_t>(document.at("latest_version").as_int64()) + 1;
      if (place.version > 1) throw std::runtime_error("the goals document already has versions; use a fresh world");
      std::uint64_t id = 3;
      while (!stopping) {
        auto sealed = device::seal_version(identity, key, place, text, random);
        if (!sealed) throw std::runtime_error("seal_version failed");
        // Built outside the co_await: GCC 12 miscompiles initializer lists inside one.
        const auto frame = json::serialize(json::object{
            {"id", id++},
            {"type", "document.write"},
            {"body", json::object{{"document", place.identity.document},
                                  {"version", place.version},
                                  {"body", wire::base64url_encode(sealed->body)},
                                  {"signature", wire::base64url_encode(sealed->signature)}}}});
        co_await ws.write(frame);
        for (;;) {  // skip events (none are expected: the partner is not connected)
          const auto reply = json::parse(co_await ws.read()).as_object();
          if (reply.at("type") == "event") continue;
          if (reply.at("type") != "result") {
            ++errors;
            if (first_error.empty()) first_error = json::serialize(reply);
            throw std::runtime_error("document.write refused");
          }
          break;
        }
        if (!stopping) ++written;
        place.previous = sealed->hash;
        ++place.version;
      }
    } catch (const std::exception&) {
      // closed at the end of the run, or refused (counted above)
    }
  };
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    try {
      co_await connect_all(io, tls, common, writers.size(),
                           [&](std::size_t k, std::unique_ptr<WsClient> ws) -> asio::awaitable<void> {
                             co_await log_in(*ws, common.target, world.members[2 * k + 1]);
                             writers[k] = std::move(ws);
                           });
      for (std::size_t k = 0; k < writers.size(); ++k) asio::co_spawn(io, writer(k), asio::detached);
      co_await measure(common, window, [&] { written = 0; });
      stopping = true;  // versions acknowledged from now on are not counted
      waiting_for(common, "the document writers to stop after their connections were closed");
    } catch (...) {
      failure = std::current_exception();
    }
    for (auto& w : writers) {
      if (w) w->abort();
    }
  }, asio::detached);
  io.run();
  if (failure) std::rethrow_exception(failure);
  json::object out;
  out["scenario"] = "documents";
  out["writers"] = writers.size();
  out["payload_bytes"] = payload_bytes;
  window.describe(out);
  out["versions_per_s"] = static_cast<double>(written) / window.elapsed();
  out["errors"] = errors;
  if (!first_error.empty()) out["first_error"] = first_error;
  return out;
}

}  // namespace mentorlink::bench
