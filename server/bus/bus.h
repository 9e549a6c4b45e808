#pragma once
// Cross-node notifications (pokes, poke.h) between the mentorlink-server nodes that share one
// store. LocalBus is the single node: nothing to tell anyone. RedisBus (redis_bus.h) uses Redis
// pub/sub.

#include <chrono>
#include <cstdint>
#include <functional>

#include "server/bus/poke.h"

namespace mentorlink::server::bus {

// How often a node re-announces its online members, and how long a node's presence lasts without
// hearing from it: a node that dies leaves its members online for at most kPresenceTtl.
inline constexpr std::chrono::milliseconds kPresenceHeartbeat{1000};
inline constexpr std::chrono::milliseconds kPresenceTtl{3500};

// What the bus calls, all on the bus's own thread (never an I/O thread of the connections).
struct BusHandlers {
  std::function<void(const Poke&)> receive;  // a poke from any node, this one included
  // Both connections are up after a start or a loss: pokes may have been missed.
  std::function<void()> resync;
  std::function<void()> tick;                // every kPresenceHeartbeat
};

class Bus {
 public:
  virtual ~Bus() = default;
  // false: this node is the only one, and nothing needs to be published.
  [[nodiscard]] virtual bool shared() const = 0;
  // This node's id in pokes: random, positive, new at each start.
  [[nodiscard]] virtual std::int64_t node() const = 0;
  // Thread-safe and never blocks. A poke that cannot be sent now (bus down, queue full) is
  // dropped; the resync after reconnecting makes up for it.
  virtual void publish(const Poke& poke) = 0;
  // Starts delivering to handlers; call once, before publish. handlers must outlive the bus.
  virtual void start(BusHandlers handlers) = 0;
};

class LocalBus final : public Bus {
 public:
  bool shared() const override { return false; }
  std::int64_t node() const override { return 1; }
  void publish(const Poke&) override {}
  void start(BusHandlers) override {}
};

}  // namespace mentorlink::server::bus
