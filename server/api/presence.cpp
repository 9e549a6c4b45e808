#include "server/api/presence.h"

#include "protocol/wire/messages/events.h"
#include "server/api/handler.h"

namespace mentorlink::server::api {

void announce_presence(ServerContext& context, MemberId member, bool online, Reach reach) {
  auto pairs = context.store.active_pairs_of_member(member);
  if (!pairs.is_ok()) return;
  for (const auto& pair : pairs.value()) {
    const MemberId partner = pair.mentor == member ? pair.mentee : pair.mentor;
    const auto frame = event_frame(wire::messages::PresenceEvent{pair.id, member, online});
    if (reach == Reach::every_node) {
      context.hub.publish(partner, frame);
    } else {
      context.hub.deliver_here(partner, frame);
    }
  }
}

}  // namespace mentorlink::server::api
