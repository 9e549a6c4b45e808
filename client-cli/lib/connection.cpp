#include "client-cli/lib/connection.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/serialize.hpp>

#include "protocol/wire/signatures.h"

namespace mentorlink::client {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using wire::ErrorCode;

namespace {

Status failure(std::string message) { return Status::error(ErrorCode::internal, std::move(message)); }

std::string describe_tls_error(const boost::system::error_code& ec, const std::string& ca_file) {
  const std::string what = ec.message();
  if (what.find("certificate verify failed") != std::string::npos) {
    return "the server's certificate could not be verified with the CA in " + ca_file +
           " (certificate verify failed); check --ca and that the address names the right server";
  }
  if (what.find("version") != std::string::npos || what.find("protocol") != std::string::npos) {
    return "the TLS handshake failed (" + what + "); mentorlink needs TLS 1.3";
  }
  return "the TLS handshake failed: " + what;
}

}  // namespace

Status unreadable_reply(std::string_view type, const Status& problem) {
  return Status::error(ErrorCode::malformed,
                       "the server sent a reply this client cannot read: " + problem.message() + " (answering " +
                           std::string(type) + ")",
                       problem.field());
}

Result<ServerAddress> parse_server_url(std::string_view url) {
  constexpr std::string_view kScheme = "wss://";
  if (url.starts_with("ws://") || url.starts_with("http://")) {
    return Status::error(ErrorCode::invalid_field,
                         "plain ws:// or http:// is not supported: mentorlink only talks over TLS; use wss://", "server");
  }
  if (!url.starts_with(kScheme)) {
    return Status::error(ErrorCode::invalid_field, "the server address must look like wss://host:port", "server");
  }
  std::string_view rest = url.substr(kScheme.size());
  ServerAddress out;
  const auto slash = rest.find('/');
  out.path = slash == std::string_view::npos ? "/v1" : std::string(rest.substr(slash));
  if (out.path == "/") out.path = "/v1";
  std::string_view hostport = rest.substr(0, slash);
  if (hostport.starts_with("[")) {  // [IPv6]:port
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) {
      return Status::error(ErrorCode::invalid_field, "unbalanced [ in the server address", "server");
    }
    out.host = std::string(hostport.substr(1, close - 1));
    hostport = hostport.substr(close + 1);
    out.port = hostport.starts_with(":") ? std::string(hostport.substr(1)) : "8443";
  } else {
    const auto colon = hostport.rfind(':');
    out.host = std::string(hostport.substr(0, colon));
    out.port = colon == std::string_view::npos ? "8443" : std::string(hostport.substr(colon + 1));
  }
  const bool port_ok = !out.port.empty() && out.port.size() <= 5 &&
                       out.port.find_first_not_of("0123456789") == std::string::npos && std::stoi(out.port) > 0 &&
                       std::stoi(out.port) < 65536;
  if (out.host.empty() || !port_ok) {
    return Status::error(ErrorCode::invalid_field, "the server address must look like wss://host:port", "server");
  }
  return out;
}

struct Connection::Impl {
  asio::io_context ioc;
  ssl::context tls{ssl::context::tls_client};
  // Made only after tls is fully configured: OpenSSL copies the verify mode into each stream
  // when the stream is created, so a stream made earlier would not verify the server.
  std::optional<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws;
  std::chrono::milliseconds timeout;
  wire::ExporterValue exporter{};
  std::int64_t next_id = 1;
  std::deque<wire::Incoming> events;
  beast::flat_buffer buffer;

  explicit Impl(std::chrono::milliseconds t) : timeout(t) {}

  // Runs one asynchronous operation to completion under the deadline.
  template <class Start>
  boost::system::error_code run(Start&& start) {
    boost::system::error_code result = asio::error::would_block;
    beast::get_lowest_layer(*ws).expires_after(timeout);
    start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }
};

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;

