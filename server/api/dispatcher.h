#pragma once
// Turns one request frame into exactly one response frame (PROTOCOL.md, "Frames").

#include <string>
#include <string_view>
#include <unordered_map>

#include "server/api/context.h"
#include "server/api/handler.h"
#include "server/core/session_state.h"

namespace mentorlink::server::api {

struct Reply {
  std::string frame;
  bool close_connection = false;  // the server ends the connection after sending frame
};

class Dispatcher {
 public:
  explicit Dispatcher(ServerContext& context);

  Reply handle(SessionState& session, std::string_view text);
  // The error reply to text's request (its id, if readable) when it could not be carried out.
  Reply failure(std::string_view text, const Status& status);

 private:
  Reply error(std::optional<std::int64_t> id, const Status& status);

  ServerContext& context_;
  std::unordered_map<std::string_view, Route> routes_;
};

}  // namespace mentorlink::server::api
