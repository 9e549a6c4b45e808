#include "server/api/programme_activity.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "server/api/handler.h"
#include "server/core/access_chain.h"

namespace mentorlink::server::api {

void announce_activity(ServerContext& server, const PairRecord& pair, std::string_view activity,
                       wire::messages::ProgrammeActivityEvent facts) {
  const TimeMs now = server.clock.now_ms();
  facts.programme = pair.programme;
  facts.pair = pair.id;
  facts.activity = std::string(activity);
  facts.at = now;
  if (server.hub.shared()) {
    server.hub.relay(bus::Poke{.kind = bus::PokeKind::activity,
                               .frame = boost::json::serialize(facts.encode()),
                               .programme = facts.programme});
  }
  deliver_activity_here(server, facts);
}

void deliver_activity_here(ServerContext& server, const wire::messages::ProgrammeActivityEvent& facts) {
  const TimeMs now = server.clock.now_ms();
  const std::string_view activity = facts.activity;
  const boost::json::object body = facts.encode();
  std::string fields;
  for (const auto& [key, value] : body) fields += (fields.empty() ? "" : ",") + std::string(key);
  // One snapshot of the watchers: each is logged, then exactly those get the event, so one who
  // starts watching meanwhile receives nothing that is not in the pair's access log.
  const auto readers = server.hub.watchers(facts.programme, now);
  if (readers.empty()) return;
  std::vector<AccessRecord> entries;
  for (const auto& reader : readers) {
    const bool logged = std::any_of(entries.begin(), entries.end(),
                                    [&](const AccessRecord& e) { return e.coordinator == reader.member; });
    if (!logged) {
      entries.push_back(AccessRecord{facts.pair, 0, reader.member, now, "event:" + std::string(activity), fields, {}, {}});
    }
  }
  if (auto s = append_access(server.store, entries); !s.is_ok()) {
    spdlog::error("event=activity_withheld pair={} reason=\"access log not written: {}\"", facts.pair, s.message());
    return;
  }
  const auto frame = std::make_shared<const std::string>(wire::serialize_event(facts.kEvent, body));
  for (const auto& reader : readers) reader.outbox->deliver(frame);
}

}  // namespace mentorlink::server::api
