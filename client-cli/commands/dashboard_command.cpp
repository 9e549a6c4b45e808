// dashboard: a one-time, short-lived sign-in link to the programme's web dashboard (coordinators).
#include <ostream>

#include "client-cli/commands/commands.h"
#include "client-cli/commands/member_session.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/key_fingerprint.h"
#include "protocol/wire/messages/reports.h"

namespace mentorlink::client::commands {
namespace json = boost::json;
namespace msg = wire::messages;

int dashboard(Context& ctx, std::optional<std::int64_t> programme_option) {
  auto session = open_member_session(ctx);
  if (!session.is_ok()) return ctx.output.failure(session.status());
  auto& connection = *session.value().connection;
  auto programme = resolve_programme(connection, programme_option);
  if (!programme.is_ok()) return ctx.output.failure(programme.status());
  auto r = connection.call(msg::DashboardLinkRequest{programme.value()});
  connection.close();
  if (!r.is_ok()) return ctx.output.failure(r.status());
  // The link goes to the server this device enrolled with, over HTTPS on the same port.
  auto address = parse_server_url(session.value().config.server_url);
  if (!address.is_ok()) return ctx.output.failure(address.status());
  const std::string url = "https://" + address.value().host + ":" + address.value().port + "/dashboard/login?token=" +
                          wire::base64url_encode(r.value().token);
  const auto expires_at = r.value().expires_at;
  // From this device's own key: the page must show the same, whatever names it shows.
  const auto fingerprint = wire::key_fingerprint(session.value().keys.identity.public_key());
  if (ctx.output.json) {
    return ctx.output.json_result(json::object{{"url", url},
                                               {"programme", programme.value()},
                                               {"expires_at", expires_at},
                                               {"key_fingerprint", fingerprint}});
  }
  ctx.output.out << "Open this link in your browser within " << r.value().valid_seconds / 60
                 << " minutes and press \"Sign in\" on the page it opens; it works once. Never open a link "
                 << "someone else sent you: it would sign your browser in to their account.\n\n  " << url << "\n\n"
                 << "The page must show your key fingerprint\n\n  " << wire::format_key_fingerprint(fingerprint)
                 << "\n\nCompare all six groups of digits; if any differs, close it: names can be copied, "
                 << "fingerprints cannot.\n"
                 << "The dashboard shows programme " << programme.value()
                 << "'s metadata only, and every pair sees in its access log that you looked.\n";
  return kExitOk;
}

}  // namespace mentorlink::client::commands