Result<std::unique_ptr<Connection>> Connection::open(const ServerAddress& server, const std::string& ca_file,
                                                     std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>(timeout);
  auto& tls = impl->tls;
  boost::system::error_code ec;
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_tlsv1_2);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_3_VERSION);
  tls.load_verify_file(ca_file, ec);
  if (ec) return failure("cannot read the CA certificate " + ca_file + ": " + ec.message());
  tls.set_verify_mode(ssl::verify_peer);

  impl->ws.emplace(impl->ioc, tls);
  auto& ssl_stream = impl->ws->next_layer();
  ssl_stream.set_verify_mode(ssl::verify_peer);
  ssl_stream.set_verify_callback(ssl::host_name_verification(server.host));
  // SSL_set_tlsext_host_name, without the macro's C-style cast.
  if (SSL_ctrl(ssl_stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
               const_cast<char*>(server.host.c_str())) != 1) {
    return failure("cannot set the TLS server name " + server.host);
  }

  tcp::resolver resolver(impl->ioc);
  auto endpoints = resolver.resolve(server.host, server.port, ec);
  if (ec) return failure("cannot find the server " + server.host + ": " + ec.message());

  ec = impl->run([&](auto handler) { beast::get_lowest_layer(*impl->ws).async_connect(endpoints, handler); });
  if (ec) return failure("cannot connect to " + server.host + ":" + server.port + ": " + ec.message());

  ec = impl->run([&](auto handler) { ssl_stream.async_handshake(ssl::stream_base::client, handler); });
  if (ec) return failure(describe_tls_error(ec, ca_file));

  if (SSL_export_keying_material(ssl_stream.native_handle(), impl->exporter.data(), impl->exporter.size(),
                                 wire::kExporterLabel.data(), wire::kExporterLabel.size(), nullptr, 0, 0) != 1) {
    return failure("the TLS exporter is unavailable on this connection");
  }

  impl->ws->set_option(websocket::stream_base::decorator(
      [](websocket::request_type& req) { req.set(beast::http::field::user_agent, "mentorlink-cli"); }));
  impl->ws->read_message_max(64U << 20);
  ec = impl->run([&](auto handler) { impl->ws->async_handshake(server.host + ":" + server.port, server.path, handler); });
  if (ec) return failure("the server refused the WebSocket upgrade at " + server.path + ": " + ec.message());

  return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

const wire::ExporterValue& Connection::exporter() const { return impl_->exporter; }

Status Connection::send_text(std::string_view frame) {
  impl_->ws->text(true);
  auto ec = impl_->run([&](auto handler) { impl_->ws->async_write(asio::buffer(frame.data(), frame.size()), handler); });
  if (ec) return failure("lost the connection to the server: " + ec.message());
  return Status::ok();
}

Result<std::string> Connection::receive_text() {
  impl_->buffer.clear();
  auto ec = impl_->run([&](auto handler) { impl_->ws->async_read(impl_->buffer, handler); });
  if (ec == beast::error::timeout) return failure("the server did not answer in time");
  if (ec == websocket::error::closed) {
    const auto& reason = impl_->ws->reason();
    return failure("the server closed the connection (" + std::to_string(reason.code) +
                   (reason.reason.empty() ? std::string() : ": " + std::string(reason.reason.c_str())) + ")");
  }
  if (ec) return failure("lost the connection to the server: " + ec.message());
  return beast::buffers_to_string(impl_->buffer.data());
}

Result<boost::json::object> Connection::request(std::string_view type, boost::json::object body) {
  const std::int64_t id = impl_->next_id++;
  if (auto s = send_text(wire::serialize_request(wire::Request{id, std::string(type), std::move(body)})); !s.is_ok()) {
    return s;
  }
  for (;;) {
    auto text = receive_text();
    if (!text.is_ok()) return text.status();
    auto incoming = wire::parse_incoming(text.value());
    if (!incoming.is_ok()) return unreadable_reply(type, incoming.status());
    auto& in = incoming.value();
    if (in.kind == wire::Incoming::Kind::event) {
      impl_->events.push_back(std::move(in));
      continue;
    }
    if (in.id != id) {
      if (in.kind == wire::Incoming::Kind::error && !in.id) return in.error;  // connection-level error
      continue;
    }
    if (in.kind == wire::Incoming::Kind::error) return in.error;
    return std::move(in.body);
  }
}

std::deque<wire::Incoming> Connection::take_events() { return std::exchange(impl_->events, {}); }

std::optional<int> Connection::close_code() const {
  if (impl_->ws->reason().code == websocket::close_code::none) return std::nullopt;
  return static_cast<int>(impl_->ws->reason().code);
}

void Connection::interrupt() {
  boost::system::error_code ignored;
  beast::get_lowest_layer(*impl_->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
}

void Connection::close() {
  if (!impl_->ws->is_open()) return;
  impl_->run([&](auto handler) { impl_->ws->async_close(websocket::close_code::normal, handler); });
}

}  // namespace mentorlink::client
