// enroll, whoami
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/account.h"
#include "client-cli/lib/passphrase.h"

namespace mentorlink::client::commands {
namespace json = boost::json;

int enroll(Context& ctx, const EnrollOptions& options) {
  auto cost = device::KdfCost::named(options.kdf_cost);
  if (!cost.is_ok()) return ctx.output.failure(cost.status());
  auto passphrase = read_passphrase(true);
  if (!passphrase.is_ok()) return ctx.output.failure(passphrase.status());

  EnrollRequest request{options.server, options.ca, options.invite, options.name, cost.value(), passphrase.value()};
  auto result = client::enroll(ctx.home, request);
  if (!result.is_ok()) return ctx.output.failure(result.status());
  if (ctx.output.json) return ctx.output.json_result(result.value());

  const auto& member = result.value().at("member").as_object();
  auto& out = ctx.output.out;
  out << "Enrolled as " << member.at("name").as_string().c_str() << " (member " << member.at("id").as_int64()
      << ").\n";
  if (const auto* programme = result.value().if_contains("programme")) {
    out << "You are a " << programme->at("your_role").as_string().c_str() << " in programme "
        << programme->at("id").as_int64() << " \"" << programme->at("name").as_string().c_str() << "\".\n";
  } else if (member.at("may_create_programmes").as_bool()) {
    out << "You are a coordinator who may create programmes: mentorlink programme create --name NAME\n";
  }
  out << "Your identity key was made on this device and stays in " << ctx.home.dir().string() << ".\n";
  return kExitOk;
}

int whoami(Context& ctx) {
  return run_as_member(
      ctx, [](Connection& c) { return c.request("whoami"); },
      [&ctx](const json::object& result) {
        const auto& member = result.at("member").as_object();
        auto& out = ctx.output.out;
        out << member.at("name").as_string().c_str() << " (member " << member.at("id").as_int64() << ")\n";
        out << "identity key " << member.at("identity_key").as_string().c_str() << "\n";
        const auto& programmes = result.at("programmes").as_array();
        if (programmes.empty()) out << "not in any programme yet\n";
        for (const auto& p : programmes) {
          out << p.at("your_role").as_string().c_str() << " in programme " << p.at("id").as_int64() << " \""
              << p.at("name").as_string().c_str() << "\"\n";
        }
      });
}

}  // namespace mentorlink::client::commands
