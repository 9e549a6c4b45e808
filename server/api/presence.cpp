#include "server/api/presence.h"

#include "protocol/wire/messages/events.h"
#include "server/api/handler.h"

namespace mentorlink::server::api {

void announce_presence(ServerContext& context, MemberId member, bool online) {
  auto pairs = context.store.active_pairs_of_member(member);
  if (!pairs.is_ok()) return;
  for (const auto& pair : pairs.value()) {
    const MemberId partner = pair.mentor == member ? pair.mentee : pair.mentor;
    context.hub.publish(partner, event_frame(wire::messages::PresenceEvent{pair.id, member, online}));
  }
}

}  // namespace mentorlink::server::api
