#include "server/api/programme_activity.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "protocol/wire/frame.h"
#include "server/core/access_chain.h"

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
  // One snapshot of the watchers: each is logged, then exactly those get the event, so one who
  // starts watching meanwhile receives nothing that is not in the pair's access log.
  const auto readers = server.hub.watchers(pair.programme, now);
  if (readers.empty()) return;
  std::vector<AccessRecord> entries;
  for (const auto& reader : readers) {
    const bool logged = std::any_of(entries.begin(), entries.end(),
                                    [&](const AccessRecord& e) { return e.coordinator == reader.member; });
    if (!logged) {
      entries.push_back(AccessRecord{pair.id, 0, reader.member, now, "event:" + std::string(event), fields, {}, {}});
    }
  }
  if (auto s = append_access(server.store, entries); !s.is_ok()) {
    spdlog::error("event=activity_withheld pair={} reason=\"access log not written: {}\"", pair.id, s.message());
    return;
  }
  const auto frame = std::make_shared<const std::string>(wire::serialize_event("programme.activity", body));
  for (const auto& reader : readers) reader.outbox->deliver(frame);
}

}  // namespace mentorlink::server::api
