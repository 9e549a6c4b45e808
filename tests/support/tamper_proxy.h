#pragma once
// A TLS-terminating WebSocket proxy that stands in for a hostile server in integration tests: it
// accepts the CLI with the test certificate ("trusted" set, so the CLI's --ca accepts it),
// connects to the real server over TLS, forwards text frames both ways, and lets a test rewrite or
// drop what the server sends before the client sees it.
//
// Channel binding (PROTOCOL.md §4) makes the client's login signature worthless on the proxy's
// own upstream connection. A hostile server needs no signature to accept its own client, so the
// proxy is given the member's identity key and re-signs each login for upstream.
// Boost.Beast stays in tamper_proxy.cpp.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/device/identity.h"

namespace mentorlink::test {

class TamperProxy {
 public:
  // What the client receives instead of frame, or nullopt to drop it and close the client's
  // connection (a server that goes silent mid-answer). answering is the request type a result or
  // error answers ("login"), or "event:<name>" for an event.
  using Mutation = std::function<std::optional<std::string>(std::string_view answering, const std::string& frame)>;

  // upstream_port is the real server's (on localhost); it is verified with the "trusted" test CA.
  TamperProxy(std::uint16_t upstream_port, device::IdentityKeyPair signs_logins_as);
  ~TamperProxy();
  TamperProxy(const TamperProxy&) = delete;
  TamperProxy& operator=(const TamperProxy&) = delete;

  std::string url() const;  // wss://localhost:PORT
  // Applies to frames from now on; the default forwards everything unchanged.
  void set_mutation(Mutation mutation);
  // How many frames the mutation changed or dropped so far.
  int tampered() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlink::test
