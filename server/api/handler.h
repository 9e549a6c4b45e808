#pragma once
// The shape of a request handler: it reads the request body, consults policy, calls the store,
// and returns the result body or an error Status. Handlers never touch the network.

#include <boost/json/object.hpp>
#include <span>
#include <string_view>

#include "protocol/wire/frame.h"
#include "server/api/context.h"
#include "server/core/session_state.h"

namespace mentorlink::server::api {

using wire::Result;
using wire::Status;

struct Call {
  ServerContext& server;
  SessionState& session;
  const wire::Request& request;

  MemberId member() const { return *session.member; }  // valid in handlers that need login
};

using HandlerFn = Result<boost::json::object> (*)(Call&);

enum class Access { before_hello, anonymous, member };

// How a request is committed: alone, or (for the requests that dominate a busy server) together
// with others in one store transaction by the CommitBatcher (commit_batcher.h). A grouped
// request must not change SessionState and must need a logged-in member.
enum class Commit { alone, grouped };

struct Route {
  constexpr Route(std::string_view t, Access a, HandlerFn f, Commit c = Commit::alone)
      : type(t), access(a), fn(f), commit(c) {}
  std::string_view type;
  Access access;
  HandlerFn fn;
  Commit commit;
};

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

}  // namespace mentorlink::server::api
