// TLS listener, plain-HTTP routes (/healthz, /metrics, /dashboard, /app) and the WebSocket upgrades at /v1
// and /dashboard/live.
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "protocol/wire/limits.h"
#include "protocol/wire/signatures.h"
#include "server/dashboard/dashboard_http.h"
#include "server/net/net_server.h"
#include "server/net/tls_stream.h"
#include "server/web_app/app_http.h"

namespace mentorlink::server {
using namespace netx;

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(5);
constexpr auto kTlsShutdownTimeout = std::chrono::seconds(1);
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);
constexpr std::size_t kSessionTickets = 0;  // TLS 1.3 session tickets sent after a handshake

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// The TLS exporter of RFC 9266 for this connection; the login signature covers it.
wire::ExporterValue export_channel_binding(TlsStream& stream) {
  wire::ExporterValue out{};
  const int ok = SSL_export_keying_material(stream.native_handle(), out.data(), out.size(),
                                            wire::kExporterLabel.data(), wire::kExporterLabel.size(), nullptr, 0, 0);
  if (ok != 1) throw std::runtime_error("TLS exporter unavailable");
  return out;
}

// An HTTP-phase connection, so shutdown can close it. stream is cleared (on the strand) before
// the coroutine that owns it ends.
struct HttpConnection final : Closable {
  asio::any_io_executor executor;
  tcp::socket* stream = nullptr;
  explicit HttpConnection(asio::any_io_executor ex) : executor(std::move(ex)) {}
  void shut_down() override {
    asio::post(executor, [self = std::static_pointer_cast<HttpConnection>(shared_from_this())] {
      boost::system::error_code ignored;
      if (self->stream != nullptr) self->stream->close(ignored);
    });
  }
};

}  // namespace

struct NetServer::Impl : std::enable_shared_from_this<NetServer::Impl> {
  Impl(const NetConfig& cfg, ServerContext& ctx, api::Dispatcher& disp)
      : config(cfg), context(ctx), dispatcher(disp), signals(ioc, SIGINT, SIGTERM), deadline(ioc) {}

  NetConfig config;
  ServerContext& context;
  api::Dispatcher& dispatcher;
  asio::io_context ioc;
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals;
  asio::steady_timer deadline;

  std::mutex mutex;
  bool stopping = false;                                                     // guarded by mutex
  std::unordered_map<const Closable*, std::weak_ptr<Closable>> connections;  // guarded by mutex

  ConnectionRegistry registry() {
    auto self = shared_from_this();
    return ConnectionRegistry{
        [self](const std::shared_ptr<Closable>& c) { self->add(c); },
        [self](const Closable* c) { self->remove(c); },
    };
  }

  void add(const std::shared_ptr<Closable>& c) {
    bool late = false;
    {
      std::lock_guard lock(mutex);
      connections[c.get()] = c;
      late = stopping;
    }
    if (late) c->shut_down();
  }

  void remove(const Closable* c) {
    std::lock_guard lock(mutex);
    connections.erase(c);
    if (stopping && connections.empty()) {
      asio::post(ioc, [self = shared_from_this()] { self->deadline.cancel(); });
    }
  }

