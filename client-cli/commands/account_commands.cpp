// enroll, whoami
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "client-cli/lib/account.h"
#include "client-cli/lib/passphrase.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/key_fingerprint.h"
#include "protocol/wire/messages/session.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

// An invite code is short; anything longer read from a file or stdin is not one.
constexpr std::size_t kMaxInviteInputBytes = 256;

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// The first line of in, at most kMaxInviteInputBytes.
std::string first_line(std::istream& in) {
  std::string line;
  char c = 0;
  while (line.size() <= kMaxInviteInputBytes && in.get(c) && c != '\n') line += c;
  return line;
}

// The invite code from wherever the member gave it (EnrollOptions), never required on the command line.
Result<std::string> invite_code(Context& ctx, const EnrollOptions& options) {
  std::string code;
  if (options.invite) {
    ctx.output.err << "mentorlink: warning: an invite code given with --invite is visible to other users of this "
                      "computer (in ps) until enroll ends; prefer --invite-file, $MENTORLINK_INVITE or the prompt\n";
    code = *options.invite;
  } else if (options.invite_file) {
    if (*options.invite_file == "-") {
      code = first_line(std::cin);
    } else {
      std::ifstream in(*options.invite_file);
      if (!in) return Status::error(ErrorCode::not_found, "cannot read the invite file " + *options.invite_file);
      code = first_line(in);
    }
  } else if (const char* env = std::getenv("MENTORLINK_INVITE"); env != nullptr && *env != '\0') {
    code = env;
  } else {
    if (isatty(STDIN_FILENO) != 0) ctx.output.err << "Invite code: " << std::flush;
    code = first_line(std::cin);
  }
  code = trimmed(std::move(code));
  if (code.empty() || code.size() > kMaxInviteInputBytes) {
    return Status::error(ErrorCode::missing_field,
                         "no invite code: give it with --invite-file FILE, $MENTORLINK_INVITE, or at the prompt", "invite");
  }
  return code;
}

}  // namespace

int enroll(Context& ctx, const EnrollOptions& options) {
  auto cost = device::KdfCost::named(options.kdf_cost);
  if (!cost.is_ok()) return ctx.output.failure(cost.status());
  auto invite = invite_code(ctx, options);
  if (!invite.is_ok()) return ctx.output.failure(invite.status());
  auto passphrase = read_passphrase(true);
  if (!passphrase.is_ok()) return ctx.output.failure(passphrase.status());

  EnrollRequest request{options.server, options.ca, invite.value(), options.name, cost.value(), passphrase.value()};
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

// The key fingerprint comes from this device's own identity key, not from the server's reply: it
// is what the dashboard's sign-in page must show for this account.
int whoami(Context& ctx) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto result = session.value().connection->call(msg::WhoamiRequest{});
  session.value().connection->close();
  if (!result.is_ok()) return ctx.output.failure(result.status());
  const auto fingerprint = wire::key_fingerprint(session.value().keys.identity.public_key());
  if (ctx.output.json) {
    auto body = result.value().encode();
    body["key_fingerprint"] = fingerprint;
    return ctx.output.json_result(body);
  }
  const auto& member = result.value().member;
  auto& out = ctx.output.out;
  out << member.name << " (member " << member.id << ")\n";
  out << "identity key " << wire::base64url_encode(member.identity_key) << "\n";
  out << "key fingerprint " << wire::format_key_fingerprint(fingerprint) << "\n";
  if (result.value().programmes.empty()) out << "not in any programme yet\n";
  for (const auto& p : result.value().programmes) {
    out << p.your_role.value_or("member") << " in programme " << p.id << " \"" << p.name << "\"\n";
  }
  return kExitOk;
}

}  // namespace mentorlink::client::commands
