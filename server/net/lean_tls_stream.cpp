#include "server/net/lean_tls_stream.h"

#include <stdexcept>

namespace mentorlink::server::netx {
namespace lean_detail {
namespace {

State& state_of(BIO* bio) { return *static_cast<State*>(BIO_get_data(bio)); }
tcp::socket& socket_of(BIO* bio) { return state_of(bio).socket; }

int bio_write(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
  BIO_clear_retry_flags(bio);
  if (auto& s = state_of(bio); s.corked) {
    s.held.insert(s.held.end(), data, data + size);
    *written = size;
    return 1;
  }
  beast::error_code ec;
  const auto n = socket_of(bio).write_some(asio::buffer(data, size), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    BIO_set_retry_write(bio);
    return 0;
  }
  if (ec) return 0;
  *written = n;
  return 1;
}

int bio_read(BIO* bio, char* data, std::size_t size, std::size_t* read) {
  BIO_clear_retry_flags(bio);
  beast::error_code ec;
  const auto n = socket_of(bio).read_some(asio::buffer(data, size), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    BIO_set_retry_read(bio);
    return 0;
  }
  if (ec) return 0;  // end of stream or a socket error: OpenSSL reports it
  *read = n;
  return 1;
}

long bio_ctrl(BIO* /*bio*/, int command, long /*num*/, void* /*ptr*/) {
  return command == BIO_CTRL_FLUSH ? 1 : 0;  // held writes are flushed by LeanTlsStream::async_flush
}

int bio_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

}  // namespace

BIO_METHOD* socket_bio_method() {
  static BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "mentorlink asio socket");
    if (m == nullptr || BIO_meth_set_write_ex(m, bio_write) != 1 || BIO_meth_set_read_ex(m, bio_read) != 1 ||
        BIO_meth_set_ctrl(m, bio_ctrl) != 1 || BIO_meth_set_create(m, bio_create) != 1) {
      throw std::runtime_error("cannot create the OpenSSL BIO method");
    }
    return m;
  }();
  return method;
}

Want classify(State& s, int result, beast::error_code& ec) {
  switch (SSL_get_error(s.ssl, result)) {
    case SSL_ERROR_WANT_READ:
      return Want::read;
    case SSL_ERROR_WANT_WRITE:
      return Want::write;
    case SSL_ERROR_ZERO_RETURN:  // the peer sent close_notify
      ec = asio::error::eof;
      return Want::failed;
    case SSL_ERROR_SYSCALL:
    case SSL_ERROR_SSL: {
      const unsigned long e = ERR_get_error();
      if (e == 0 || ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        ec = asio::ssl::error::stream_truncated;  // the peer went away without close_notify
      } else {
        ec = beast::error_code(static_cast<int>(e), asio::error::get_ssl_category());
      }
      return Want::failed;
    }
    default:
      ec = asio::error::fault;
      return Want::failed;
  }
}

}  // namespace lean_detail

LeanTlsStream::LeanTlsStream(boost::asio::ip::tcp::socket socket, SSL_CTX* context)
    : state_(std::make_shared<lean_detail::State>(std::move(socket))) {
  auto& s = *state_;
  s.socket.non_blocking(true);
  s.ssl = SSL_new(context);
  BIO* bio = s.ssl != nullptr ? BIO_new(lean_detail::socket_bio_method()) : nullptr;
  if (bio == nullptr) throw std::runtime_error("OpenSSL cannot allocate a TLS connection");
  BIO_set_data(bio, &s);
  SSL_set_bio(s.ssl, bio, bio);  // the SSL owns the BIO
  SSL_set_accept_state(s.ssl);
  SSL_set_mode(s.ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
}

void LeanTlsStream::expires_after(std::chrono::steady_clock::duration d) {
  state_->timed_out = false;
  state_->deadline.expires_after(d);
  const auto generation = ++state_->deadline_generation;
  state_->deadline.async_wait([weak = std::weak_ptr<lean_detail::State>(state_), generation](boost::beast::error_code ec) {
    auto s = weak.lock();
    if (ec || !s || s->deadline_generation != generation) return;  // re-armed, cancelled, or gone
    s->timed_out = true;
    boost::beast::error_code ignored;
    s->socket.close(ignored);  // pending waits complete; every later operation fails
  });
}

void LeanTlsStream::expires_never() {
  ++state_->deadline_generation;
  state_->deadline.cancel();
}

void teardown(boost::beast::role_type /*role*/, LeanTlsStream& stream, boost::beast::error_code& ec) {
  if (stream.next_layer().is_open()) SSL_shutdown(stream.native_handle());
  stream.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  stream.next_layer().close(ec);
}

}  // namespace mentorlink::server::netx
