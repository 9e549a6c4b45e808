#include "server/api/dispatcher.h"

#include <spdlog/spdlog.h>

namespace mentorlink::server::api {
using wire::ErrorCode;

Dispatcher::Dispatcher(ServerContext& context) : context_(context) {
  for (auto routes : {auth_routes(), programme_routes(), pair_routes(), key_routes(), message_routes(), template_routes(),
                       document_routes(), meeting_routes(), report_routes(), call_routes()}) {
    for (const auto& r : routes) routes_.emplace(r.type, r);
  }
}

bool Dispatcher::group_committed(std::string_view type) const {
  const auto route = routes_.find(type);
  return route != routes_.end() && route->second.commit == Commit::grouped;
}

Reply Dispatcher::error(std::optional<std::int64_t> id, const Status& status) {
  context_.metrics.error(wire::to_string(status.code()));
  return Reply{wire::serialize_error(id, status), false, true};
}

Reply Dispatcher::handle(SessionState& session, std::string_view text) {
  return handle(session, wire::parse_request(text));
}

Reply Dispatcher::handle(SessionState& session, const std::variant<wire::Request, wire::RequestError>& parsed) {
  if (const auto* bad = std::get_if<wire::RequestError>(&parsed)) {
    context_.metrics.request("(malformed)");
    return error(bad->id, bad->status);
  }
  return handle(session, std::get<wire::Request>(parsed));
}

std::optional<Precheck> Dispatcher::precheck(const SessionState& session, const wire::Request& request) const {
  const auto route = routes_.find(request.type);
  if (route == routes_.end() || route->second.precheck == nullptr || !session.member) return std::nullopt;
  return route->second.precheck(session, request);
}

Reply Dispatcher::handle(SessionState& session, const wire::Request& request, const Precheck* precheck) {
  auto route = routes_.find(request.type);
  if (route == routes_.end()) {
    context_.metrics.request("(unknown)");
    return error(request.id, Status::error(ErrorCode::unknown_type,
                                           "unknown request type \"" + request.type + "\"", "type"));
  }
  context_.metrics.request(route->second.type);

  const Access access = route->second.access;
  if (access != Access::before_hello && !session.hello_done) {
    return error(request.id, Status::error(ErrorCode::hello_required, "send hello first"));
  }
  if (access == Access::member && !session.member) {
    return error(request.id, Status::error(ErrorCode::not_authenticated, "log in or enroll first"));
  }

  Call call{context_, session, request, precheck};
  auto result = route->second.fn(call);
  if (!result.is_ok()) {
    if (result.status().code() == ErrorCode::internal) {
      spdlog::error("event=request_failed type={} reason=\"{}\"", request.type, result.status().message());
    }
    Reply reply = error(request.id, result.status());
    // Too many failed attempts at logging in on one connection: answer, then hang up.
    reply.close_connection = session.failed_auth_attempts >= context_.limits.max_auth_failures_per_connection;
    return reply;
  }
  return Reply{wire::serialize_result(request.id, result.value()), false};
}

}  // namespace mentorlink::server::api
