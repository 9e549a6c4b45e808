#pragma once
// Deliberately misbehaving peers for integration tests, on plain blocking sockets and OpenSSL:
// no Beast, so they can do what a correct client never would (TLS 1.2 only, plaintext, stall
// mid-handshake, upgrade and then never read).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;

namespace mentorlink::test {

class RawTcp {
 public:
  explicit RawTcp(std::uint16_t port);  // connects to 127.0.0.1:port; throws on failure
  ~RawTcp();
  RawTcp(const RawTcp&) = delete;
  RawTcp& operator=(const RawTcp&) = delete;

  void send(const std::string& bytes);
  // Reads until the peer closes or timeout passes. Returns what was read, and whether it closed.
  struct Drain {
    std::string bytes;
    bool closed = false;
    std::chrono::milliseconds elapsed{0};
  };
  Drain drain(std::chrono::milliseconds timeout);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

class RawTls {
 public:
  // TLS over a new RawTcp, limited to versions [min_version, max_version] (TLS1_2_VERSION ...).
  RawTls(std::uint16_t port, int min_version, int max_version, const std::string& ca_file);
  ~RawTls();
  RawTls(const RawTls&) = delete;
  RawTls& operator=(const RawTls&) = delete;

  // Returns an empty string on success, else OpenSSL's reason.
  std::string handshake();
  void write(const std::string& bytes);
  // Reads TLS records until the peer closes (or timeout); returns the plaintext read.
  RawTcp::Drain drain(std::chrono::milliseconds timeout);
  // Plaintext up to and including "\r\n\r\n" (an HTTP response head).
  std::string read_http_head();
  // Exactly n bytes of plaintext, or nullopt if the peer closed or timeout passed first.
  std::optional<std::string> read_exactly(std::size_t n, std::chrono::milliseconds timeout);

 private:
  RawTcp tcp_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace mentorlink::test
