#pragma once
// The CLI's commands, one function each. client-cli/app/cli_app.cpp parses arguments into these
// option structs; every function returns the process exit code (lib/output.h).

#include <cstdint>
#include <optional>
#include <string>

#include "client-cli/lib/home.h"
#include "client-cli/lib/output.h"

namespace mentorlink::client::commands {

struct Context {
  Home home;
  Output output;
};

struct EnrollOptions {
  std::string server;
  std::string ca;
  std::string invite;
  std::optional<std::string> name;
  std::string kdf_cost = "interactive";
};
int enroll(Context& ctx, const EnrollOptions& options);
int whoami(Context& ctx);

struct ProgrammeCreateOptions {
  std::string name;
  std::string purpose;
};
int programme_create(Context& ctx, const ProgrammeCreateOptions& options);
int programme_list(Context& ctx);

struct InviteOptions {
  std::optional<std::int64_t> programme;
  std::string role = "participant";
  std::string name;
  std::optional<std::int64_t> valid_days;
};
int invite(Context& ctx, const InviteOptions& options);

int members(Context& ctx, std::optional<std::int64_t> programme);

struct PairCreateOptions {
  std::optional<std::int64_t> programme;
  std::string mentor;  // member id or exact display name
  std::string mentee;
};
int pair_create(Context& ctx, const PairCreateOptions& options);
int pairs(Context& ctx, std::optional<std::int64_t> programme);
int pair_end(Context& ctx, std::int64_t pair);

// Messaging (commands/message_commands.cpp). text empty: read the message from stdin.
int send(Context& ctx, std::int64_t pair, std::optional<std::string> text);
int sync(Context& ctx);
int history(Context& ctx, std::int64_t pair);
int safety_number(Context& ctx, std::int64_t pair);
int trust(Context& ctx, std::int64_t pair, bool accept_new_key);
int chat(Context& ctx, std::int64_t pair);

}  // namespace mentorlink::client::commands