  void begin_shutdown() {
    std::vector<std::shared_ptr<Closable>> live;
    {
      std::lock_guard lock(mutex);
      if (stopping) return;
      stopping = true;
      for (auto& [ptr, weak] : connections) {
        if (auto c = weak.lock()) live.push_back(std::move(c));
      }
    }
    spdlog::info("event=shutdown_started connections={}", live.size());
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel();
    for (auto& c : live) c->shut_down();
    if (!live.empty()) {
      deadline.expires_after(kShutdownGrace);
      deadline.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (!ec) {
          spdlog::warn("event=shutdown_forced reason=\"connections still open after grace period\"");
          self->ioc.stop();
        }
      });
    }
  }

  void setup_tls() {
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_tlsv1_2 |
                    ssl::context::single_dh_use);
    if (SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_3_VERSION) != 1) {
      throw std::runtime_error("this OpenSSL cannot restrict connections to TLS 1.3");
    }
    // No client of ours resumes a TLS session (each login is bound to its own handshake's
    // exporter), so tickets and the session cache would only cost CPU and memory per handshake.
    if (SSL_CTX_set_num_tickets(tls.native_handle(), kSessionTickets) != 1) {
      throw std::runtime_error("this OpenSSL cannot turn TLS session tickets off");
    }
    SSL_CTX_set_session_cache_mode(tls.native_handle(), SSL_SESS_CACHE_OFF);
    boost::system::error_code ec;
    tls.use_certificate_chain_file(config.cert_file, ec);
    if (ec) throw std::runtime_error("cannot load the TLS certificate " + config.cert_file + ": " + ec.message());
    tls.use_private_key_file(config.key_file, ssl::context::pem, ec);
    if (ec) throw std::runtime_error("cannot load the TLS private key " + config.key_file + ": " + ec.message());
  }

  void bind() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(config.listen_address, ec);
    if (ec) throw std::runtime_error("not an IP address: " + config.listen_address);
    const tcp::endpoint endpoint(address, config.port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + config.listen_address + ":" + std::to_string(config.port) + ": " +
                               ec.message());
    }
  }

  static dashboard::Request dashboard_request(const http::request<http::empty_body>& req) {
    auto header = [&](http::field f) { return std::string(req[f]); };
    return dashboard::Request{std::string(req.method_string()), std::string(req.target()), header(http::field::host),
                              header(http::field::origin), header(http::field::cookie), std::string(req["X-CSRF-Token"])};
  }

  static http::response<http::string_body> to_beast(const http::request<http::empty_body>& req,
                                                    dashboard::Response reply) {
    http::response<http::string_body> res;
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    res.result(static_cast<unsigned>(reply.status));
    res.set(http::field::server, "mentorlink-server");
    for (const auto& [name, value] : reply.headers) res.insert(name, value);
    res.body() = std::move(reply.body);
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    return res;
  }

  http::response<http::string_body> route(const http::request<http::empty_body>& req) {
    if (dashboard::handles(req.target())) return to_beast(req, dashboard::handle(context, dashboard_request(req)));
    if (web_app::handles(req.target())) {
      auto app = web_app::handle(req.method_string(), req.target(), req[http::field::if_none_match],
                                 req[http::field::accept_encoding]);
      return to_beast(req, dashboard::Response{app.status, std::move(app.headers), std::move(app.body)});
    }
    http::response<http::string_body> res;
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    res.set(http::field::server, "mentorlink-server");
    res.set(http::field::cache_control, "no-store");
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res.result(http::status::method_not_allowed);
      res.set(http::field::allow, "GET, HEAD");
      res.body() = "method not allowed\n";
    } else if (req.target() == "/healthz") {
      res.result(http::status::ok);
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.body() = "ok\n";
    } else if (req.target() == "/metrics") {
      res.result(http::status::ok);
      res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.body() = context.metrics.render_prometheus();
    } else if (req.target() == wire::kWebSocketPath) {
      res.result(http::status::upgrade_required);
      res.set(http::field::upgrade, "websocket");
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.body() = "this endpoint speaks WebSocket only\n";
    } else {
      res.result(http::status::not_found);
      res.set(http::field::content_type, "text/plain; charset=utf-8");
      res.body() = "not found\n";
    }
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    return res;
  }

  // remote: the peer's address, already counted by accept_loop against its per-address limit.
  asio::awaitable<void> serve(tcp::socket socket, std::string remote) {
    context.metrics.connection_opened();
    struct Closed {
      Metrics& m;
      ~Closed() { m.connection_closed(); }
    } closed{context.metrics};

    struct Disconnect {
      AddressLimiter& limiter;
      const std::string& address;
      ~Disconnect() { limiter.disconnect(address); }
    } disconnect{context.address_limiter, remote};
    const auto limits = context.limits;
    auto executor = socket.get_executor();

    TlsStream stream(std::move(socket), tls.native_handle());
    auto conn = std::make_shared<HttpConnection>(executor);
    conn->stream = &stream.next_layer();
    auto reg = registry();
    reg.add(conn);
    struct Unregister {
      std::shared_ptr<HttpConnection>& c;
      ConnectionRegistry& r;
      ~Unregister() {
        c->stream = nullptr;
        r.remove(c.get());
      }
    } unregister{conn, reg};

    stream.expires_after(limits.handshake_timeout);
    auto [hs_ec] = co_await stream.async_handshake(use_tuple);
    if (hs_ec) {
      context.metrics.connection_rejected(hs_ec == beast::error::timeout ? "handshake_timeout" : "tls_handshake");
      spdlog::debug("event=tls_handshake_failed remote={} reason=\"{}\"", remote, hs_ec.message());
      co_return;
    }
    const wire::ExporterValue exporter = export_channel_binding(stream);

    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::empty_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(limits.max_http_header_bytes));
      stream.expires_after(limits.handshake_timeout);
      auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (read_ec == http::error::header_limit) {
        // Answered, so the client learns why, then the connection ends (its rest is unread).
        context.metrics.connection_rejected("header_too_large");
        http::response<http::string_body> res{http::status::request_header_fields_too_large, 11};
        res.set(http::field::server, "mentorlink-server");
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = "request header block larger than " + std::to_string(limits.max_http_header_bytes) + " bytes\n";
        res.keep_alive(false);
        res.prepare_payload();
        stream.expires_after(limits.handshake_timeout);
        co_await http::async_write(stream, res, use_tuple);
        break;
      }
      if (read_ec) {
        if (read_ec == beast::error::timeout) context.metrics.connection_rejected("request_timeout");
        break;
      }
      auto req = parser.release();
      if (websocket::is_upgrade(req) && req.target() == dashboard::kLivePath) {
        auto grant = dashboard::authorize_live(context, dashboard_request(req));
        if (grant.is_ok()) {
          stream.expires_never();
          conn->stream = nullptr;
          reg.remove(conn.get());
          co_await run_websocket(std::move(stream), std::move(req), std::move(buffer), exporter, remote, context,
                                 dispatcher, reg, LiveDashboard{grant.value().member, grant.value().programme, grant.value().session,
                                               grant.value().expires_at});
          co_return;
        }
        const bool cross_site = grant.status().code() == wire::ErrorCode::forbidden;
        auto res = to_beast(req, dashboard::Response{cross_site ? 403 : 401,
                                                     {{"Content-Type", "text/plain; charset=utf-8"}},
                                                     grant.status().message() + "\n"});
        res.keep_alive(false);
        co_await http::async_write(stream, res, use_tuple);
        break;
      }
      if (websocket::is_upgrade(req) && req.target() == wire::kWebSocketPath) {
        stream.expires_never();
        conn->stream = nullptr;
        reg.remove(conn.get());  // the WebSocket session registers itself
        co_await run_websocket(std::move(stream), std::move(req), std::move(buffer), exporter, remote, context,
                               dispatcher, reg);
        co_return;
      }
      auto res = route(req);
      stream.expires_after(limits.handshake_timeout);
      auto [write_ec, written] = co_await http::async_write(stream, res, use_tuple);
      if (write_ec || !res.keep_alive()) break;
    }
    stream.expires_after(kTlsShutdownTimeout);
    co_await stream.async_shutdown(use_tuple);
  }

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    asio::steady_timer backoff(ioc);
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), use_tuple);
      if (ec) {
        if (!acceptor.is_open()) co_return;
        spdlog::warn("event=accept_failed reason=\"{}\"", ec.message());
        backoff.expires_after(kAcceptRetryDelay);  // e.g. out of descriptors: do not spin
        co_await backoff.async_wait(use_tuple);
        continue;
      }
      if (static_cast<std::size_t>(context.metrics.open_connections()) >= context.limits.max_connections) {
        context.metrics.connection_rejected("max_connections");
        socket.close(ec);
        continue;
      }
      // Counted here, in accept order, so the limit refuses exactly the connections beyond it.
      const auto peer = socket.remote_endpoint(ec);
      std::string remote = ec ? std::string() : peer.address().to_string();
      if (ec || !context.address_limiter.try_connect(remote)) {
        context.metrics.connection_rejected("max_connections_per_address");
        socket.close(ec);
        continue;
      }
      auto ex = socket.get_executor();
      asio::co_spawn(ex, self->serve(std::move(socket), std::move(remote)), [](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& crash) {
          spdlog::error("event=connection_crashed reason=\"{}\"", crash.what());
        }
      });
    }
  }
};

NetServer::NetServer(const NetConfig& config, ServerContext& context, api::Dispatcher& dispatcher)
    : impl_(std::make_shared<Impl>(config, context, dispatcher)) {
  impl_->setup_tls();
  impl_->bind();
}

NetServer::~NetServer() = default;

std::uint16_t NetServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void NetServer::run() {
  auto impl = impl_;
  impl->signals.async_wait([impl](boost::system::error_code ec, int) {
    if (!ec) impl->begin_shutdown();
  });
  asio::co_spawn(impl->ioc, impl->accept_loop(), asio::detached);

  const int threads = impl->config.threads > 0 ? impl->config.threads
                                               : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([impl] { impl->ioc.run(); });
  impl->ioc.run();
  for (auto& t : pool) t.join();
}

void NetServer::stop() {
  asio::post(impl_->ioc, [impl = impl_] { impl->begin_shutdown(); });
}

}  // namespace mentorlink::server
