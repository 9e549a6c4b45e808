// enroll, whoami
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/account.h"
#include "client-cli/lib/passphrase.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/messages/session.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;

int enroll(Context& ctx, const EnrollOptions& options) {
  auto cost = device::KdfCost::named(options.kdf_cost);
  if (!cost.is_ok()) return ctx.output.failure(cost.status());
  auto passphrase = read_passphrase(true);
  if (!passphrase.is_ok()) return ctx.output.failure(passphrase.status());

  EnrollRequest request{options.server, options.ca, options.invite, options.name, cost.value(), passphrase.value()};
  auto result = client::enroll(ctx.home, request);
  if (!result.is_ok()) return ctx.output.failure(result.status());
  if (ctx.output.json) return ctx.output.json_result(result.value().encode());

  const auto& member = result.value().member;
  auto& out = ctx.output.out;
  out << "Enrolled as " << member.name << " (member " << member.id << ").\n";
  if (const auto& programme = result.value().programme) {
    out << "You are a " << programme->your_role.value_or("member") << " in programme " << programme->id << " \""
        << programme->name << "\".\n";
  } else if (member.may_create_programmes) {
    out << "You are a coordinator who may create programmes: mentorlink programme create --name NAME\n";
  }
  out << "Your identity key was made on this device and stays in " << ctx.home.dir().string() << ".\n";
  return kExitOk;
}

int whoami(Context& ctx) {
  return run_as_member(
      ctx, [](Connection& c) { return c.call(msg::WhoamiRequest{}); },
      [&ctx](const msg::WhoamiResult& result) {
        const auto& member = result.member;
        auto& out = ctx.output.out;
        out << member.name << " (member " << member.id << ")\n";
        out << "identity key " << wire::base64url_encode(member.identity_key) << "\n";
        if (result.programmes.empty()) out << "not in any programme yet\n";
        for (const auto& p : result.programmes) {
          out << p.your_role.value_or("member") << " in programme " << p.id << " \"" << p.name << "\"\n";
        }
      });
}

}  // namespace mentorlink::client::commands
