#include "tests/support/tamper_proxy.h"

#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <mutex>
#include <thread>

#include "protocol/wire/frame.h"
#include "protocol/wire/messages/session.h"
#include "protocol/wire/signatures.h"
#include "tests/support/server_process.h"

namespace mentorlink::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxFrameBytes = std::size_t{64} << 20;  // as the client accepts
using Ws = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

std::string certs_dir() { return std::string(MENTORLINK_TEST_CERTS) + "/trusted"; }

}  // namespace

struct TamperProxy::Impl {
  std::uint16_t upstream_port;
  device::IdentityKeyPair identity;
  asio::io_context io;
  ssl::context server_tls{ssl::context::tls_server};
  ssl::context client_tls{ssl::context::tls_client};
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::mutex mutex;
  Mutation mutation;  // guarded by mutex
  std::atomic<int> tampered{0};

  Impl(std::uint16_t port, device::IdentityKeyPair id) : upstream_port(port), identity(std::move(id)) {
    server_tls.use_certificate_chain_file(certs_dir() + "/server.crt");
    server_tls.use_private_key_file(certs_dir() + "/server.key", ssl::context::pem);
    SSL_CTX_set_min_proto_version(server_tls.native_handle(), TLS1_3_VERSION);
    client_tls.load_verify_file(test_ca_file());
    client_tls.set_verify_mode(ssl::verify_peer);
    SSL_CTX_set_min_proto_version(client_tls.native_handle(), TLS1_3_VERSION);
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    acceptor.listen();
  }

  std::optional<std::string> apply(std::string_view answering, const std::string& frame) {
    Mutation m;
    {
      std::lock_guard lock(mutex);
      m = mutation;
    }
    if (!m) return frame;
    auto out = m(answering, frame);
    if (!out || *out != frame) ++tampered;
    return out;
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(kUseTuple);
      if (ec) co_return;
      asio::co_spawn(io, relay(std::move(socket)), asio::detached);
    }
  }

  // One client connection: TLS and WebSocket towards the client, then the same towards the server.
  asio::awaitable<void> relay(tcp::socket socket) {
    auto down = std::make_shared<Ws>(std::move(socket), server_tls);
    beast::get_lowest_layer(*down).expires_after(std::chrono::seconds(10));
    if (auto [ec] = co_await down->next_layer().async_handshake(ssl::stream_base::server, kUseTuple); ec) co_return;
    beast::get_lowest_layer(*down).expires_never();
    beast::http::request<beast::http::string_body> upgrade;
    beast::flat_buffer buffer;
    if (auto [ec, n] = co_await beast::http::async_read(down->next_layer(), buffer, upgrade, kUseTuple); ec) co_return;
    if (auto [ec] = co_await down->async_accept(upgrade, kUseTuple); ec) co_return;
    down->read_message_max(kMaxFrameBytes);

    auto up = std::make_shared<Ws>(io, client_tls);
    up->next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
    SSL_ctrl(up->next_layer().native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>("localhost"));
    const tcp::endpoint server(asio::ip::address_v4::loopback(), upstream_port);
    if (auto [ec] = co_await beast::get_lowest_layer(*up).async_connect(server, kUseTuple); ec) co_return;
    if (auto [ec] = co_await up->next_layer().async_handshake(ssl::stream_base::client, kUseTuple); ec) co_return;
    wire::ExporterValue exporter{};
    SSL_export_keying_material(up->next_layer().native_handle(), exporter.data(), exporter.size(),
                               wire::kExporterLabel.data(), wire::kExporterLabel.size(), nullptr, 0, 0);
    const std::string host = "localhost:" + std::to_string(upstream_port);
    if (auto [ec] = co_await up->async_handshake(host, std::string(upgrade.target()), kUseTuple); ec) co_return;
    up->read_message_max(kMaxFrameBytes);

    auto state = std::make_shared<Relay>();
    state->exporter = exporter;
    asio::co_spawn(io, client_to_server(down, up, state), asio::detached);
    co_await server_to_client(down, up, state);
  }

  struct Relay {
    wire::ExporterValue exporter{};
    std::optional<wire::Nonce> challenge;
    std::map<std::int64_t, std::string> asked;  // request id → type
  };

  asio::awaitable<void> client_to_server(std::shared_ptr<Ws> down, std::shared_ptr<Ws> up, std::shared_ptr<Relay> r) {
    for (;;) {
      beast::flat_buffer buffer;
      if (auto [ec, n] = co_await down->async_read(buffer, kUseTuple); ec) break;
      std::string frame = beast::buffers_to_string(buffer.data());
      auto parsed = wire::parse_request(frame);
      if (auto* request = std::get_if<wire::Request>(&parsed)) {
        r->asked[request->id] = request->type;
        if (request->type == wire::messages::LoginRequest::kType && r->challenge) {
          auto login = wire::messages::LoginRequest::decode(request->body);
          if (login.is_ok() && login.value().identity_key == identity.public_key()) {
            login.value().signature =
                identity.sign(wire::login_message(*r->challenge, r->exporter, identity.public_key()));
            request->body = login.value().encode();
            frame = wire::serialize_request(*request);
          }
        }
      }
      up->text(true);
      if (auto [ec, n] = co_await up->async_write(asio::buffer(frame), kUseTuple); ec) break;
    }
    beast::get_lowest_layer(*up).close();
    beast::get_lowest_layer(*down).close();
  }

  asio::awaitable<void> server_to_client(std::shared_ptr<Ws> down, std::shared_ptr<Ws> up, std::shared_ptr<Relay> r) {
    for (;;) {
      beast::flat_buffer buffer;
      if (auto [ec, n] = co_await up->async_read(buffer, kUseTuple); ec) break;
      const std::string frame = beast::buffers_to_string(buffer.data());
      std::string answering;
      if (auto in = wire::parse_incoming(frame); in.is_ok()) {
        if (in.value().kind == wire::Incoming::Kind::event) {
          answering = "event:" + in.value().event;
        } else if (in.value().id) {
          answering = r->asked[*in.value().id];
          if (answering == wire::messages::HelloRequest::kType) {
            if (auto hello = wire::messages::HelloResult::decode(in.value().body); hello.is_ok()) {
              r->challenge = hello.value().challenge;
            }
          }
        }
      }
      auto out = apply(answering, frame);
      if (!out) break;
      down->text(true);
      if (auto [ec, n] = co_await down->async_write(asio::buffer(*out), kUseTuple); ec) break;
    }
    beast::get_lowest_layer(*up).close();
    beast::get_lowest_layer(*down).close();
  }
};

TamperProxy::TamperProxy(std::uint16_t upstream_port, device::IdentityKeyPair signs_logins_as)
    : impl_(std::make_unique<Impl>(upstream_port, std::move(signs_logins_as))) {
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

TamperProxy::~TamperProxy() {
  impl_->io.stop();
  impl_->thread.join();
}

std::string TamperProxy::url() const {
  return "wss://localhost:" + std::to_string(impl_->acceptor.local_endpoint().port());
}

void TamperProxy::set_mutation(Mutation mutation) {
  std::lock_guard lock(impl_->mutex);
  impl_->mutation = std::move(mutation);
}

int TamperProxy::tampered() const { return impl_->tampered.load(); }

}  // namespace mentorlink::test
