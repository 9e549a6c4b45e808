// template publish, list, show.
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/text_input.h"

namespace mentorlink::client::commands {
namespace json = boost::json;

int template_publish(Context& ctx, const TemplatePublishOptions& o) {
  auto text = read_new_text({o.source.text, o.source.file, ctx.home.dir()}, "");
  if (!text.is_ok()) return ctx.output.failure(text.status());
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, o.programme);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.request("template.publish",
                              json::object{{"programme", programme.value()}, {"name", o.name}, {"text", text.value()}});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value());
  const auto& t = r.value().at("template");
  ctx.output.out << "Published \"" << o.name << "\" version " << t.at("version").as_int64() << " (template "
                 << t.at("id").as_int64() << ") for programme " << programme.value() << ".\n";
  return kExitOk;
}

int template_list(Context& ctx, std::optional<std::int64_t> programme_option) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, programme_option);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.request("template.list", json::object{{"programme", programme.value()}});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value());
  const auto& list = r.value().at("templates").as_array();
  if (list.empty()) {
    ctx.output.out << "Programme " << programme.value() << " has no contract templates.\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows{{"ID", "NAME", "VERSION", "PUBLISHED"}};
  for (const auto& t : list) {
    rows.push_back({std::to_string(t.at("id").as_int64()), std::string(t.at("name").as_string()),
                    std::to_string(t.at("version").as_int64()), format_time(t.at("published_at").as_int64())});
  }
  ctx.output.out << format_table(rows);
  return kExitOk;
}

int template_show(Context& ctx, std::int64_t template_id) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto r = connection.request("template.get", json::object{{"template", template_id}});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  if (ctx.output.json) return ctx.output.json_result(r.value());
  const auto& t = r.value().at("template");
  ctx.output.out << "Template " << template_id << ": \"" << t.at("name").as_string() << "\" version "
                 << t.at("version").as_int64() << ", published " << format_time(t.at("published_at").as_int64())
                 << "\n\n"
                 << t.at("text").as_string();
  return kExitOk;
}

}  // namespace mentorlink::client::commands
