// template publish, list, show.
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/text_input.h"
#include "protocol/wire/messages/documents.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;

int template_publish(Context& ctx, const TemplatePublishOptions& o) {
  auto text = read_new_text({o.source.text, o.source.file}, "");
  if (!text.is_ok()) return ctx.output.failure(text.status());
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, o.programme);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.call(msg::TemplatePublishRequest{programme.value(), o.name, text.value()});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value().encode());
  const auto& t = r.value().template_;
  ctx.output.out << "Published \"" << o.name << "\" version " << t.version << " (template " << t.id
                 << ") for programme " << programme.value() << ".\n";
  return kExitOk;
}

int template_list(Context& ctx, std::optional<std::int64_t> programme_option) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, programme_option);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.call(msg::TemplateListRequest{programme.value()});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value().encode());
  const auto& list = r.value().templates;
  if (list.empty()) {
    ctx.output.out << "Programme " << programme.value() << " has no contract templates.\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows{{"ID", "NAME", "VERSION", "PUBLISHED"}};
  for (const auto& t : list) {
    rows.push_back({std::to_string(t.id), t.name, std::to_string(t.version), format_time(t.published_at)});
  }
  ctx.output.out << format_table(rows);
  return kExitOk;
}

int template_show(Context& ctx, std::int64_t template_id) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto r = connection.call(msg::TemplateGetRequest{template_id});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value().encode());
  const auto& t = r.value().template_;
  ctx.output.out << "Template " << template_id << ": \"" << t.name << "\" version " << t.version << ", published "
                 << format_time(t.published_at) << "\n\n"
                 << t.text.value_or("");
  return kExitOk;
}

}  // namespace mentorlink::client::commands
