// template.publish, template.list, template.get (PROTOCOL.md, "Contract templates"). Templates are
// programme documents in plain text, written by coordinators and readable by members: not secret.
#include <array>

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "server/api/content_views.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
namespace json = boost::json;

namespace {

Result<json::object> publish(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  TemplateDraft draft;
  draft.name = in.text("name", wire::kMaxTemplateNameBytes);
  draft.text = in.text("text", wire::kMaxTemplateTextBytes);
  if (!in.ok()) return in.status();
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_publish_template(actor.value()); !s.is_ok()) return s;
  auto t = call.server.store.publish_template(programme, draft, call.member(), call.server.clock.now_ms());
  if (!t.is_ok()) return t.status();
  return json::object{{"template", template_view(t.value(), false)}};
}

Result<json::object> list(Call& call) {
  wire::FieldReader in(call.request.body);
  const ProgrammeId programme = in.integer("programme", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  if (auto s = caller_may_view(call, programme); !s.is_ok()) return s;
  auto templates = call.server.store.latest_templates(programme);
  if (!templates.is_ok()) return templates.status();
  json::array out;
  for (const auto& t : templates.value()) out.push_back(template_view(t, false));
  return json::object{{"templates", std::move(out)}};
}

Result<json::object> get(Call& call) {
  wire::FieldReader in(call.request.body);
  const TemplateId id = in.integer("template", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  auto t = call.server.store.template_by_id(id);
  if (!t.is_ok()) return t.status();
  auto actor = call.server.store.enrolment(t.value().programme, call.member());
  if (!actor.is_ok() && actor.status().code() != wire::ErrorCode::not_found) return actor.status();
  if (!actor.is_ok()) return wire::Status::error(wire::ErrorCode::not_found, "no such template", "template");
  return json::object{{"template", template_view(t.value(), true)}};
}

constexpr std::array kRoutes{
    Route{"template.publish", Access::member, &publish},
    Route{"template.list", Access::member, &list},
    Route{"template.get", Access::member, &get},
};

}  // namespace

std::span<const Route> template_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
