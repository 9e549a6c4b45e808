#include "client-cli/app/cli_app.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "client-cli/commands/commands.h"
#include "protocol/wire/limits.h"

namespace mentorlink::client {

int run_cli_app(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"mentorlink: end-to-end encrypted mentoring, from the command line"};
  app.set_version_flag("--version", std::string("mentorlink ") + MENTORLINK_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  std::string home_dir = Home::default_dir().string();
  bool json = false;
  app.add_option("--home", home_dir, "this device's mentorlink folder (or $MENTORLINK_HOME)")->capture_default_str();
  app.add_flag("--json", json, "print one JSON document instead of text");

  commands::EnrollOptions enroll;
  auto* enroll_cmd = app.add_subcommand("enroll", "make this device's identity key and redeem an invite");
  enroll_cmd->add_option("--server", enroll.server, "server address, wss://host:port")->required();
  enroll_cmd->add_option("--ca", enroll.ca, "CA certificate that signed the server's certificate")->required();
  enroll_cmd->add_option("--invite", enroll.invite, "the one-time invite code")->required();
  enroll_cmd->add_option("--name", enroll.name, "your name as the invite gives it (checked by the server)");
  enroll_cmd->add_option("--kdf-cost", enroll.kdf_cost, "key store Argon2id cost")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive", "minimum"}))
      ->envname("MENTORLINK_KDF_COST")
      ->capture_default_str();

  auto* whoami_cmd = app.add_subcommand("whoami", "show who this device is enrolled as, and your programmes");

  auto* programme_cmd = app.add_subcommand("programme", "create or list programmes");
  programme_cmd->require_subcommand(1);
  commands::ProgrammeCreateOptions programme_create;
  auto* programme_create_cmd = programme_cmd->add_subcommand("create", "create a programme (bootstrap coordinators)");
  programme_create_cmd->add_option("--name", programme_create.name, "programme name")->required();
  programme_create_cmd->add_option("--purpose", programme_create.purpose, "what the programme is for");
  auto* programme_list_cmd = programme_cmd->add_subcommand("list", "programmes you are in");

  commands::InviteOptions invite;
  auto* invite_cmd = app.add_subcommand("invite", "invite a participant or coordinator into a programme");
  invite_cmd->add_option("--programme", invite.programme, "programme id (default: your only programme)");
  invite_cmd->add_option("--role", invite.role, "participant or coordinator")
      ->check(CLI::IsMember({"participant", "coordinator"}))
      ->capture_default_str();
  invite_cmd->add_option("--name", invite.name, "the invitee's display name")->required();
  invite_cmd->add_option("--valid-days", invite.valid_days, "days until the invite expires (default 7)")
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxInviteDays));

  std::optional<std::int64_t> members_programme;
  auto* members_cmd = app.add_subcommand("members", "list a programme's members");
  members_cmd->add_option("--programme", members_programme, "programme id (default: your only programme)");

  auto* pair_cmd = app.add_subcommand("pair", "form or end a pair");
  pair_cmd->require_subcommand(1);
  commands::PairCreateOptions pair_create;
  auto* pair_create_cmd = pair_cmd->add_subcommand("create", "form a pair (coordinators)");
  pair_create_cmd->add_option("--programme", pair_create.programme, "programme id (default: your only programme)");
  pair_create_cmd->add_option("--mentor", pair_create.mentor, "mentor: member id or name")->required();
  pair_create_cmd->add_option("--mentee", pair_create.mentee, "mentee: member id or name")->required();
  std::int64_t pair_end_id = 0;
  auto* pair_end_cmd = pair_cmd->add_subcommand("end", "end a pair (either member, or a coordinator)");
  pair_end_cmd->add_option("PAIR", pair_end_id, "pair id")->required()->check(CLI::PositiveNumber);

  std::optional<std::int64_t> pairs_programme;
  auto* pairs_cmd = app.add_subcommand("pairs", "list pairs in your programmes");
  pairs_cmd->add_option("--programme", pairs_programme, "only this programme");

  std::int64_t message_pair = 0;
  std::optional<std::string> send_text;
  auto* send_cmd = app.add_subcommand("send", "send an end-to-end encrypted message (text, or stdin)");
  send_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  send_cmd->add_option("TEXT", send_text, "the message; read from stdin when left out");
  auto* sync_cmd = app.add_subcommand("sync", "send saved messages and receive new ones");
  auto* history_cmd = app.add_subcommand("history", "show a pair's messages kept on this device");
  history_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  auto* safety_cmd = app.add_subcommand("safety-number", "show the number to compare with your partner");
  safety_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  bool accept_new_key = false;
  auto* trust_cmd = app.add_subcommand("trust", "mark your partner's key verified, or accept a changed key");
  trust_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  trust_cmd->add_flag("--accept-new-key", accept_new_key, "accept the partner's changed identity key");
  auto* chat_cmd = app.add_subcommand("chat", "chat live with your partner (Ctrl-D or /quit to leave)");
  chat_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  commands::Context ctx{Home(home_dir), Output{out, err, json}};
  if (*enroll_cmd) return commands::enroll(ctx, enroll);
  if (*whoami_cmd) return commands::whoami(ctx);
  if (*programme_create_cmd) return commands::programme_create(ctx, programme_create);
  if (*programme_list_cmd) return commands::programme_list(ctx);
  if (*invite_cmd) return commands::invite(ctx, invite);
  if (*members_cmd) return commands::members(ctx, members_programme);
  if (*pair_create_cmd) return commands::pair_create(ctx, pair_create);
  if (*pair_end_cmd) return commands::pair_end(ctx, pair_end_id);
  if (*pairs_cmd) return commands::pairs(ctx, pairs_programme);
  if (*send_cmd) return commands::send(ctx, message_pair, send_text);
  if (*sync_cmd) return commands::sync(ctx);
  if (*history_cmd) return commands::history(ctx, message_pair);
  if (*safety_cmd) return commands::safety_number(ctx, message_pair);
  if (*trust_cmd) return commands::trust(ctx, message_pair, accept_new_key);
  if (*chat_cmd) return commands::chat(ctx, message_pair);
  err << app.help();
  return kExitUsage;
}

}  // namespace mentorlink::client
