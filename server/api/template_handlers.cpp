// template.publish, template.list, template.get (PROTOCOL.md, "Contract templates"). Templates are
// programme documents in plain text, written by coordinators and readable by members: not secret.
#include <array>

#include "protocol/wire/messages/documents.h"
#include "server/api/content_views.h"
#include "server/api/handler.h"
#include "server/api/lookups.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;

namespace {

Result<msg::TemplateResult> publish(Call& call, const msg::TemplatePublishRequest& request) {
  const ProgrammeId programme = request.programme;
  const TemplateDraft draft{request.name, request.text};
  auto actor = caller_enrolment(call, programme);
  if (!actor.is_ok()) return actor.status();
  if (auto s = policy::may_publish_template(actor.value()); !s.is_ok()) return s;
  auto t = call.server.store.publish_template(programme, draft, call.member(), call.server.clock.now_ms());
  if (!t.is_ok()) return t.status();
  return msg::TemplateResult{template_view(t.value(), false)};
}

Result<msg::TemplateListResult> list(Call& call, const msg::TemplateListRequest& request) {
  const ProgrammeId programme = request.programme;
  if (auto s = caller_may_view(call, programme); !s.is_ok()) return s;
  auto templates = call.server.store.latest_templates(programme);
  if (!templates.is_ok()) return templates.status();
  msg::TemplateListResult out;
  for (const auto& t : templates.value()) out.templates.push_back(template_view(t, false));
  return out;
}

Result<msg::TemplateResult> get(Call& call, const msg::TemplateGetRequest& request) {
  const TemplateId id = request.template_id;
  auto t = call.server.store.template_by_id(id);
  if (!t.is_ok()) return t.status();
  auto actor = call.server.store.enrolment(t.value().programme, call.member());
  if (!actor.is_ok() && actor.status().code() != wire::ErrorCode::not_found) return actor.status();
  if (!actor.is_ok()) return wire::Status::error(wire::ErrorCode::not_found, "no such template", "template");
  return msg::TemplateResult{template_view(t.value(), true)};
}

constexpr std::array kRoutes{
    typed_route<msg::TemplatePublishRequest, &publish>(Access::member),
    typed_route<msg::TemplateListRequest, &list>(Access::member),
    typed_route<msg::TemplateGetRequest, &get>(Access::member),
};

}  // namespace

std::span<const Route> template_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
