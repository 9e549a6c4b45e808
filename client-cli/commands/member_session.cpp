#include "client-cli/commands/member_session.h"

#include <algorithm>
#include <cctype>

#include "client-cli/lib/account.h"
#include "client-cli/lib/passphrase.h"
#include "protocol/wire/messages/programmes.h"

namespace mentorlink::client::commands {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Result<MemberSession> open_member_session(Context& ctx, std::chrono::milliseconds timeout) {
  if (!ctx.home.enrolled()) {
    return Status::error(ErrorCode::not_found, "this device has not enrolled yet (nothing in " +
                                                   ctx.home.dir().string() +
                                                   "); run mentorlink enroll first, or pass the right --home");
  }
  auto passphrase = read_passphrase(false);
  if (!passphrase.is_ok()) return passphrase.status();
  return connect_as_member(ctx.home, passphrase.value(), timeout);
}

Result<std::int64_t> resolve_programme(Connection& connection, std::optional<std::int64_t> given) {
  if (given) return *given;
  auto list = connection.call(msg::ProgrammeListRequest{});
  if (!list.is_ok()) return list.status();
  const auto& programmes = list.value().programmes;
  if (programmes.size() == 1) return programmes[0].id;
  if (programmes.empty()) return Status::error(ErrorCode::not_found, "you are not in any programme yet");
  return Status::error(ErrorCode::missing_field,
                       "you are in " + std::to_string(programmes.size()) +
                           " programmes; say which with --programme ID (see mentorlink programme list)",
                       "programme");
}

Result<std::int64_t> resolve_member(Connection& connection, std::int64_t programme, const std::string& reference,
                                    std::string_view field) {
  if (!reference.empty() && std::all_of(reference.begin(), reference.end(), [](unsigned char c) {
        return std::isdigit(c) != 0;
      })) {
    if (reference.size() > 15) return Status::error(ErrorCode::invalid_field, "member id is too long", std::string(field));
    return std::stoll(reference);
  }
  auto list = connection.call(msg::MemberListRequest{programme});
  if (!list.is_ok()) return list.status();
  std::optional<std::int64_t> found;
  for (const auto& m : list.value().members) {
    if (lower(m.name) != lower(reference)) continue;
    if (found) {
      return Status::error(ErrorCode::invalid_field,
                           "more than one member is called \"" + reference + "\"; use their id (mentorlink members)",
                           std::string(field));
    }
    found = m.id;
  }
  if (!found) {
    return Status::error(ErrorCode::not_found, "nobody called \"" + reference + "\" is in programme " +
                                                   std::to_string(programme) + " (see mentorlink members)",
                         std::string(field));
  }
  return *found;
}

}  // namespace mentorlink::client::commands
