#pragma once
// The highest envelope sequence number pushed to (or fetched by) one connection, per pair: a push
// sends only envelopes above it, so a poke and a catch-up never deliver an envelope twice.
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "server/store/ids.h"

namespace mentorlink::server {

class DeliveryCursor {
 public:
  // nullopt while the connection has seen nothing of pair.
  std::optional<std::int64_t> get(PairId pair) const {
    std::lock_guard lock(mutex_);
    auto it = seq_.find(pair);
    return it == seq_.end() ? std::nullopt : std::optional(it->second);
  }
  // Raises the cursor to seq; false (and unchanged) if it already was at or above it.
  bool advance(PairId pair, std::int64_t seq) {
    std::lock_guard lock(mutex_);
    auto [it, fresh] = seq_.try_emplace(pair, seq);
    if (fresh) return true;
    if (it->second >= seq) return false;
    it->second = seq;
    return true;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<PairId, std::int64_t> seq_;  // guarded by mutex_
};

}  // namespace mentorlink::server
