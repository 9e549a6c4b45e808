#include "client-cli/app/cli_app.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <tuple>
#include <vector>

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
  enroll_cmd->add_option("--invite-file", enroll.invite_file,
                         "read the one-time invite code from this file (- for stdin); or set $MENTORLINK_INVITE, "
                         "or type it at the prompt");
  enroll_cmd->add_option("--invite", enroll.invite,
                         "the one-time invite code on the command line (visible to other users: prefer the above)");
  enroll_cmd->add_option("--name", enroll.name, "your name as the invite gives it (checked by the server)");
  enroll_cmd->add_option("--kdf-cost", enroll.kdf_cost, "key store Argon2id cost")
      ->check(CLI::IsMember({"interactive", "moderate", "sensitive", "minimum"}))
      ->envname("MENTORLINK_KDF_COST")
      ->capture_default_str();

  auto* whoami_cmd = app.add_subcommand("whoami", "show who this device is enrolled as, your key fingerprint, and your programmes");

  auto* programme_cmd = app.add_subcommand("programme", "create or list programmes");
  programme_cmd->require_subcommand(1);
  commands::ProgrammeCreateOptions programme_create;
  auto* programme_create_cmd = programme_cmd->add_subcommand("create", "create a programme (bootstrap coordinators)");
  programme_create_cmd->add_option("--name", programme_create.name, "programme name")->required();
  programme_create_cmd->add_option("--purpose", programme_create.purpose, "what the programme is for");
  programme_create_cmd->add_option("--cadence-days", programme_create.cadence_days, "target days between meetings (21)")
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxCadenceDays));
  programme_create_cmd->add_option("--min-held-minutes", programme_create.min_held_minutes,
                                   "minutes both must be present for a meeting to count as held (10)")
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxMinHeldMinutes));
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
  std::optional<std::int64_t> history_meeting;
  history_cmd->add_option("--meeting", history_meeting, "only the chat during this meeting")->check(CLI::PositiveNumber);
  auto* safety_cmd = app.add_subcommand("safety-number", "show the number to compare with your partner");
  safety_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  std::vector<std::string> accepted_number;
  auto* trust_cmd = app.add_subcommand("trust", "mark your partner's key verified, or accept a changed key");
  trust_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  auto* accept_new_key = trust_cmd
                             ->add_option("--accept-new-key", accepted_number,
                                          "accept the partner's changed identity key whose safety number you compared "
                                          "(the 60 digits as mentorlink safety-number shows them; spaces are ignored)")
                             ->expected(0, 12)
                             ->type_name("NUMBER");
  auto* chat_cmd = app.add_subcommand("chat", "chat live with your partner (Ctrl-D or /quit to leave)");
  chat_cmd->add_option("PAIR", message_pair, "pair id")->required()->check(CLI::PositiveNumber);
  auto* upgrade_cmd = app.add_subcommand("upgrade-home", "make a device home of mentorlink 1 usable by this version");

  // Contract templates
  auto* template_cmd = app.add_subcommand("template", "contract templates of a programme");
  template_cmd->require_subcommand(1);
  commands::TemplatePublishOptions template_publish;
  auto* template_publish_cmd = template_cmd->add_subcommand("publish", "publish a template, or its next version (coordinators)");
  template_publish_cmd->add_option("--programme", template_publish.programme, "programme id (default: your only programme)");
  template_publish_cmd->add_option("--name", template_publish.name, "template name; the same name makes a new version")->required();
  template_publish_cmd->add_option("--file", template_publish.source.file, "read the text from this file");
  template_publish_cmd->add_option("--text", template_publish.source.text, "the text itself");
  std::optional<std::int64_t> template_programme;
  auto* template_list_cmd = template_cmd->add_subcommand("list", "templates of a programme (newest versions)");
  template_list_cmd->add_option("--programme", template_programme, "programme id (default: your only programme)");
  std::int64_t template_id = 0;
  auto* template_show_cmd = template_cmd->add_subcommand("show", "print a template");
  template_show_cmd->add_option("TEMPLATE", template_id, "template id")->required()->check(CLI::PositiveNumber);

  // Documents: each kind has set and show; agenda and feedback belong to a meeting.
  commands::DocumentOptions doc;
  struct DocumentCommand {
    std::string kind;
    CLI::App* set;
    CLI::App* show;
  };
  std::vector<DocumentCommand> document_cmds;
  for (const auto& [kind, about, per_meeting] :
       {std::tuple{"agenda", "the mentee's agenda for a meeting", true},
        std::tuple{"goals", "learning goals and action items", false},
        std::tuple{"feedback", "feedback for your partner after a meeting", true},
        std::tuple{"reflection", "your private reflection (only your devices can read it)", false}}) {
    auto* cmd = app.add_subcommand(kind, about);
    cmd->require_subcommand(1);
    auto* set = cmd->add_subcommand("set", "write a new version (--text, --file, $EDITOR, or stdin)");
    auto* show = cmd->add_subcommand("show", "print the newest version, verified");
    for (auto* sub : {set, show}) {
      sub->add_option("PAIR", doc.pair, "pair id")->required()->check(CLI::PositiveNumber);
      if (per_meeting) sub->add_option("--meeting", doc.meeting, "meeting id")->required()->check(CLI::PositiveNumber);
    }
    set->add_option("--file", doc.source.file, "read the text from this file");
    set->add_option("--text", doc.source.text, "the text itself");
    document_cmds.push_back({kind, set, show});
  }

  // Contracts
  auto* contract_cmd = app.add_subcommand("contract", "the pair's contract: draft, edit, show, sign, status");
  contract_cmd->require_subcommand(1);
  commands::ContractDraftOptions contract_draft;
  auto* contract_draft_cmd = contract_cmd->add_subcommand("draft", "start the contract from the programme's template");
  contract_draft_cmd->add_option("PAIR", contract_draft.pair, "pair id")->required()->check(CLI::PositiveNumber);
  contract_draft_cmd->add_option("--template", contract_draft.template_id, "template id (default: the programme's)");
  contract_draft_cmd->add_option("--file", contract_draft.source.file, "draft from this file instead of a template");
  auto* contract_edit_cmd = contract_cmd->add_subcommand("edit", "write a new version (a new draft to sign again)");
  contract_edit_cmd->add_option("PAIR", doc.pair, "pair id")->required()->check(CLI::PositiveNumber);
  contract_edit_cmd->add_option("--file", doc.source.file, "read the text from this file");
  contract_edit_cmd->add_option("--text", doc.source.text, "the text itself");
  std::int64_t contract_pair = 0;
  std::optional<std::int64_t> contract_version;
  auto* contract_show_cmd = contract_cmd->add_subcommand("show", "print the contract and who signed it");
  auto* contract_sign_cmd = contract_cmd->add_subcommand("sign", "sign the newest version");
  auto* contract_status_cmd = contract_cmd->add_subcommand("status", "none, draft, signed by one, or signed");
  for (auto* sub : {contract_show_cmd, contract_sign_cmd, contract_status_cmd}) {
    sub->add_option("PAIR", contract_pair, "pair id")->required()->check(CLI::PositiveNumber);
  }
  contract_sign_cmd->add_option("--version", contract_version, "the version you read (refused if it is not the newest)")
      ->check(CLI::PositiveNumber);

  // Meetings
  auto* meeting_cmd = app.add_subcommand("meeting", "schedule, start, join, leave, end and list meetings");
  meeting_cmd->require_subcommand(1);
  std::int64_t meeting_pair = 0;
  std::int64_t meeting_id = 0;
  std::optional<std::int64_t> meeting_option;
  std::string meeting_at;
  auto* meeting_schedule_cmd = meeting_cmd->add_subcommand("schedule", "schedule a meeting");
  meeting_schedule_cmd->add_option("PAIR", meeting_pair, "pair id")->required()->check(CLI::PositiveNumber);
  meeting_schedule_cmd->add_option("--at", meeting_at, "when: 2026-12-01T10:00Z, or local 2026-12-01 10:00")->required();
  auto* meeting_reschedule_cmd = meeting_cmd->add_subcommand("reschedule", "move a scheduled meeting");
  meeting_reschedule_cmd->add_option("MEETING", meeting_id, "meeting id")->required()->check(CLI::PositiveNumber);
  meeting_reschedule_cmd->add_option("--at", meeting_at, "the new time")->required();
  auto* meeting_start_cmd = meeting_cmd->add_subcommand("start", "start a scheduled meeting, or one now");
  meeting_start_cmd->add_option("PAIR", meeting_pair, "pair id")->required()->check(CLI::PositiveNumber);
  meeting_start_cmd->add_option("--meeting", meeting_option, "the scheduled meeting (default: an unscheduled one)");
  std::vector<std::pair<std::string, CLI::App*>> meeting_steps;
  for (const auto& [step, about] : {std::pair{"cancel", "cancel a scheduled meeting"},
                                    std::pair{"join", "join a meeting under way"},
                                    std::pair{"leave", "leave a meeting (it goes on)"},
                                    std::pair{"end", "end the meeting for both"}}) {
    auto* sub = meeting_cmd->add_subcommand(step, about);
    sub->add_option("MEETING", meeting_id, "meeting id")->required()->check(CLI::PositiveNumber);
    meeting_steps.emplace_back(step, sub);
  }
  auto* meeting_list_cmd = meeting_cmd->add_subcommand("list", "the pair's meetings with what was recorded");
  meeting_list_cmd->add_option("PAIR", meeting_pair, "pair id")->required()->check(CLI::PositiveNumber);

  // Coordinator reports
  commands::ReportOptions report_options;
  auto* report_cmd = app.add_subcommand("report", "one row per pair from metadata only, with pairs at risk (coordinators)");
  report_cmd->add_option("--programme", report_options.programme, "programme id (default: your only programme)");
  report_cmd->add_option("--since", report_options.since, "count from this date, e.g. 2027-01-01");
  report_cmd->add_option("--format", report_options.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  commands::ProgrammeUpdateOptions cadence;
  auto* cadence_cmd = programme_cmd->add_subcommand("cadence", "set the target: a meeting every N days (coordinators)");
  cadence_cmd->add_option("--programme", cadence.programme, "programme id (default: your only programme)");
  cadence_cmd->add_option("--days", cadence.cadence_days, "days between meetings")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxCadenceDays));
  commands::ProgrammeUpdateOptions programme_update;
  auto* programme_update_cmd = programme_cmd->add_subcommand("update", "change a programme's settings (coordinators)");
  programme_update_cmd->add_option("--programme", programme_update.programme, "programme id (default: your only programme)");
  programme_update_cmd->add_option("--cadence-days", programme_update.cadence_days, "target days between meetings")
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxCadenceDays));
  programme_update_cmd->add_option("--min-held-minutes", programme_update.min_held_minutes,
                                   "minutes both must be present for a meeting to count as held")
      ->check(CLI::Range(std::int64_t{1}, wire::kMaxMinHeldMinutes));
  std::optional<std::int64_t> watch_programme;
  std::optional<std::int64_t> watch_count;
  auto* watch_cmd = app.add_subcommand("watch", "live programme activity, metadata only (coordinators)");
  watch_cmd->add_option("--programme", watch_programme, "programme id (default: your only programme)");
  watch_cmd->add_option("--count", watch_count, "stop after this many events")->check(CLI::PositiveNumber);
  std::optional<std::int64_t> dashboard_programme;
  auto* dashboard_cmd = app.add_subcommand("dashboard", "a one-time sign-in link to the web dashboard (coordinators)");
  dashboard_cmd->add_option("--programme", dashboard_programme, "programme id (default: your only programme)");
  std::int64_t access_pair = 0;
  auto* access_cmd = app.add_subcommand("access-log", "which coordinators looked at your pair's metadata, and when");
  access_cmd->add_option("PAIR", access_pair, "pair id")->required()->check(CLI::PositiveNumber);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  // Everything a command prints goes through the escaping streams (output.h).
  TerminalSafeStream safe_out(out, json ? EscapeStyle::json : EscapeStyle::text);
  TerminalSafeStream safe_err(err, EscapeStyle::text);
  commands::Context ctx{Home(home_dir), Output{safe_out, safe_err, json}};
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
  if (*history_cmd) return commands::history(ctx, message_pair, history_meeting);
  if (*safety_cmd) return commands::safety_number(ctx, message_pair);
  if (*trust_cmd) {
    std::optional<std::string> compared;
    if (accept_new_key->count() > 0) {
      compared.emplace();
      for (const auto& group : accepted_number) *compared += group;
    }
    return commands::trust(ctx, message_pair, compared);
  }
  if (*chat_cmd) return commands::chat(ctx, message_pair);
  if (*upgrade_cmd) return commands::upgrade_home(ctx);
  if (*template_publish_cmd) return commands::template_publish(ctx, template_publish);
  if (*template_list_cmd) return commands::template_list(ctx, template_programme);
  if (*template_show_cmd) return commands::template_show(ctx, template_id);
  for (const auto& d : document_cmds) {
    if (*d.set) return commands::document_set(ctx, d.kind, doc);
    if (*d.show) return commands::document_show(ctx, d.kind, doc);
  }
  if (*contract_draft_cmd) return commands::contract_draft(ctx, contract_draft);
  if (*contract_edit_cmd) return commands::contract_edit(ctx, doc);
  if (*contract_show_cmd) return commands::contract_show(ctx, contract_pair);
  if (*contract_sign_cmd) return commands::contract_sign(ctx, contract_pair, contract_version);
  if (*contract_status_cmd) return commands::contract_status(ctx, contract_pair);
  if (*meeting_schedule_cmd) return commands::meeting_schedule(ctx, meeting_pair, meeting_at);
  if (*meeting_reschedule_cmd) return commands::meeting_reschedule(ctx, meeting_id, meeting_at);
  if (*meeting_start_cmd) return commands::meeting_start(ctx, meeting_pair, meeting_option);
  for (const auto& [step, sub] : meeting_steps) {
    if (*sub) return commands::meeting_step(ctx, step, meeting_id);
  }
  if (*meeting_list_cmd) return commands::meeting_list(ctx, meeting_pair);
  if (*report_cmd) return commands::report(ctx, report_options);
  if (*cadence_cmd) return commands::programme_update(ctx, cadence);
  if (*programme_update_cmd) return commands::programme_update(ctx, programme_update);
  if (*watch_cmd) return commands::watch(ctx, watch_programme, watch_count);
  if (*access_cmd) return commands::access_log(ctx, access_pair);
  if (*dashboard_cmd) return commands::dashboard(ctx, dashboard_programme);
  err << app.help();
  return kExitUsage;
}

}  // namespace mentorlink::client
