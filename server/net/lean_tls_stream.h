#pragma once
// The server's TLS stream under Beast: OpenSSL reads and writes the TCP socket itself, through a
// BIO that calls the Asio socket's non-blocking read_some/write_some, and the stream waits for
// readiness only when OpenSSL asks for it (WANT_READ / WANT_WRITE). Its one buffer (records held
// by a cork) exists only while it holds data, and with
// SSL_MODE_RELEASE_BUFFERS OpenSSL frees its record buffers while a connection is idle. Asio's
// ssl::stream keeps four 17 KiB buffers per connection for its whole life (two staging buffers
// and a BIO pair); a mentorlink connection spends most of its life idle.
//
// The TLS is OpenSSL's; this file only moves bytes and waits. Contracts:
// - Operations run on the stream's executor (the connection's strand); at most one read and one
//   write operation are pending at a time, as Beast guarantees for its streams.
// - Once the socket is closed (shutdown, a timeout, an error) every operation fails; OpenSSL
//   never sees a descriptor number that may have been reused by another connection, because the
//   BIO goes through the Asio socket, which knows it is closed.
// - expires_after() bounds every operation until expires_never(): when the deadline passes the
//   socket is closed and pending and later operations fail with beast::error::timeout.

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/async_base.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <chrono>
#include <memory>
#include <vector>

namespace mentorlink::server::netx {

namespace lean_detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

// What the BIO and the deadline need, at a stable address (the stream itself is moved).
struct State {
  explicit State(tcp::socket s) : socket(std::move(s)), deadline(socket.get_executor()) {}
  ~State() {
    if (ssl != nullptr) SSL_free(ssl);  // frees the BIO too
  }
  tcp::socket socket;
  asio::steady_timer deadline;
  SSL* ssl = nullptr;
  // Corked (LeanTlsStream::cork): the BIO keeps the TLS records it is given in `held` instead of
  // sending them, until async_flush has sent them all with as few send calls as the socket allows.
  bool corked = false;
  std::vector<unsigned char> held;
  std::size_t held_sent = 0;  // bytes of `held` already sent by the flush
  bool timed_out = false;
  std::uint64_t deadline_generation = 0;  // a deadline that fired after being re-armed is ignored
};

// The BIO method shared by every connection: reads and writes go to State::socket.
BIO_METHOD* socket_bio_method();

enum class Want { nothing, read, write, failed };

// Maps an OpenSSL result to what the operation does next; sets ec for failures.
Want classify(State& s, int result, beast::error_code& ec);

}  // namespace lean_detail

class LeanTlsStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;
  using next_layer_type = boost::asio::ip::tcp::socket;

  // A server-side TLS stream over socket with the settings of context. Throws
  // std::runtime_error if OpenSSL cannot allocate the connection.
  LeanTlsStream(boost::asio::ip::tcp::socket socket, SSL_CTX* context);
  LeanTlsStream(LeanTlsStream&&) noexcept = default;
  LeanTlsStream& operator=(LeanTlsStream&&) noexcept = default;
  ~LeanTlsStream() = default;

  executor_type get_executor() noexcept { return state_->socket.get_executor(); }
  next_layer_type& next_layer() noexcept { return state_->socket; }
  SSL* native_handle() noexcept { return state_->ssl; }

  void expires_after(std::chrono::steady_clock::duration d);
  void expires_never();

  template <class Handler>
  auto async_handshake(Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code)>(
        [this](auto h) { Op<decltype(h), Kind::handshake, boost::asio::const_buffer>(std::move(h), *state_, {}); },
        handler);
  }

  template <class MutableBufferSequence, class Handler>
  auto async_read_some(const MutableBufferSequence& buffers, Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code, std::size_t)>(
        [this](auto h, const MutableBufferSequence& b) {
          Op<decltype(h), Kind::read, MutableBufferSequence>(std::move(h), *state_, b);
        },
        handler, buffers);
  }

  template <class ConstBufferSequence, class Handler>
  auto async_write_some(const ConstBufferSequence& buffers, Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code, std::size_t)>(
        [this](auto h, const ConstBufferSequence& b) {
          Op<decltype(h), Kind::write, ConstBufferSequence>(std::move(h), *state_, b);
        },
        handler, buffers);
  }

  // From now until async_flush completes, writes complete at once and their TLS records are held
  // (at most what the caller writes in between; it bounds that), so that several WebSocket frames
  // leave in one send instead of one each. Writes made meanwhile by Beast itself (a pong) are held
  // and flushed in order with the rest.
  void cork() noexcept { state_->corked = true; }

  // Sends everything held since cork() and uncorks; fails like a write when the socket does.
  template <class Handler>
  auto async_flush(Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code)>(
        [this](auto h) { FlushOp<decltype(h)>(std::move(h), *state_); }, handler);
  }

  // Sends close_notify (without waiting for the peer's).
  template <class Handler>
  auto async_shutdown(Handler&& handler) {
    return boost::asio::async_initiate<Handler, void(boost::beast::error_code)>(
        [this](auto h) { Op<decltype(h), Kind::shutdown, boost::asio::const_buffer>(std::move(h), *state_, {}); },
        handler);
  }

 private:
  enum class Kind { handshake, read, write, shutdown };

  // One operation: try OpenSSL; on WANT_READ/WANT_WRITE wait for the socket and try again.
  template <class Handler, Kind kind, class Buffers>
  class Op : public boost::beast::async_base<Handler, executor_type> {
   public:
    Op(Handler&& h, lean_detail::State& s, const Buffers& buffers)
        : boost::beast::async_base<Handler, executor_type>(std::move(h), s.socket.get_executor()),
          s_(s),
          buffers_(buffers) {
      if constexpr (kind == Kind::write) gather();
      (*this)({}, false);
    }

    void operator()(boost::beast::error_code ec, bool continuation = true) {
      using lean_detail::Want;
      if (s_.timed_out) ec = boost::beast::error::timeout;
      if (!ec && !s_.socket.is_open()) ec = boost::asio::error::bad_descriptor;
      if (ec) return finish(continuation, ec);
      ERR_clear_error();
      const int result = attempt();
      if (result == 1) return finish(continuation, ec);
      switch (lean_detail::classify(s_, result, ec)) {
        case Want::read:
          if constexpr (kind == Kind::shutdown) return finish(continuation, {});
          return s_.socket.async_wait(boost::asio::ip::tcp::socket::wait_read, std::move(*this));
        case Want::write:
          return s_.socket.async_wait(boost::asio::ip::tcp::socket::wait_write, std::move(*this));
        case Want::nothing:  // shutdown: close_notify sent, the peer's is not awaited
          return finish(continuation, {});
        case Want::failed:
          return finish(continuation, ec);
      }
    }

   private:
    // Beast writes a frame as header + payload; one TLS record for both, not two.
    void gather() {
      const auto first = *boost::asio::buffer_sequence_begin(buffers_);
      const auto total = boost::asio::buffer_size(buffers_);
      if (first.size() == total) {
        out_ = boost::asio::const_buffer(first.data(), first.size());
        return;
      }
      constexpr std::size_t kRecord = 16 * 1024;
      staging_.resize(std::min(total, kRecord));
      boost::asio::buffer_copy(boost::asio::buffer(staging_), buffers_);
      out_ = boost::asio::const_buffer(staging_.data(), staging_.size());
    }

    int attempt() {
      if constexpr (kind == Kind::handshake) return SSL_do_handshake(s_.ssl);
      if constexpr (kind == Kind::shutdown) {
        const int r = SSL_shutdown(s_.ssl);
        return r >= 0 ? 1 : r;
      }
      if constexpr (kind == Kind::read) {
        const auto b = boost::beast::buffers_front(buffers_);
        if (b.size() == 0) return 1;
        return SSL_read_ex(s_.ssl, b.data(), b.size(), &transferred_);
      }
      if constexpr (kind == Kind::write) {
        if (out_.size() == 0) return 1;
        return SSL_write_ex(s_.ssl, out_.data(), out_.size(), &transferred_);
      }
    }

    void finish(bool continuation, boost::beast::error_code ec) {
      if constexpr (kind == Kind::read || kind == Kind::write) {
        this->complete(continuation, ec, ec ? std::size_t{0} : transferred_);
      } else {
        this->complete(continuation, ec);
      }
    }

    lean_detail::State& s_;
    Buffers buffers_;
    boost::asio::const_buffer out_;
    std::vector<unsigned char> staging_;
    std::size_t transferred_ = 0;
  };

  // async_flush: send the held records; wait for the socket whenever it is full.
  template <class Handler>
  class FlushOp : public boost::beast::async_base<Handler, executor_type> {
   public:
    FlushOp(Handler&& h, lean_detail::State& s)
        : boost::beast::async_base<Handler, executor_type>(std::move(h), s.socket.get_executor()), s_(s) {
      (*this)({}, false);
    }

    void operator()(boost::beast::error_code ec, bool continuation = true) {
      if (s_.timed_out) ec = boost::beast::error::timeout;
      while (!ec && s_.held_sent < s_.held.size()) {
        const auto n = s_.socket.write_some(
            boost::asio::buffer(s_.held.data() + s_.held_sent, s_.held.size() - s_.held_sent), ec);
        if (ec == boost::asio::error::would_block || ec == boost::asio::error::try_again) {
          return s_.socket.async_wait(boost::asio::ip::tcp::socket::wait_write, std::move(*this));
        }
        if (!ec) s_.held_sent += n;
      }
      s_.corked = false;
      std::vector<unsigned char>().swap(s_.held);  // an idle connection keeps no buffer
      s_.held_sent = 0;
      this->complete(continuation, ec);
    }

   private:
    lean_detail::State& s_;
  };

  std::shared_ptr<lean_detail::State> state_;
};

// Beast's WebSocket close handshake ends with these (found by argument-dependent lookup).
void teardown(boost::beast::role_type role, LeanTlsStream& stream, boost::beast::error_code& ec);

template <class TeardownHandler>
void async_teardown(boost::beast::role_type /*role*/, LeanTlsStream& stream, TeardownHandler&& handler) {
  // Records held by a cork (the close frame among them) leave before close_notify.
  stream.async_flush([&stream, h = std::forward<TeardownHandler>(handler)](boost::beast::error_code) mutable {
    stream.async_shutdown([&stream, h = std::move(h)](boost::beast::error_code) mutable {
      boost::beast::error_code ec;
      stream.next_layer().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
      stream.next_layer().close(ec);
      std::move(h)(boost::beast::error_code{});
    });
  });
}

}  // namespace mentorlink::server::netx
