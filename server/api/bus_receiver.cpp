#include "server/api/bus_receiver.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <limits>
#include <map>

#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/events.h"
#include "server/api/handler.h"
#include "server/api/presence.h"
#include "server/api/programme_activity.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;
using bus::PokeKind;

void BusReceiver::start() {
  bus_.start(bus::BusHandlers{
      .receive = [this](const bus::Poke& p) { receive(p); },
      .resync = [this] { resync(); },
      .tick = [this] { tick(); },
  });
}

void BusReceiver::receive(const bus::Poke& poke) {
  const bool own = poke.node == bus_.node();
  switch (poke.kind) {
    case PokeKind::envelopes:  // this node's own too: every node pushes envelopes from the store
      push_from_store(poke.members.front(), poke.pair, poke.seq - 1);
      return;
    case PokeKind::event:
      if (!own) context_.hub.deliver_here(poke.members.front(), std::make_shared<const std::string>(poke.frame));
      return;
    case PokeKind::online:
      if (!own) context_.hub.online_elsewhere(poke.node, poke.members, bus::kPresenceTtl);
      return;
    case PokeKind::offline:
      if (!own) context_.hub.offline_elsewhere(poke.node, poke.members);
      return;
    case PokeKind::activity: {
      if (own) return;
      boost::json::error_code ec;
      auto body = boost::json::parse(poke.frame, ec);
      auto facts = !ec && body.is_object() ? msg::ProgrammeActivityEvent::decode(body.get_object())
                                           : wire::Result<msg::ProgrammeActivityEvent>(wire::Status::error(
                                                 wire::ErrorCode::malformed, "not a JSON object"));
      if (!facts.is_ok() || facts.value().programme != poke.programme) {
        spdlog::warn("event=bus_poke_refused reason=\"activity body does not decode\"");
        return;
      }
      deliver_activity_here(context_, facts.value());
      return;
    }
    case PokeKind::lease_ended:
      if (!own) context_.hub.end_lease_here(poke.session, poke.close_code, "signed out");
      return;
    case PokeKind::resync:
      if (!own) resync();
      return;
  }
}

void BusReceiver::push_from_store(MemberId member, PairId pair, std::int64_t unseen) {
  const auto cursor = context_.hub.lowest_cursor(member, pair, unseen);
  if (!cursor) return;  // member has no connection here
  // Only pair's envelopes: every other pair of member is named with a cursor nothing is above.
  std::map<PairId, std::int64_t> after{{pair, *cursor}};
  if (auto pairs = context_.store.active_pairs_of_member(member); pairs.is_ok()) {
    for (const auto& p : pairs.value()) {
      if (p.id != pair) after.emplace(p.id, std::numeric_limits<std::int64_t>::max());
    }
  }
  auto pending = context_.store.pending_envelopes(member, kMaxEnvelopesPerPush, after);
  if (!pending.is_ok()) {
    spdlog::warn("event=bus_push_failed member={} pair={} reason=\"{}\"", member, pair, pending.status().message());
    return;
  }
  std::vector<std::pair<std::int64_t, std::shared_ptr<const std::string>>> envelopes;
  for (const auto& e : pending.value()) {
    if (e.pair != pair) continue;
    envelopes.emplace_back(e.seq, event_frame(msg::MessageEvent{
                                      msg::Envelope{e.pair, e.seq, e.sender, e.sender_device, e.client_id, e.body, e.sent_at}}));
  }
  if (!envelopes.empty()) context_.hub.push_envelopes(member, pair, unseen, envelopes);
}

void BusReceiver::resync() {
  announce_members_here();
  for (const auto member : context_.hub.members_here()) {
    auto pairs = context_.store.active_pairs_of_member(member);
    if (!pairs.is_ok()) continue;
    // A connection that has seen nothing of a pair gets all its pending envelopes.
    for (const auto& pair : pairs.value()) push_from_store(member, pair.id, 0);
  }
}

void BusReceiver::tick() {
  announce_members_here();
  for (const auto member : context_.hub.expire_elsewhere()) {
    announce_presence(context_, member, false, Reach::this_node);
  }
}

void BusReceiver::announce_members_here() {
  const auto members = context_.hub.members_here();
  for (std::size_t i = 0; i < members.size(); i += bus::kMaxMembersPerPoke) {
    const auto end = members.begin() + static_cast<std::ptrdiff_t>(std::min(members.size(), i + bus::kMaxMembersPerPoke));
    context_.hub.relay(bus::Poke{.kind = PokeKind::online, .members = {members.begin() + static_cast<std::ptrdiff_t>(i), end}});
  }
}

}  // namespace mentorlink::server::api
