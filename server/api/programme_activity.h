#pragma once
// Live metadata for coordinators who watch a programme (report.watch): a pair formed or ended, a
// meeting started or ended, a contract signed. Each delivery is a read of the pair's metadata,
// so it is written to the pair's access log with the fields it carried.

#include <boost/json/object.hpp>
#include <string_view>

#include "server/api/context.h"

namespace mentorlink::server::api {

// extra holds allow-listed fields only (meeting id, held, both_present_ms, signed_at).
void announce_activity(ServerContext& server, const PairRecord& pair, std::string_view event, boost::json::object extra);

}  // namespace mentorlink::server::api
