#pragma once
// A client's TLS 1.3 WebSocket connection to mentorlink-server, with blocking calls and a
// deadline on each. The server certificate is verified against the given CA file and host name.
// No Boost.Beast here: the implementation is the client's only Beast translation unit.

#include <boost/json/object.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "protocol/wire/bytes.h"
#include "protocol/wire/frame.h"
#include "protocol/wire/status.h"

namespace mentorlink::client {

using wire::Result;
using wire::Status;

struct ServerAddress {
  std::string host;
  std::string port;
  std::string path;

  std::string url() const { return "wss://" + host + ":" + port + path; }
};

// Accepts wss://host[:port][/path]; the port defaults to 8443 and the path to /v1.
// ws:// and other schemes are refused with a sentence saying why.
Result<ServerAddress> parse_server_url(std::string_view url);

// "the server sent a reply this client cannot read: <problem> (answering <type>)", as
// ErrorCode::malformed naming the field. What reached the device from such a reply is not used.
Status unreadable_reply(std::string_view type, const Status& problem);

// The body of a pushed event as Event (protocol/wire/messages/events.h), or the sentence
// "the server sent an event this client cannot read: ...".
template <class Event>
Result<Event> decode_event(const wire::Incoming& incoming) {
  auto decoded = Event::decode(incoming.body);
  if (!decoded.is_ok()) {
    return Status::error(wire::ErrorCode::malformed,
                         "the server sent an event this client cannot read: " + decoded.status().message() + " (in " +
                             std::string(Event::kEvent) + ")",
                         decoded.status().field());
  }
  return decoded;
}

// Errors from connecting are ErrorCode::internal with a sentence meant for a person.
class Connection {
 public:
  static constexpr std::chrono::milliseconds kDefaultTimeout{15'000};
  // For a connection that mostly waits for pushed events (chat): the server's pings keep it alive.
  static constexpr std::chrono::milliseconds kListenTimeout{24LL * 60 * 60 * 1000};

  static Result<std::unique_ptr<Connection>> open(const ServerAddress& server, const std::string& ca_file,
                                                  std::chrono::milliseconds timeout = kDefaultTimeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The TLS exporter of this connection (RFC 9266), which login signatures cover.
  const wire::ExporterValue& exporter() const;

  // Sends a request and waits for its result; events that arrive meanwhile are kept for
  // take_events(). An error response is returned as its Status.
  Result<boost::json::object> request(std::string_view type, boost::json::object body = {});

  // Sends a typed request (protocol/wire/messages) and decodes its result. A result that does not
  // decode is ErrorCode::malformed, said as unreadable_reply() says it; nothing is thrown.
  template <class Request>
  Result<typename Request::Reply> call(const Request& request) {
    auto body = this->request(Request::kType, request.encode());
    if (!body.is_ok()) return body.status();
    auto decoded = Request::Reply::decode(body.value());
    if (!decoded.is_ok()) return unreadable_reply(Request::kType, decoded.status());
    return decoded;
  }

  // Raw frames, for tests and tools that speak the protocol directly.
  Status send_text(std::string_view frame);
  Result<std::string> receive_text();

  std::deque<wire::Incoming> take_events();

  // The close code the server sent, if it closed the connection (e.g. 1009 for an oversized message).
  std::optional<int> close_code() const;

  void close();

  // Unblocks a receive_text() running on another thread (it fails) by shutting the socket down.
  // The only member that may be called concurrently with another.
  void interrupt();

 private:
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mentorlink::client
