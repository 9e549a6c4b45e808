#pragma once
// The network front of mentorlink-server: TLS 1.3 listener, HTTP (/healthz, /metrics) and the
// WebSocket endpoint /v1. No Boost headers here, so main.cpp and tests stay cheap to compile.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/api/context.h"

namespace mentorlink::server {

namespace api {
class Dispatcher;
}

struct NetConfig {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0 picks a free port; see NetServer::port()
  std::string cert_file;      // PEM chain, leaf first
  std::string key_file;       // PEM private key
  int threads = 0;            // 0: one per core
};

class NetServer {
 public:
  // Loads the certificate and binds the port. Throws std::runtime_error with a sentence for the
  // operator on failure. context and dispatcher must outlive the NetServer.
  NetServer(const NetConfig& config, ServerContext& context, api::Dispatcher& dispatcher);
  ~NetServer();
  NetServer(const NetServer&) = delete;
  NetServer& operator=(const NetServer&) = delete;

  std::uint16_t port() const;

  // Serves until SIGINT/SIGTERM or stop(): then stops accepting, closes every WebSocket with
  // 1001 "going away", waits for connections to finish (bounded), and returns.
  void run();
  // Thread-safe request to begin the graceful shutdown.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mentorlink::server
