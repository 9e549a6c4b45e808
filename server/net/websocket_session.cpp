// One WebSocket connection: a reader coroutine that answers requests in order, and a writer
// coroutine that drains a bounded outbound queue, one write in flight. Both run on the
// connection's strand, so the members below need no lock.
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>

#include "protocol/wire/frame.h"
#include "server/api/commit_batcher.h"
#include "server/api/dispatcher.h"
#include "server/api/presence.h"
#include "server/dashboard/dashboard_http.h"
#include "server/net/tls_stream.h"

namespace mentorlink::server::netx {
namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
using Clock = std::chrono::steady_clock;

class WebSocketSession final : public Closable, public Outbox {
 public:
  WebSocketSession(TlsStream stream, ServerContext& context, api::Dispatcher& dispatcher,
                   std::optional<LiveDashboard> dashboard)
      : ws_(std::move(stream)),
        wake_(ws_.get_executor()),
        batch_wake_(ws_.get_executor()),
        idle_timer_(ws_.get_executor()),
        expiry_(ws_.get_executor()),
        context_(context),
        dispatcher_(dispatcher),
        dashboard_(dashboard) {
    wake_.expires_at(asio::steady_timer::time_point::max());
  }

  asio::awaitable<void> run(UpgradeRequest request, beast::flat_buffer buffer, wire::ExporterValue exporter,
                            std::string remote, ConnectionRegistry registry) {
    auto self = std::static_pointer_cast<WebSocketSession>(shared_from_this());
    state_.exporter = exporter;
    state_.remote_address = std::move(remote);
    if (const auto origin = request.find(http::field::origin); origin != request.end()) {
      state_.origin = std::string(origin->value());
    }

    // Beast's own idle timeout drops TCP without a close frame; idle_watch() does it instead.
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = context_.limits.handshake_timeout;  // also bounds the closing handshake
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws_.set_option(timeouts);
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { heard_ = Clock::now(); });
    ws_.read_message_max(context_.limits.max_message_bytes);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "mentorlink-server"); }));

    auto [accept_ec] = co_await ws_.async_accept(request, use_tuple);
    if (accept_ec) co_return;
    request = {};  // its headers would otherwise stay in this frame for the connection's life

    registry.add(self);
    if (dashboard_) start_dashboard(self);
    heard_ = Clock::now();
    asio::co_spawn(ws_.get_executor(), write_loop(self), asio::detached);
    asio::co_spawn(ws_.get_executor(), idle_watch(self), asio::detached);
    co_await read_loop(std::move(buffer));

    closed_ = true;
    wake_.cancel();
    idle_timer_.cancel();
    expiry_.cancel();
    if (state_.member) {
      context_.hub.detach(*state_.member, this);
      if (!context_.hub.online(*state_.member)) api::announce_presence(context_, *state_.member, false);
    }
    registry.remove(this);
  }

  void deliver(std::shared_ptr<const std::string> frame) override {
    asio::post(ws_.get_executor(),
               [self = std::static_pointer_cast<WebSocketSession>(shared_from_this()), f = std::move(frame)]() mutable {
                 self->enqueue(std::move(f));
               });
  }

  void end(std::uint16_t close_code, std::string reason) override {
    asio::post(ws_.get_executor(), [self = std::static_pointer_cast<WebSocketSession>(shared_from_this()), close_code,
                                    r = std::move(reason)]() mutable {
      self->request_close(static_cast<websocket::close_code>(close_code), std::move(r));
    });
  }

  DeliveryCursor* delivery_cursor() override { return state_.delivered.get(); }

  void shut_down() override {
    asio::post(ws_.get_executor(), [self = std::static_pointer_cast<WebSocketSession>(shared_from_this())] {
      self->request_close(websocket::close_code::going_away, "server shutting down");
    });
  }

 private:
  // A dashboard's socket lives as long as its session: it watches under the session's lease (a
  // logout ends it through the hub), checks the session once more in case the logout came before
  // the lease was in place, and closes itself at the expiry (on the server's clock).
  void start_dashboard(const std::shared_ptr<WebSocketSession>& self) {
    context_.hub.watch(dashboard_->programme, dashboard_->member, self,
                       WatchLease{dashboard_->session, dashboard_->expires_at});
    const TimeMs now = context_.clock.now_ms();
    if (!context_.store.dashboard_session(dashboard_->session, now).is_ok()) {
      if (dashboard_->expires_at <= now) {
        request_close(static_cast<websocket::close_code>(dashboard::kLiveClosedExpired), "session expired");
      } else {
        request_close(static_cast<websocket::close_code>(dashboard::kLiveClosedSignedOut), "signed out");
      }
      return;
    }
    asio::co_spawn(ws_.get_executor(), expiry_watch(self), asio::detached);
  }

  // The unnamed parameter keeps the session alive while the watch runs; run() cancels it.
  asio::awaitable<void> expiry_watch(std::shared_ptr<WebSocketSession> /*keep_alive*/) {
    while (!closed_ && !close_code_) {
      const TimeMs left = dashboard_->expires_at - context_.clock.now_ms();
      if (left <= 0) {
        request_close(static_cast<websocket::close_code>(dashboard::kLiveClosedExpired), "session expired");
        co_return;
      }
      expiry_.expires_after(std::min<std::chrono::milliseconds>(std::chrono::milliseconds(left), dashboard::kLiveExpiryCheck));
      co_await expiry_.async_wait(use_tuple);
    }
  }

  asio::awaitable<void> read_loop(beast::flat_buffer buffer) {
    constexpr std::size_t kKeptReadBuffer = 16 * 1024;
    for (;;) {
      buffer.clear();
      if (buffer.capacity() > kKeptReadBuffer) buffer.shrink_to_fit();  // one big message is not kept
      auto [ec, n] = co_await ws_.async_read(buffer, use_tuple);
      heard_ = Clock::now();
      if (ec) {
        if (ec == websocket::error::message_too_big) context_.metrics.connection_rejected("message_too_big");
        co_return;
      }
      if (!ws_.got_text()) {
        enqueue(std::make_shared<const std::string>(wire::serialize_error(
            std::nullopt, wire::Status::error(wire::ErrorCode::malformed, "frames must be text (UTF-8 JSON)"))));
        continue;
      }
      if (dashboard_) {  // a dashboard socket only listens
        enqueue(std::make_shared<const std::string>(wire::serialize_error(
            std::nullopt, wire::Status::error(wire::ErrorCode::forbidden, "the dashboard's live socket takes no requests"))));
        continue;
      }
      const bool was_member = state_.member.has_value();
      auto parsed = wire::parse_request(beast::buffers_to_string(buffer.data()));
      auto* request = std::get_if<wire::Request>(&parsed);
      if (request != nullptr && was_member && context_.batcher != nullptr &&
          dispatcher_.group_committed(request->type)) {
        co_await submit_to_batcher(std::move(*request));
        continue;
      }
      co_await batched_replies_sent(0);  // answers stay in request order
      api::Reply reply = dispatcher_.handle(state_, parsed);
      if (!was_member && state_.member) {
        context_.hub.attach(*state_.member, std::static_pointer_cast<WebSocketSession>(shared_from_this()));
        api::announce_presence(context_, *state_.member, true);
      }
      for (const auto programme : state_.watch_requests) {
        context_.hub.watch(programme, *state_.member, std::static_pointer_cast<WebSocketSession>(shared_from_this()));
      }
      state_.watch_requests.clear();
      send_reply(std::move(reply));
    }
  }

  void send_reply(api::Reply reply) {
    enqueue(std::make_shared<const std::string>(std::move(reply.frame)));
    if (reply.close_connection) {
      context_.metrics.connection_rejected("auth_failures");
      request_close(websocket::close_code::policy_error, "too many failed login attempts");
    }
  }

  // Group commit (server/api/commit_batcher.h): the batcher answers on its own thread once the
  // request is durable, and the reply comes back to this connection's executor. The reader goes
  // on reading meanwhile, so several requests of one connection can share a commit; the batcher
  // answers in submission order, so replies keep request order. Batched requests never change
  // state_, and the reader changes it only once none is pending.
  asio::awaitable<void> submit_to_batcher(wire::Request request) {
    co_await batched_replies_sent(context_.limits.max_pipelined_requests - 1);
    ++batched_pending_;
    auto precheck = dispatcher_.precheck(state_, request);
    context_.batcher->submit(
        state_, std::move(request), precheck,
        [self = std::static_pointer_cast<WebSocketSession>(shared_from_this())](api::Reply reply) {
          asio::post(self->ws_.get_executor(), [self, reply = std::move(reply)]() mutable {
            --self->batched_pending_;
            self->send_reply(std::move(reply));
            self->batch_wake_.cancel_one();
          });
        });
  }

  // Waits until at most `pending` batched requests are unanswered.
  asio::awaitable<void> batched_replies_sent(std::size_t pending) {
    while (batched_pending_ > pending) {
      batch_wake_.expires_at(asio::steady_timer::time_point::max());
      co_await batch_wake_.async_wait(use_tuple);
    }
  }

  // Nothing heard from the peer for half the idle timeout: ping. For all of it: close with
  // 1000 "idle timeout" (PROTOCOL.md §1), and drop TCP if even that closing handshake stalls
  // (a silent peer may not read either). Waiting for our own commit (batched_pending_) is not the
  // peer's silence. Closes for other reasons are not this watch's business.
  asio::awaitable<void> idle_watch(std::shared_ptr<WebSocketSession> /*keep_alive*/) {
    const auto idle = context_.limits.idle_timeout;
    std::optional<Clock::time_point> pinged_for;  // the heard_ our last ping answered
    bool closing = false;                          // this watch asked for the close
    while (!closed_) {
      const auto now = Clock::now();
      if (close_code_) {
        if (!closing) co_return;
        idle_timer_.expires_after(context_.limits.handshake_timeout);
        auto [ec] = co_await idle_timer_.async_wait(use_tuple);
        if (!ec && !closed_) {
          boost::system::error_code ignored;
          ws_.next_layer().next_layer().close(ignored);
        }
        co_return;
      }
      if (now >= heard_ + idle && batched_pending_ == 0) {
        context_.metrics.connection_rejected("idle_timeout");
        closing = true;
        request_close(websocket::close_code::normal, "idle timeout");
        continue;
      }
      if (now >= heard_ + idle / 2 && pinged_for != heard_ && batched_pending_ == 0) {
        pinged_for = heard_;
        ping_due_ = true;
        wake_.cancel_one();
      }
      if (now < heard_ + idle / 2) {
        idle_timer_.expires_at(heard_ + idle / 2);
      } else if (now < heard_ + idle) {
        idle_timer_.expires_at(heard_ + idle);
      } else {
        idle_timer_.expires_after(idle / 2);  // our own commit is pending: look again later
      }
      co_await idle_timer_.async_wait(use_tuple);
    }
  }

  // The unnamed parameter keeps the session alive for as long as the writer runs.
  asio::awaitable<void> write_loop(std::shared_ptr<WebSocketSession> /*keep_alive*/) {
    while (!closed_) {
      if (ping_due_ && !close_code_) {
        ping_due_ = false;
        auto [ec] = co_await ws_.async_ping({}, use_tuple);
        if (ec) co_return;
        continue;
      }
      if (queue_.size() == 1) {
        auto frame = std::move(queue_.front());
        queue_.pop_front();
        ws_.text(true);
        auto [ec, n] = co_await ws_.async_write(asio::buffer(*frame), use_tuple);
        if (ec) co_return;
        continue;
      }
      if (!queue_.empty()) {
        if (!co_await write_corked()) co_return;
        continue;
      }
      if (close_code_) {
        co_await ws_.async_close(websocket::close_reason(*close_code_, close_reason_), use_tuple);
        co_return;
      }
      co_await wake_.async_wait(use_tuple);  // woken by cancel_one(): new frame or close
    }
  }

  // Several frames are waiting: their TLS records leave together, in as few sends as the socket
  // allows, up to kCorkedBytes of frames per flush. False when the connection failed.
  asio::awaitable<bool> write_corked() {
    constexpr std::size_t kCorkedBytes = 64 * 1024;
    auto& tls = ws_.next_layer();
    tls.cork();
    std::size_t bytes = 0;
    while (!queue_.empty() && bytes < kCorkedBytes) {
      auto frame = std::move(queue_.front());
      queue_.pop_front();
      bytes += frame->size();
      ws_.text(true);
      auto [ec, n] = co_await ws_.async_write(asio::buffer(*frame), use_tuple);
      if (ec) co_return false;
    }
    auto [ec] = co_await tls.async_flush(use_tuple);
    co_return !ec;
  }

  void enqueue(std::shared_ptr<const std::string> frame) {
    if (closed_ || close_code_) return;
    if (queue_.size() >= context_.limits.max_outbound_queue) {
      // A reader this slow is disconnected rather than allowed to grow our memory.
      context_.metrics.connection_rejected("outbound_queue_full");
      queue_.clear();
      request_close(websocket::close_code::policy_error, "outbound queue full");
      return;
    }
    queue_.push_back(std::move(frame));
    wake_.cancel_one();
  }

  void request_close(websocket::close_code code, std::string reason) {
    if (closed_ || close_code_) return;
    close_code_ = code;
    close_reason_ = std::move(reason);
    wake_.cancel_one();
  }

  websocket::stream<TlsStream> ws_;
  asio::steady_timer wake_;  // the writer waits here; cancel_one() wakes it
  asio::steady_timer batch_wake_;  // the reader waits here for batched replies
  asio::steady_timer idle_timer_;  // idle_watch waits here
  Clock::time_point heard_{};      // when the peer last sent anything (a message or a control frame)
  bool ping_due_ = false;          // idle_watch asks the writer to ping
  asio::steady_timer expiry_;      // a dashboard socket's expiry watch waits here
  std::size_t batched_pending_ = 0;
  ServerContext& context_;
  api::Dispatcher& dispatcher_;
  SessionState state_;
  std::optional<LiveDashboard> dashboard_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::optional<websocket::close_code> close_code_;
  std::string close_reason_;
  bool closed_ = false;  // the reader has finished; the writer stops
};

}  // namespace

asio::awaitable<void> run_websocket(TlsStream stream, UpgradeRequest request, beast::flat_buffer buffer,
                                    wire::ExporterValue exporter, std::string remote, ServerContext& context,
                                    api::Dispatcher& dispatcher, ConnectionRegistry registry,
                                    std::optional<LiveDashboard> dashboard) {
  auto session = std::make_shared<WebSocketSession>(std::move(stream), context, dispatcher, dashboard);
  co_await session->run(std::move(request), std::move(buffer), exporter, std::move(remote), std::move(registry));
}

}  // namespace mentorlink::server::netx
