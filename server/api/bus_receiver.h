#pragma once
// What a node does with the bus's pokes (server/bus/poke.h): it delivers to its own connections,
// reading envelopes from the store, never from the poke. Runs on the bus's thread.

#include <cstddef>

#include "server/api/context.h"
#include "server/bus/bus.h"

namespace mentorlink::server::api {

// Envelopes read from the store for one member's pair per poke; more wait for the next poke or
// the client's message.sync.
inline constexpr std::size_t kMaxEnvelopesPerPush = 256;

class BusReceiver {
 public:
  // context and bus must outlive the receiver; start() hands the bus these handlers.
  BusReceiver(ServerContext& context, bus::Bus& bus) : context_(context), bus_(bus) {}
  void start();

  void receive(const bus::Poke& poke);
  // Pokes may have been missed: push every connected member what the store has above their
  // connections' cursors, and announce this node's members again.
  void resync();
  // The presence heartbeat: announces this node's members, and tells this node's connections
  // about members whose node stopped announcing them.
  void tick();

 private:
  void push_from_store(MemberId member, PairId pair, std::int64_t unseen);
  void announce_members_here();

  ServerContext& context_;
  bus::Bus& bus_;
};

}  // namespace mentorlink::server::api
