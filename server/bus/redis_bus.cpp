#include "server/bus/redis_bus.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <random>
#include <thread>

namespace mentorlink::server::bus {
namespace asio = boost::asio;

std::optional<RedisAddress> parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  RedisAddress out;
  const auto colon = url.rfind(':');
  std::string_view host = url.substr(0, colon);
  if (colon != std::string_view::npos) {
    const auto port_text = url.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) return std::nullopt;
    out.port = static_cast<std::uint16_t>(port);
  }
  const bool host_ok = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  });
  if (!host_ok) return std::nullopt;
  out.host = std::string(host);
  return out;
}

namespace {

// Watches one hiredis connection's socket for the reads and writes hiredis asks for (its ev
// hooks), and calls redisAsyncHandleRead/Write when ready. Lives until hiredis calls cleanup and
// the last pending wait has completed.
struct SocketWatch : std::enable_shared_from_this<SocketWatch> {
  SocketWatch(asio::io_context& io, redisAsyncContext* context) : socket(io, context->c.fd), ctx(context) {}

  void arm_read() {
    if (reading || ctx == nullptr) return;
    reading = true;
    socket.async_wait(asio::posix::stream_descriptor::wait_read, [self = shared_from_this()](boost::system::error_code ec) {
      self->reading = false;
      if (ec || self->ctx == nullptr || !self->want_read) return;
      redisAsyncHandleRead(self->ctx);  // may free the context: cleanup clears ctx
      if (self->want_read) self->arm_read();
    });
  }
  void arm_write() {
    if (writing || ctx == nullptr) return;
    writing = true;
    socket.async_wait(asio::posix::stream_descriptor::wait_write, [self = shared_from_this()](boost::system::error_code ec) {
      self->writing = false;
      if (ec || self->ctx == nullptr || !self->want_write) return;
      redisAsyncHandleWrite(self->ctx);
      if (self->want_write) self->arm_write();
    });
  }

  static SocketWatch& of(void* data) { return *static_cast<std::shared_ptr<SocketWatch>*>(data)->get(); }
  static void add_read(void* data) {
    auto& w = of(data);
    w.want_read = true;
    w.arm_read();
  }
  static void del_read(void* data) { of(data).want_read = false; }
  static void add_write(void* data) {
    auto& w = of(data);
    w.want_write = true;
    w.arm_write();
  }
  static void del_write(void* data) { of(data).want_write = false; }
  // hiredis is done with the context and closes the socket itself: give the descriptor back.
  static void cleanup(void* data) {
    auto* holder = static_cast<std::shared_ptr<SocketWatch>*>(data);
    auto& w = **holder;
    w.ctx = nullptr;
    w.want_read = w.want_write = false;
    boost::system::error_code ignored;
    w.socket.cancel(ignored);
    w.socket.release();
    delete holder;  // pending waits hold their own reference
  }

  asio::posix::stream_descriptor socket;
  redisAsyncContext* ctx;
  bool want_read = false, want_write = false, reading = false, writing = false;
};

std::int64_t random_node_id() {
  std::random_device device;
  std::uniform_int_distribution<std::int64_t> pick(1, (std::int64_t{1} << 53) - 1);  // exact in any JSON reader
  return pick(device);
}

}  // namespace

struct RedisBus::Impl {
  enum class Role { subscriber, publisher };

  // One Redis connection and its reconnect schedule. Touched only on the bus thread.
  struct Link {
    Link(Impl& i, Role r) : impl(i), role(r), retry(i.io), connect_deadline(i.io) {}
    Impl& impl;
    Role role;
    redisAsyncContext* ctx = nullptr;
    bool connected = false;
    std::chrono::milliseconds backoff{0};
    asio::steady_timer retry;
    asio::steady_timer connect_deadline;
  };

  Impl(RedisAddress a, RedisBusLimits l)
      : address(std::move(a)), limits(std::move(l)), node(random_node_id()), work(io.get_executor()),
        subscriber(*this, Role::subscriber), publisher(*this, Role::publisher), tick_timer(io) {}

