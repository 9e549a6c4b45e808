#pragma once
// The bus over Redis pub/sub (hiredis's async API driven by Asio on the bus's own thread): one
// subscriber connection and one publisher connection, each reconnecting with backoff. After every
// (re)connection the handlers' resync runs, since pokes sent meanwhile are gone; a node that had to
// drop pokes it meant to publish asks every node to resync (PokeKind::resync).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/bus/bus.h"

namespace mentorlink::server::bus {

struct RedisAddress {
  std::string host;
  std::uint16_t port = 6379;
};

// Parses redis://HOST:PORT (HOST a name or IPv4 address; PORT optional, default 6379).
std::optional<RedisAddress> parse_redis_url(std::string_view url);

struct RedisBusLimits {
  std::chrono::milliseconds reconnect_first{50};   // first wait after a lost connection
  std::chrono::milliseconds reconnect_max{2000};   // the wait doubles up to this
  std::chrono::milliseconds connect_timeout{2000};
  std::size_t max_queued_pokes = 100'000;          // published but not yet handed to Redis
  std::string channel = "mentorlink:pokes";
};

class RedisBus final : public Bus {
 public:
  RedisBus(RedisAddress address, RedisBusLimits limits = {});
  ~RedisBus() override;  // stops the bus thread; no handler runs after it returns
  RedisBus(const RedisBus&) = delete;
  RedisBus& operator=(const RedisBus&) = delete;

  bool shared() const override { return true; }
  std::int64_t node() const override;
  void publish(const Poke& poke) override;
  void start(BusHandlers handlers) override;

  // Whether the subscriber is subscribed, and how many pokes were dropped (tests, logs).
  [[nodiscard]] bool subscribed() const;
  [[nodiscard]] std::uint64_t dropped() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace mentorlink::server::bus
