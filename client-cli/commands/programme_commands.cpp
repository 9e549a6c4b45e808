// programme create, programme list, invite, members
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"

namespace mentorlink::client::commands {
namespace json = boost::json;

int programme_create(Context& ctx, const ProgrammeCreateOptions& options) {
  return run_as_member(
      ctx,
      [&](Connection& c) {
        json::object body;
        body["name"] = options.name;
        if (!options.purpose.empty()) body["purpose"] = options.purpose;
        if (options.cadence_days) body["cadence_days"] = *options.cadence_days;
        if (options.min_held_minutes) body["min_held_minutes"] = *options.min_held_minutes;
        return c.request("programme.create", std::move(body));
      },
      [&ctx](const json::object& result) {
        const auto& p = result.at("programme").as_object();
        ctx.output.out << "Created programme " << p.at("id").as_int64() << " \"" << p.at("name").as_string().c_str()
                       << "\"; you are its coordinator.\n"
                       << "Invite people with: mentorlink invite --programme " << p.at("id").as_int64()
                       << " --role participant --name NAME\n";
      });
}

int programme_list(Context& ctx) {
  return run_as_member(
      ctx, [](Connection& c) { return c.request("programme.list"); },
      [&ctx](const json::object& result) {
        std::vector<std::vector<std::string>> rows{{"ID", "NAME", "YOUR ROLE", "CREATED"}};
        for (const auto& p : result.at("programmes").as_array()) {
          rows.push_back({std::to_string(p.at("id").as_int64()), std::string(p.at("name").as_string()),
                          std::string(p.at("your_role").as_string()), format_time(p.at("created_at").as_int64())});
        }
        if (rows.size() == 1) {
          ctx.output.out << "You are not in any programme yet.\n";
        } else {
          ctx.output.out << format_table(rows);
        }
      });
}

int invite(Context& ctx, const InviteOptions& options) {
  return run_as_member(
      ctx,
      [&](Connection& c) -> Result<json::object> {
        auto programme = resolve_programme(c, options.programme);
        if (!programme.is_ok()) return programme.status();
        json::object body;
        body["programme"] = programme.value();
        body["role"] = options.role;
        body["name"] = options.name;
        if (options.valid_days) body["valid_days"] = *options.valid_days;
        return c.request("invite.create", std::move(body));
      },
      [&ctx](const json::object& result) {
        auto& out = ctx.output.out;
        out << "Invite for " << result.at("name").as_string().c_str() << " as "
            << result.at("role").as_string().c_str() << " in programme " << result.at("programme").as_int64()
            << ", usable once until " << format_time(result.at("expires_at").as_int64()) << ":\n\n"
            << "  " << result.at("code").as_string().c_str() << "\n\n"
            << "They enrol on their own device with:\n"
            << "  mentorlink enroll --server URL --ca CA_FILE --invite " << result.at("code").as_string().c_str()
            << "\n";
      });
}

int members(Context& ctx, std::optional<std::int64_t> programme) {
  return run_as_member(
      ctx,
      [&](Connection& c) -> Result<json::object> {
        auto id = resolve_programme(c, programme);
        if (!id.is_ok()) return id.status();
        json::object body;
        body["programme"] = id.value();
        return c.request("member.list", std::move(body));
      },
      [&ctx](const json::object& result) {
        std::vector<std::vector<std::string>> rows{{"ID", "NAME", "ROLE", "JOINED"}};
        for (const auto& m : result.at("members").as_array()) {
          rows.push_back({std::to_string(m.at("id").as_int64()), std::string(m.at("name").as_string()),
                          std::string(m.at("role").as_string()), format_time(m.at("joined_at").as_int64())});
        }
        ctx.output.out << format_table(rows);
      });
}

}  // namespace mentorlink::client::commands
