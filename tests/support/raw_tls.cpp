#include "tests/support/raw_tls.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace mentorlink::test {
using Clock = std::chrono::steady_clock;

RawTcp::RawTcp(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
}

RawTcp::~RawTcp() {
  if (fd_ >= 0) ::close(fd_);
}

void RawTcp::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

RawTcp::Drain RawTcp::drain(std::chrono::milliseconds timeout) {
  Drain out;
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  char buf[4096];
  while (Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 0))) <= 0) break;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      out.closed = true;
      break;
    }
    out.bytes.append(buf, static_cast<std::size_t>(n));
  }
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return out;
}

RawTls::RawTls(std::uint16_t port, int min_version, int max_version, const std::string& ca_file) : tcp_(port) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx_, min_version);
  SSL_CTX_set_max_proto_version(ctx_, max_version);
  SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, tcp_.fd());
  SSL_set1_host(ssl_, "localhost");
}

RawTls::~RawTls() {
  SSL_free(ssl_);
  SSL_CTX_free(ctx_);
}

std::string RawTls::handshake() {
  ERR_clear_error();
  if (SSL_connect(ssl_) == 1) return {};
  const unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return e == 0 ? std::string("handshake failed (connection closed)") : std::string(buf);
}

void RawTls::write(const std::string& bytes) { SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())); }

RawTcp::Drain RawTls::drain(std::chrono::milliseconds timeout) {
  RawTcp::Drain out;
  const auto start = Clock::now();
  const auto deadline = start + timeout;
  char buf[4096];
  while (Clock::now() < deadline) {
    if (SSL_pending(ssl_) == 0) {
      pollfd p{tcp_.fd(), POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 0))) <= 0) break;
    }
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) {
      const int err = SSL_get_error(ssl_, n);
      if (err == SSL_ERROR_WANT_READ) continue;
      out.closed = true;
      break;
    }
    out.bytes.append(buf, static_cast<std::size_t>(n));
  }
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return out;
}

std::string RawTls::read_http_head() {
  std::string head;
  char c = 0;
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (SSL_read(ssl_, &c, 1) != 1) break;
    head += c;
  }
  return head;
}

std::optional<std::string> RawTls::read_exactly(std::size_t n, std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = Clock::now() + timeout;
  char buf[4096];
  while (out.size() < n) {
    if (SSL_pending(ssl_) == 0) {
      pollfd p{tcp_.fd(), POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) return std::nullopt;
    }
    const int want = static_cast<int>(std::min(sizeof buf, n - out.size()));
    const int got = SSL_read(ssl_, buf, want);
    if (got <= 0) {
      if (SSL_get_error(ssl_, got) == SSL_ERROR_WANT_READ) continue;
      return std::nullopt;
    }
    out.append(buf, static_cast<std::size_t>(got));
  }
  return out;
}

}  // namespace mentorlink::test
