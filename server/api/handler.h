#pragma once
// The shape of a request handler: it reads the request body, consults policy, calls the store,
// and returns the result body or an error Status. Handlers never touch the network.

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "protocol/wire/frame.h"
#include "server/api/context.h"
#include "server/core/session_state.h"

namespace mentorlink::server::api {

using wire::Result;
using wire::Status;

// What a grouped request's route works out on the connection's own thread before the request
// joins a batch (Route::precheck): checks that need no store, so the batch's transaction stays
// short. The handler applies them in its usual order, so the answers do not change.
struct Precheck {
  wire::Hash body_hash{};        // document.write: the version's hash
  bool signature_valid = false;  // document.write: its signature verifies under the session's identity key
};

struct Call {
  ServerContext& server;
  SessionState& session;
  const wire::Request& request;
  const Precheck* precheck = nullptr;  // set when the route's precheck ran for this request

  MemberId member() const { return *session.member; }  // valid in handlers that need login
};

using HandlerFn = Result<boost::json::object> (*)(Call&);
// Nothing when the request is malformed: the handler finds and answers that itself.
using PrecheckFn = std::optional<Precheck> (*)(const SessionState&, const wire::Request&);

enum class Access { before_hello, anonymous, member };

// How a request is committed: alone, or (for the requests that dominate a busy server) together
// with others in one store transaction by the CommitBatcher (commit_batcher.h). A grouped
// request must not change SessionState and must need a logged-in member.
enum class Commit { alone, grouped };

struct Route {
  constexpr Route(std::string_view t, Access a, HandlerFn f, Commit c = Commit::alone, PrecheckFn p = nullptr)
      : type(t), access(a), fn(f), commit(c), precheck(p) {}
  std::string_view type;
  Access access;
  HandlerFn fn;
  Commit commit;
  PrecheckFn precheck;  // grouped routes only; may be null
};

// A handler written against the typed messages of protocol/wire/messages: it takes the request
// as Request::decode read it and returns Request::Reply, which Reply::encode writes. The client
// decodes the same structs, so one struct per message is the single home of its wire shape.
template <class Request>
using TypedHandler = Result<typename Request::Reply> (*)(Call&, const Request&);

template <class Request, TypedHandler<Request> fn>
Result<boost::json::object> run_typed(Call& call) {
  Request request;
  if constexpr (requires { Request::decode(call.request.body); }) {
    auto decoded = Request::decode(call.request.body);
    if (!decoded.is_ok()) return decoded.status();
    request = std::move(decoded).value();
  }
  auto reply = fn(call, request);
  if (!reply.is_ok()) return reply.status();
  return reply.value().encode();
}

// The route for Request, named by its one type constant.
template <class Request, TypedHandler<Request> fn>
constexpr Route typed_route(Access access, Commit commit = Commit::alone, PrecheckFn precheck = nullptr) {
  return Route{Request::kType, access, &run_typed<Request, fn>, commit, precheck};
}

// An event's frame, written by the same struct the client decodes it with.
template <class Event>
std::shared_ptr<const std::string> event_frame(const Event& event) {
  return std::make_shared<const std::string>(wire::serialize_event(Event::kEvent, event.encode()));
}

// Each handler file contributes its routes.
std::span<const Route> auth_routes();
std::span<const Route> programme_routes();
std::span<const Route> pair_routes();
std::span<const Route> key_routes();
std::span<const Route> message_routes();
std::span<const Route> template_routes();
std::span<const Route> document_routes();
std::span<const Route> meeting_routes();
std::span<const Route> report_routes();
std::span<const Route> call_routes();

}  // namespace mentorlink::server::api
