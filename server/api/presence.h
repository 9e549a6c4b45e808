#pragma once
// Presence: pair members learn when their partner comes online or goes offline.

#include "server/api/context.h"

namespace mentorlink::server::api {

// Who is told: the partner's connections on every node, or on this node only (when each node
// finds out by itself, e.g. that a dead node's members are gone).
enum class Reach { every_node, this_node };

// Tells the partner in each of member's active pairs that member is now online or offline.
void announce_presence(ServerContext& context, MemberId member, bool online, Reach reach = Reach::every_node);

}  // namespace mentorlink::server::api
