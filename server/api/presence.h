#pragma once
// Presence: pair members learn when their partner comes online or goes offline.

#include "server/api/context.h"

namespace mentorlink::server::api {

// Tells the partner in each of member's active pairs that member is now online or offline.
void announce_presence(ServerContext& context, MemberId member, bool online);

}  // namespace mentorlink::server::api
