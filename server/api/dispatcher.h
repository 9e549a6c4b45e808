#pragma once
// Turns one request frame into exactly one response frame (PROTOCOL.md, "Frames").

#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "server/api/context.h"
#include "server/api/handler.h"
#include "server/core/session_state.h"

namespace mentorlink::server::api {

struct Reply {
  std::string frame;
  bool close_connection = false;  // the server ends the connection after sending frame
  bool refused = false;           // frame is an error: the request changed nothing it may keep
};

class Dispatcher {
 public:
  explicit Dispatcher(ServerContext& context);

  Reply handle(SessionState& session, std::string_view text);
  // The same for a frame already parsed by wire::parse_request, and for a well-formed request.
  Reply handle(SessionState& session, const std::variant<wire::Request, wire::RequestError>& parsed);
  Reply handle(SessionState& session, const wire::Request& request, const Precheck* precheck = nullptr);
  // The route's store-free checks (Route::precheck), run on the connection's thread before the
  // request joins a batch; nothing when the route has none or the request is malformed.
  std::optional<Precheck> precheck(const SessionState& session, const wire::Request& request) const;
  // Whether requests of this type go through the CommitBatcher (the route's Commit::grouped).
  bool group_committed(std::string_view type) const;
  // The error reply to a request that could not be carried out.
  Reply failure(std::int64_t id, const Status& status) { return error(id, status); }

 private:
  Reply error(std::optional<std::int64_t> id, const Status& status);

  ServerContext& context_;
  std::unordered_map<std::string_view, Route> routes_;
};

}  // namespace mentorlink::server::api
