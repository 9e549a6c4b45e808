#include "bench/loadgen/ws_client.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>
#include <tuple>

#include "protocol/wire/signatures.h"

namespace mentorlink::bench {

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

void check(const boost::system::error_code& ec, const std::string& step) {
  if (ec) throw std::runtime_error(step + ": " + ec.message());
}
}  // namespace

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

struct TlsClientContext::Impl {
  ssl::context context{ssl::context::tls_client};
};

TlsClientContext::TlsClientContext(const std::string& ca_file) : impl_(std::make_unique<Impl>()) {
  auto& c = impl_->context;
  SSL_CTX_set_min_proto_version(c.native_handle(), TLS1_3_VERSION);
  c.load_verify_file(ca_file);
  c.set_verify_mode(ssl::verify_peer);
}

TlsClientContext::~TlsClientContext() = default;

struct WsClient::Impl {
  Impl(asio::io_context& io, ssl::context& tls) : ws(beast::ssl_stream<beast::tcp_stream>(io, tls)) {}
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  wire::ExporterValue exporter{};
};

WsClient::WsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WsClient::~WsClient() = default;

asio::awaitable<std::unique_ptr<WsClient>> WsClient::connect(asio::io_context& io, TlsClientContext& tls,
                                                             const Endpoint& endpoint, std::size_t index) {
  auto impl = std::make_unique<Impl>(io, tls.impl().context);
  auto& tcp_layer = beast::get_lowest_layer(impl->ws);
  tcp::resolver resolver(io);
  const auto where = endpoint.host + ":" + endpoint.port;
  auto [resolve_ec, results] = co_await resolver.async_resolve(endpoint.host, endpoint.port, use_tuple);
  check(resolve_ec, "resolving " + where);
  tcp_layer.expires_after(std::chrono::seconds(30));
  boost::system::error_code connect_ec;
  if (endpoint.source_addresses > 1) {
    const auto source = asio::ip::make_address_v4(
        asio::ip::address_v4::uint_type{0x7f000001} + static_cast<asio::ip::address_v4::uint_type>(index % endpoint.source_addresses));
    auto& socket = tcp_layer.socket();
    socket.open(tcp::v4(), connect_ec);
    if (!connect_ec) socket.bind(tcp::endpoint(source, 0), connect_ec);
    check(connect_ec, "binding to the source address " + source.to_string());
    std::tie(connect_ec) = co_await tcp_layer.async_connect(results.begin()->endpoint(), use_tuple);
  } else {
    std::tie(connect_ec, std::ignore) = co_await tcp_layer.async_connect(results, use_tuple);
  }
  check(connect_ec, "TCP connect to " + where);
  tcp_layer.socket().set_option(tcp::no_delay(true));
  auto& tls_layer = impl->ws.next_layer();
  // SSL_set_tlsext_host_name, without the macro's C-style cast.
  SSL_ctrl(tls_layer.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
           const_cast<char*>(endpoint.server_name.c_str()));
  tls_layer.set_verify_callback(ssl::host_name_verification(endpoint.server_name));
  auto [tls_ec] = co_await tls_layer.async_handshake(ssl::stream_base::client, use_tuple);
  check(tls_ec, "TLS handshake with " + where);
  if (SSL_export_keying_material(tls_layer.native_handle(), impl->exporter.data(), impl->exporter.size(),
                                 wire::kExporterLabel.data(), wire::kExporterLabel.size(), nullptr, 0, 0) != 1) {
    throw std::runtime_error("the TLS exporter is unavailable");
  }
  tcp_layer.expires_never();
  impl->ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  impl->ws.read_message_max(64 << 20);
  auto [ws_ec] = co_await impl->ws.async_handshake(endpoint.server_name + ":" + endpoint.port, "/v1", use_tuple);
  check(ws_ec, "WebSocket upgrade at " + where);
  impl->ws.text(true);
  co_return std::unique_ptr<WsClient>(new WsClient(std::move(impl)));
}

asio::awaitable<void> WsClient::write(std::string_view frame) {
  co_await impl_->ws.async_write(asio::buffer(frame.data(), frame.size()), asio::use_awaitable);
}

asio::awaitable<std::string_view> WsClient::read() {
  impl_->buffer.clear();
  co_await impl_->ws.async_read(impl_->buffer, asio::use_awaitable);
  const auto data = impl_->buffer.cdata();
  co_return std::string_view(static_cast<const char*>(data.data()), data.size());
}

wire::ExporterValue WsClient::exporter() const { return impl_->exporter; }

void WsClient::abort() {
  boost::system::error_code ignored;
  beast::get_lowest_layer(impl_->ws).socket().close(ignored);
}

}  // namespace mentorlink::bench
