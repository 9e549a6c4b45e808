#pragma once
// Beast types shared by the listener and the WebSocket session. Internal to server/net.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <functional>
#include <memory>
#include <optional>

#include "protocol/wire/bytes.h"
#include "server/api/context.h"
#include "server/net/lean_tls_stream.h"

namespace mentorlink::server {

namespace api {
class Dispatcher;
}

namespace netx {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

using TlsStream = LeanTlsStream;  // lean_tls_stream.h: no buffers held by idle connections
using UpgradeRequest = http::request<http::empty_body>;

// Something the shutdown can ask to go away. Called on any thread.
class Closable : public std::enable_shared_from_this<Closable> {
 public:
  virtual ~Closable() = default;
  virtual void shut_down() = 0;
};

// Register/unregister live connections for graceful shutdown.
struct ConnectionRegistry {
  std::function<void(const std::shared_ptr<Closable>&)> add;
  std::function<void(const Closable*)> remove;
};

// A dashboard's live socket (server/dashboard/): it belongs to this member, receives this
// programme's activity, and takes no requests.
struct LiveDashboard {
  MemberId member = 0;
  ProgrammeId programme = 0;
  wire::Hash session{};  // its dashboard session: the socket closes when that ends (logout) or expires
  TimeMs expires_at = 0;
};

// Runs the WebSocket protocol on an upgraded connection until it closes.
asio::awaitable<void> run_websocket(TlsStream stream, UpgradeRequest request, beast::flat_buffer buffer,
                                    wire::ExporterValue exporter, std::string remote, ServerContext& context,
                                    api::Dispatcher& dispatcher, ConnectionRegistry registry,
                                    std::optional<LiveDashboard> dashboard = std::nullopt);

}  // namespace netx
}  // namespace mentorlink::server
