#include "server/api/programme_activity.h"

#include <spdlog/spdlog.h>

#include "protocol/wire/frame.h"

namespace mentorlink::server::api {
namespace json = boost::json;

void announce_activity(ServerContext& server, const PairRecord& pair, std::string_view event, json::object extra) {
  const TimeMs now = server.clock.now_ms();
  json::object body = std::move(extra);
  body["programme"] = pair.programme;
  body["pair"] = pair.id;
  body["activity"] = event;
  body["at"] = now;
  std::string fields;
  for (const auto& [key, value] : body) fields += (fields.empty() ? "" : ",") + std::string(key);
  // Logged before it is sent: if the log cannot be written, nobody gets the event.
  const auto readers = server.hub.watching_members(pair.programme);
  if (readers.empty()) return;
  std::vector<AccessRecord> entries;
  for (const auto coordinator : readers) {
    entries.push_back(AccessRecord{pair.id, 0, coordinator, now, "event:" + std::string(event), fields, {}, {}});
  }
  if (auto s = server.store.append_access(entries); !s.is_ok()) {
    spdlog::error("event=activity_withheld pair={} reason=\"access log not written: {}\"", pair.id, s.message());
    return;
  }
  server.hub.publish_to_watchers(pair.programme,
                                 std::make_shared<const std::string>(wire::serialize_event("programme.activity", body)));
}

}  // namespace mentorlink::server::api
