#include "server/api/presence.h"

#include "protocol/wire/frame.h"

namespace mentorlink::server::api {

void announce_presence(ServerContext& context, MemberId member, bool online) {
  auto pairs = context.store.active_pairs_of_member(member);
  if (!pairs.is_ok()) return;
  for (const auto& pair : pairs.value()) {
    boost::json::object body;
    body["pair"] = pair.id;
    body["member"] = member;
    body["online"] = online;
    const MemberId partner = pair.mentor == member ? pair.mentee : pair.mentor;
    context.hub.publish(partner, std::make_shared<const std::string>(wire::serialize_event("presence", body)));
  }
}

}  // namespace mentorlink::server::api
