#pragma once
// Live metadata for coordinators who watch a programme (report.watch): a pair formed or ended, a
// meeting started or ended, a contract signed. Each delivery is a read of the pair's metadata,
// so it is written to the pair's access log with the fields it carried.

#include <string_view>

#include "protocol/wire/messages/events.h"
#include "server/api/context.h"

namespace mentorlink::server::api {

// facts holds the allow-listed optional fields only (meeting, held, both_present_ms, signed_at);
// programme, pair, activity and at are filled in here.
// Watchers on other nodes get it through the bus, each node logging for its own watchers.
void announce_activity(ServerContext& server, const PairRecord& pair, std::string_view activity,
                       wire::messages::ProgrammeActivityEvent facts = {});

// Logs the read for the watchers of facts.programme on this node, then delivers to exactly them.
void deliver_activity_here(ServerContext& server, const wire::messages::ProgrammeActivityEvent& facts);

}  // namespace mentorlink::server::api
