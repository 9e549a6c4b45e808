// The naive floor of this stack: a Boost.Beast TLS WebSocket relay written the obvious way, one
// thread, one TLS record and one write per message, no persistence. It speaks the subset of the
// mentorlink protocol the load generator uses (bench/README.md, "Baseline protocol"):
//   login {member}            -> result {member}; the partner is member ^ 1
//   message.send {pair, client_id, body} -> result {pair, seq, sent_at, duplicate:false}, and the
//                                partner gets event "message" {envelope}
//   message.ack {pair, up_to} -> result {acknowledged: 0}
// Usage: beast-relay PORT CERT KEY (PORT 0: any free port; the first line of output names it)
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <deque>
#include <iostream>
#include <memory>
#include <unordered_map>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
namespace json = boost::json;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class Session;
std::unordered_map<std::int64_t, std::weak_ptr<Session>> g_members;
std::unordered_map<std::int64_t, std::int64_t> g_pair_seq;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(beast::ssl_stream<beast::tcp_stream> stream) : ws_(std::move(stream)), wake_(ws_.get_executor()) {
    wake_.expires_at(asio::steady_timer::time_point::max());
  }

  asio::awaitable<void> run() {
    auto self = shared_from_this();
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    auto [hs] = co_await ws_.next_layer().async_handshake(ssl::stream_base::server, use_tuple);
    if (hs) co_return;
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    auto [acc] = co_await ws_.async_accept(use_tuple);
    if (acc) co_return;
    asio::co_spawn(ws_.get_executor(), write_loop(self), asio::detached);
    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      auto [ec, n] = co_await ws_.async_read(buffer, use_tuple);
      if (ec) break;
      handle(beast::buffers_to_string(buffer.data()));
    }
    closed_ = true;
    wake_.cancel();
    if (member_ != 0) g_members.erase(member_);
  }

  void enqueue(std::string frame) {
    if (closed_) return;
    queue_.push_back(std::move(frame));
    wake_.cancel_one();
  }

 private:
  void handle(const std::string& text) {
    boost::system::error_code ec;
    auto parsed = json::parse(text, ec);
    if (ec || !parsed.is_object()) return;
    auto& request = parsed.as_object();
    const auto id = request["id"];
    const auto type = request["type"].as_string();
    auto& body = request["body"].as_object();
    json::object reply{{"id", id}, {"type", "result"}};
    if (type == "login") {
      member_ = body["member"].as_int64();
      g_members[member_] = shared_from_this();
      reply["body"] = json::object{{"member", member_}};
    } else if (type == "message.send") {
      const auto pair = body["pair"].as_int64();
      const auto seq = ++g_pair_seq[pair];
      const auto sent_at = now_ms();
      json::object envelope{{"pair", pair},         {"seq", seq},       {"sender", member_}, {"sender_device", 1},
                            {"client_id", body["client_id"]}, {"body", body["body"]}, {"sent_at", sent_at}};
      if (auto it = g_members.find(member_ ^ 1); it != g_members.end()) {
        if (auto partner = it->second.lock()) {
          json::object event{{"type", "event"}, {"event", "message"}, {"body", json::object{{"envelope", envelope}}}};
          partner->enqueue(json::serialize(event));
        }
      }
      reply["body"] = json::object{{"pair", pair}, {"seq", seq}, {"sent_at", sent_at}, {"duplicate", false}};
    } else {
      reply["body"] = json::object{{"acknowledged", 0}};
    }
    enqueue(json::serialize(reply));
  }

  asio::awaitable<void> write_loop(std::shared_ptr<Session> /*keep_alive*/) {
    while (!closed_) {
      if (queue_.empty()) {
        co_await wake_.async_wait(use_tuple);
        continue;
      }
      auto frame = std::move(queue_.front());
      queue_.pop_front();
      ws_.text(true);
      auto [ec, n] = co_await ws_.async_write(asio::buffer(frame), use_tuple);
      if (ec) co_return;
    }
  }

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  asio::steady_timer wake_;
  std::deque<std::string> queue_;
  std::int64_t member_ = 0;
  bool closed_ = false;
};

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, ssl::context& tls) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
    if (ec) continue;
    socket.set_option(tcp::no_delay(true));
    auto session = std::make_shared<Session>(beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), tls));
    asio::co_spawn(acceptor.get_executor(), session->run(), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: beast-relay PORT CERT KEY\n";
    return 2;
  }
  asio::io_context ioc(1);
  ssl::context tls{ssl::context::tls_server};
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_tlsv1_2);
  SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_3_VERSION);
  tls.use_certificate_chain_file(argv[2]);
  tls.use_private_key_file(argv[3], ssl::context::pem);
  tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(argv[1]))));
  acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(ioc, accept_loop(acceptor, tls), asio::detached);
  std::cout << "beast-relay listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
  ioc.run();
}