  void connect(Link& link) {
    if (stopping || link.ctx != nullptr) return;
    redisAsyncContext* ctx = redisAsyncConnect(address.host.c_str(), address.port);
    if (ctx == nullptr || ctx->err != 0) {
      spdlog::warn("event=bus_connect_failed role={} reason=\"{}\"", name(link), ctx ? ctx->errstr : "out of memory");
      if (ctx != nullptr) redisAsyncFree(ctx);
      schedule_reconnect(link);
      return;
    }
    ctx->data = &link;
    auto* holder = new std::shared_ptr<SocketWatch>(std::make_shared<SocketWatch>(io, ctx));
    ctx->ev.data = holder;
    ctx->ev.addRead = &SocketWatch::add_read;
    ctx->ev.delRead = &SocketWatch::del_read;
    ctx->ev.addWrite = &SocketWatch::add_write;
    ctx->ev.delWrite = &SocketWatch::del_write;
    ctx->ev.cleanup = &SocketWatch::cleanup;
    redisAsyncSetConnectCallback(ctx, &Impl::on_connect);
    redisAsyncSetDisconnectCallback(ctx, &Impl::on_disconnect);
    link.ctx = ctx;
    if (link.role == Role::subscriber) {
      redisAsyncCommand(ctx, &Impl::on_subscription, &link, "SUBSCRIBE %b", limits.channel.data(), limits.channel.size());
    }
    link.connect_deadline.expires_after(limits.connect_timeout);
    link.connect_deadline.async_wait([this, &link, ctx](boost::system::error_code ec) {
      if (ec || link.ctx != ctx || link.connected) return;
      spdlog::warn("event=bus_connect_timeout role={}", name(link));
      link.ctx = nullptr;
      redisAsyncFree(ctx);  // not connected yet: hiredis calls no disconnect callback
      schedule_reconnect(link);
    });
  }

  void schedule_reconnect(Link& link) {
    if (stopping) return;
    link.backoff = link.backoff.count() == 0 ? limits.reconnect_first : std::min(link.backoff * 2, limits.reconnect_max);
    link.retry.expires_after(link.backoff);
    link.retry.async_wait([this, &link](boost::system::error_code ec) {
      if (!ec) connect(link);
    });
  }

  static const char* name(const Link& link) { return link.role == Role::subscriber ? "subscriber" : "publisher"; }

  static void on_connect(const redisAsyncContext* ctx, int status) {
    auto& link = *static_cast<Link*>(ctx->data);
    link.connect_deadline.cancel();
    if (status != REDIS_OK) {  // hiredis frees the context after this returns
      spdlog::warn("event=bus_connect_failed role={} reason=\"{}\"", name(link), ctx->errstr);
      link.ctx = nullptr;
      link.impl.schedule_reconnect(link);
      return;
    }
    link.connected = true;
    spdlog::info("event=bus_connected role={}", name(link));
    if (link.role == Role::publisher) {
      link.backoff = std::chrono::milliseconds{0};
      link.impl.maybe_resync();
    }
  }

  static void on_disconnect(const redisAsyncContext* ctx, int /*status*/) {
    auto& link = *static_cast<Link*>(ctx->data);
    const bool was_connected = link.connected;
    link.ctx = nullptr;
    link.connected = false;
    if (link.role == Role::subscriber) link.impl.subscribed_flag = false;
    link.impl.resync_due = true;
    if (link.impl.stopping) return;
    if (was_connected) spdlog::warn("event=bus_disconnected role={}", name(link));
    link.impl.schedule_reconnect(link);
  }

