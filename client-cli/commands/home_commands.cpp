// upgrade-home: what a person runs once on a device home written by mentorlink 1.
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/messaging.h"

namespace mentorlink::client::commands {
namespace json = boost::json;

int upgrade_home(Context& ctx) {
  auto keys = unlock_home(ctx);
  if (!keys.is_ok()) return ctx.output.failure(keys.status());
  auto lock = HomeLock::acquire(ctx.home, home_lock_wait());
  if (!lock.is_ok()) return ctx.output.failure(lock.status());
  auto upgraded = upgrade_protocol_1_state(ctx.home, keys.value().storage_key);
  if (!upgraded.is_ok()) return ctx.output.failure(upgraded.status());
  const auto& s = upgraded.value();
  if (ctx.output.json) {
    return ctx.output.json_result(json::object{{"pairs", s.pairs}, {"history", s.history}, {"unsent", s.unsent}});
  }
  auto& out = ctx.output.out;
  out << "Upgraded this device's home: kept " << s.pairs << " pair(s) with " << s.history
      << " message(s) of history and the partner keys you trusted. Your next messages start new sessions.\n";
  if (s.unsent > 0) {
    out << s.unsent << " message(s) you had written but not yet sent could not be kept; send them again.\n";
  }
  out << "The old state stays in " << (ctx.home.dir() / "state.v1.sealed").string() << ".\n";
  return kExitOk;
}

}  // namespace mentorlink::client::commands
