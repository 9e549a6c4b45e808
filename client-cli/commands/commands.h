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
  // The invite code: --invite (shown in `ps`, so warned about), else --invite-file, else
  // $MENTORLINK_INVITE, else a line read from stdin (prompted for on a terminal).
  std::optional<std::string> invite;
  std::optional<std::string> invite_file;
  std::optional<std::string> name;
  std::string kdf_cost = "interactive";
};
int enroll(Context& ctx, const EnrollOptions& options);
int whoami(Context& ctx);

struct ProgrammeCreateOptions {
  std::string name;
  std::string purpose;
  std::optional<std::int64_t> cadence_days;      // default on the server: 21
  std::optional<std::int64_t> min_held_minutes;  // default on the server: 10
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
// With meeting: only the messages sent while that meeting was under way (its live chat).
int history(Context& ctx, std::int64_t pair, std::optional<std::int64_t> meeting = std::nullopt);
int safety_number(Context& ctx, std::int64_t pair);
// Without accepted_number: marks the trusted key verified. With it: accepts the partner's changed
// key, but only the one whose safety number that is (what the person compared).
int trust(Context& ctx, std::int64_t pair, std::optional<std::string> accepted_number);
int chat(Context& ctx, std::int64_t pair);
// Makes a device home written by mentorlink 1 usable again (commands/home_commands.cpp).
int upgrade_home(Context& ctx);

}  // namespace mentorlink::client::commands

namespace mentorlink::client::commands {

// Where new document text comes from (lib/text_input.h).
struct TextOptions {
  std::optional<std::string> text;
  std::optional<std::string> file;
};

// Contract templates (commands/template_commands.cpp).
struct TemplatePublishOptions {
  std::optional<std::int64_t> programme;
  std::string name;
  TextOptions source;
};
int template_publish(Context& ctx, const TemplatePublishOptions& options);
int template_list(Context& ctx, std::optional<std::int64_t> programme);
int template_show(Context& ctx, std::int64_t template_id);

// Documents (commands/document_commands.cpp). meeting is required for agenda and feedback.
struct DocumentOptions {
  std::int64_t pair = 0;
  std::optional<std::int64_t> meeting;
  TextOptions source;
};
int document_set(Context& ctx, std::string_view kind, const DocumentOptions& options);
int document_show(Context& ctx, std::string_view kind, const DocumentOptions& options);

// Contracts (commands/contract_commands.cpp).
struct ContractDraftOptions {
  std::int64_t pair = 0;
  std::optional<std::int64_t> template_id;
  TextOptions source;  // instead of a template
};
int contract_draft(Context& ctx, const ContractDraftOptions& options);
int contract_edit(Context& ctx, const DocumentOptions& options);
int contract_show(Context& ctx, std::int64_t pair);
int contract_sign(Context& ctx, std::int64_t pair, std::optional<std::int64_t> version);
int contract_status(Context& ctx, std::int64_t pair);

// Meetings (commands/meeting_commands.cpp). Times as lib/time_text.h reads them.
int meeting_schedule(Context& ctx, std::int64_t pair, const std::string& at);
int meeting_reschedule(Context& ctx, std::int64_t meeting, const std::string& at);
int meeting_start(Context& ctx, std::int64_t pair, std::optional<std::int64_t> meeting);
// step is one of cancel, join, leave, end.
int meeting_step(Context& ctx, std::string_view step, std::int64_t meeting);
int meeting_list(Context& ctx, std::int64_t pair);

}  // namespace mentorlink::client::commands

namespace mentorlink::client::commands {

// Coordinator reports (commands/report_commands.cpp).
struct ReportOptions {
  std::optional<std::int64_t> programme;
  std::optional<std::string> since;  // a date or time (lib/time_text.h)
  std::string format = "table";      // table, csv, json
};
int report(Context& ctx, const ReportOptions& options);
// programme update / programme cadence: changes the settings given (at least one).
struct ProgrammeUpdateOptions {
  std::optional<std::int64_t> programme;
  std::optional<std::int64_t> cadence_days;
  std::optional<std::int64_t> min_held_minutes;
};
int programme_update(Context& ctx, const ProgrammeUpdateOptions& options);
// Prints live programme activity; stops after count events when given.
int watch(Context& ctx, std::optional<std::int64_t> programme, std::optional<std::int64_t> count);
// Who looked at the pair's metadata, with the log's hash chain verified against what this device saw.
int access_log(Context& ctx, std::int64_t pair);

}  // namespace mentorlink::client::commands

namespace mentorlink::client::commands {

// Prints a one-time sign-in link to the programme's web dashboard (coordinators).
int dashboard(Context& ctx, std::optional<std::int64_t> programme);

}  // namespace mentorlink::client::commands
