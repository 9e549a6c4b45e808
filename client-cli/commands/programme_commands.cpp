// programme create, programme list, invite, members
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/connection.h"
#include "protocol/wire/messages/programmes.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;

int programme_create(Context& ctx, const ProgrammeCreateOptions& options) {
  return run_as_member(
      ctx,
      [&](Connection& c) {
        return c.call(msg::ProgrammeCreateRequest{
            options.name, options.purpose.empty() ? std::nullopt : std::optional<std::string>(options.purpose),
            options.cadence_days, options.min_held_minutes});
      },
      [&ctx](const msg::ProgrammeResult& result) {
        const auto& p = result.programme;
        ctx.output.out << "Created programme " << p.id << " \"" << p.name << "\"; you are its coordinator.\n"
                       << "Invite people with: mentorlink invite --programme " << p.id
                       << " --role participant --name NAME\n";
      });
}

int programme_list(Context& ctx) {
  return run_as_member(
      ctx, [](Connection& c) { return c.call(msg::ProgrammeListRequest{}); },
      [&ctx](const msg::ProgrammeListResult& result) {
        std::vector<std::vector<std::string>> rows{{"ID", "NAME", "YOUR ROLE", "CREATED"}};
        for (const auto& p : result.programmes) {
          rows.push_back({std::to_string(p.id), p.name, p.your_role.value_or("-"), format_time(p.created_at)});
        }
        if (rows.size() == 1) {
          ctx.output.out << "You are not in any programme yet.\n";
        } else {
          ctx.output.out << format_table(rows);
        }
      });
}

namespace {

// The web app's enrolment link on the server this home uses: https://HOST[:PORT]/app/#invite=CODE.
// The code is in the fragment, which browsers never send to the server. Empty if the home has no
// readable server address.
std::string web_invite_link(const Context& ctx, const std::string& code) {
  auto config = ctx.home.load_config();
  if (!config.is_ok()) return {};
  auto address = parse_server_url(config.value().server_url);
  if (!address.is_ok()) return {};
  const auto& a = address.value();
  return "https://" + a.host + (a.port == "443" ? "" : ":" + a.port) + "/app/#invite=" + code;
}

}  // namespace

int invite(Context& ctx, const InviteOptions& options) {
  return run_as_member(
      ctx,
      [&](Connection& c) -> Result<msg::InviteCreateResult> {
        auto programme = resolve_programme(c, options.programme);
        if (!programme.is_ok()) return programme.status();
        return c.call(msg::InviteCreateRequest{programme.value(), options.role, options.name, options.valid_days});
      },
      [&ctx](const msg::InviteCreateResult& result) {
        auto& out = ctx.output.out;
        out << "Invite for " << result.name << " as " << result.role << " in programme " << result.programme
            << ", usable once until " << format_time(result.expires_at) << ":\n\n"
            << "  " << result.code << "\n\n";
        if (const auto link = web_invite_link(ctx, result.code); !link.empty()) {
          out << "They enrol in the web app by opening this link (the code never reaches the server's logs):\n"
              << "  " << link << "\n"
              << "or on their own device with the mentorlink program:\n";
        } else {
          out << "They enrol on their own device with:\n";
        }
        out << "  mentorlink enroll --server URL --ca CA_FILE --invite " << result.code << "\n";
      });
}

int members(Context& ctx, std::optional<std::int64_t> programme) {
  return run_as_member(
      ctx,
      [&](Connection& c) -> Result<msg::MemberListResult> {
        auto id = resolve_programme(c, programme);
        if (!id.is_ok()) return id.status();
        return c.call(msg::MemberListRequest{id.value()});
      },
      [&ctx](const msg::MemberListResult& result) {
        std::vector<std::vector<std::string>> rows{{"ID", "NAME", "ROLE", "JOINED"}};
        for (const auto& m : result.members) {
          rows.push_back({std::to_string(m.id), m.name, m.role, format_time(m.joined_at)});
        }
        ctx.output.out << format_table(rows);
      });
}

}  // namespace mentorlink::client::commands