  static void on_subscription(redisAsyncContext* ctx, void* r, void* data) {
    auto& link = *static_cast<Link*>(data);
    auto& impl = link.impl;
    const auto* reply = static_cast<const redisReply*>(r);
    if (reply == nullptr || impl.stopping || ctx != link.ctx) return;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 || reply->element[0]->type != REDIS_REPLY_STRING) return;
    const std::string_view kind(reply->element[0]->str, reply->element[0]->len);
    if (kind == "subscribe") {
      impl.subscribed_flag = true;
      link.backoff = std::chrono::milliseconds{0};
      spdlog::info("event=bus_subscribed channel={}", impl.limits.channel);
      impl.maybe_resync();
      return;
    }
    if (kind != "message" || reply->element[2]->type != REDIS_REPLY_STRING) return;
    auto poke = decode(std::string_view(reply->element[2]->str, reply->element[2]->len));
    if (!poke.is_ok()) {
      spdlog::warn("event=bus_poke_refused reason=\"{}\"", poke.status().message());
      return;
    }
    impl.run_handler([&] { impl.handlers.receive(poke.value()); });
  }

  static void on_published(redisAsyncContext*, void*, void* data) {
    static_cast<Impl*>(data)->in_flight.fetch_sub(1);
  }

  // Runs resync once both connections are up after a start or a loss; asks the other nodes to
  // resync too if this node dropped pokes meanwhile.
  void maybe_resync() {
    if (!resync_due || !subscribed_flag || !publisher.connected) return;
    resync_due = false;
    if (dropped_count.load() != dropped_at_resync) {
      dropped_at_resync = dropped_count.load();
      const auto text = encode(Poke{.kind = PokeKind::resync, .node = node});
      in_flight.fetch_add(1);
      redisAsyncCommand(publisher.ctx, &Impl::on_published, this, "PUBLISH %b %b", limits.channel.data(),
                        limits.channel.size(), text.data(), text.size());
    }
    run_handler([&] { handlers.resync(); });
  }

  template <typename F>
  void run_handler(F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      spdlog::error("event=bus_handler_failed reason=\"{}\"", e.what());
    }
  }

  void tick() {
    tick_timer.expires_after(kPresenceHeartbeat);
    tick_timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      run_handler([&] { handlers.tick(); });
      tick();
    });
  }

  void stop() {
    stopping = true;
    for (Link* link : {&subscriber, &publisher}) {
      link->retry.cancel();
      link->connect_deadline.cancel();
      if (link->ctx != nullptr) redisAsyncFree(link->ctx);
      link->ctx = nullptr;
    }
    tick_timer.cancel();
    work.reset();
  }

  RedisAddress address;
  RedisBusLimits limits;
  const std::int64_t node;
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> work;
  BusHandlers handlers;
  bool stopping = false;  // bus thread only
  bool resync_due = true;  // bus thread only
  std::uint64_t dropped_at_resync = 0;  // bus thread only
  Link subscriber;
  Link publisher;
  asio::steady_timer tick_timer;
  std::atomic<bool> subscribed_flag{false};
  std::atomic<std::size_t> in_flight{0};  // published, not yet answered by Redis
  std::atomic<std::uint64_t> dropped_count{0};
  std::thread thread;
};

RedisBus::RedisBus(RedisAddress address, RedisBusLimits limits)
    : impl_(std::make_shared<Impl>(std::move(address), std::move(limits))) {}

RedisBus::~RedisBus() {
  if (impl_->thread.joinable()) {
    asio::post(impl_->io, [impl = impl_.get()] { impl->stop(); });
    impl_->thread.join();
  }
}

std::int64_t RedisBus::node() const { return impl_->node; }
bool RedisBus::subscribed() const { return impl_->subscribed_flag; }
std::uint64_t RedisBus::dropped() const { return impl_->dropped_count; }

void RedisBus::start(BusHandlers handlers) {
  impl_->handlers = std::move(handlers);
  impl_->thread = std::thread([impl = impl_.get()] {
    impl->connect(impl->subscriber);
    impl->connect(impl->publisher);
    impl->tick();
    impl->io.run();
  });
}

void RedisBus::publish(const Poke& poke) {
  auto& impl = *impl_;
  if (impl.in_flight.fetch_add(1) >= impl.limits.max_queued_pokes) {
    impl.in_flight.fetch_sub(1);
    impl.dropped_count.fetch_add(1);
    return;
  }
  asio::post(impl.io, [&impl, text = encode(poke)] {
    auto* ctx = impl.publisher.ctx;
    if (ctx == nullptr || impl.stopping ||
        redisAsyncCommand(ctx, &Impl::on_published, &impl, "PUBLISH %b %b", impl.limits.channel.data(),
                          impl.limits.channel.size(), text.data(), text.size()) != REDIS_OK) {
      impl.in_flight.fetch_sub(1);
      impl.dropped_count.fetch_add(1);
    }
  });
}

}  // namespace mentorlink::server::bus
