#pragma once
// One load-generator connection: TLS 1.3 + WebSocket client over Boost.Beast, for coroutines on
// a single-threaded io_context. The only Beast translation unit of the load generator.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/wire/bytes.h"

namespace mentorlink::bench {

namespace asio = boost::asio;

struct Endpoint {
  std::string host = "127.0.0.1";
  std::string port;
  std::string ca_file;
  std::string server_name = "localhost";  // checked against the certificate
  // Loopback source addresses to spread connections over (127.0.0.1, .2, ...): one address
  // has only the ephemeral port range (about 28,000 ports) to connect from.
  std::size_t source_addresses = 1;
};

// A TLS client context trusting only the endpoint's CA, TLS 1.3 only.
class TlsClientContext {
 public:
  explicit TlsClientContext(const std::string& ca_file);
  ~TlsClientContext();
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

class WsClient {
 public:
  // TCP connect, TLS handshake (certificate verified), WebSocket upgrade to /v1. Throws
  // std::runtime_error naming the step that failed.
  // The index picks the source address (Endpoint::source_addresses).
  static asio::awaitable<std::unique_ptr<WsClient>> connect(asio::io_context& io, TlsClientContext& tls,
                                                            const Endpoint& endpoint, std::size_t index = 0);
  ~WsClient();

  // One write at a time per client; one read at a time per client. Both throw on failure.
  asio::awaitable<void> write(std::string_view frame);
  // The returned view is valid until the next read().
  asio::awaitable<std::string_view> read();

  // RFC 9266 tls-exporter of this connection (login signatures cover it).
  wire::ExporterValue exporter() const;
  // Closes the TCP socket at once: pending reads and writes fail.
  void abort();

  struct Impl;

 private:
  explicit WsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlink::bench
