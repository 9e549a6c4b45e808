#pragma once
// Shared steps of commands that act as the enrolled member.

#include <memory>
#include <optional>

#include "client-cli/commands/commands.h"
#include "client-cli/lib/account.h"
#include "client-cli/lib/connection.h"

namespace mentorlink::client::commands {

// Asks for the passphrase, opens the key store and logs in.
Result<MemberSession> open_member_session(Context& ctx,
                                          std::chrono::milliseconds timeout = Connection::kDefaultTimeout);

// The programme to act on: the one given, or the member's only programme.
Result<std::int64_t> resolve_programme(Connection& connection, std::optional<std::int64_t> given);

// A member of programme named by id ("7") or by display name (case-insensitive, must be unique).
Result<std::int64_t> resolve_member(Connection& connection, std::int64_t programme, const std::string& reference,
                                    std::string_view field);

// The shape of most commands: log in, do work on the connection (a typed result), then print the
// result as JSON (its encode()) or through print (for people). Returns the exit code.
template <class Work, class Print>
int run_as_member(Context& ctx, Work&& work, Print&& print) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto result = work(*session.value().connection);
  session.value().connection->close();
  if (!result.is_ok()) return ctx.output.failure(result.status());
  if (ctx.output.json) return ctx.output.json_result(result.value().encode());
  print(result.value());
  return kExitOk;
}

}  // namespace mentorlink::client::commands
