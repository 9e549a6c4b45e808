#pragma once
// Routes events to the connections of logged-in members. Thread-safe.
// The hub holds weak references: a connection that goes away simply stops receiving.
// With a shared bus (server/bus/bus.h) it also tells the other nodes: events and presence as
// pokes, envelopes as "member has envelopes up to seq in pair" (each node then reads them from the
// store, server/api/bus_receiver.h); it also keeps which members are online on other nodes.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/bus/bus.h"
#include "server/core/delivery_cursor.h"
#include "server/store/records.h"

namespace mentorlink::server {

// A connection that can take frames from any thread. deliver() and end() must not block.
class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual void deliver(std::shared_ptr<const std::string> frame) = 0;
  // Closes the connection with a WebSocket close code and reason; nothing delivered after it is sent.
  virtual void end(std::uint16_t close_code, std::string reason) = 0;
  // What was pushed to this connection of envelopes; nullptr: it keeps no cursor and takes every push.
  virtual DeliveryCursor* delivery_cursor() { return nullptr; }
};

// What a dashboard's live socket watches under: its session, which ends at logout or expires_at.
struct WatchLease {
  wire::Hash session{};  // the hash of the dashboard session id
  TimeMs expires_at = 0;
};

class Hub {
 public:
  // bus must outlive every later call; set before serving (nullptr: this node alone).
  void set_bus(bus::Bus* bus) { bus_ = bus; }
  [[nodiscard]] bool shared() const { return bus_ != nullptr && bus_->shared(); }

  void attach(MemberId member, const std::shared_ptr<Outbox>& outbox);
  void detach(MemberId member, const Outbox* outbox);

  // Delivers frame (a metadata event, never "message") to every live connection of member, here
  // and on the other nodes. Returns how many here received it (0 while a Hold on this thread keeps it).
  std::size_t publish(MemberId member, const std::shared_ptr<const std::string>& frame);
  // The same, to this node's connections only.
  std::size_t deliver_here(MemberId member, const std::shared_ptr<const std::string>& frame);
  // Sends p to the other nodes (after the Hold on this thread, if any, is released).
  void relay(const bus::Poke& p);

  // Envelope seq of pair, stored for member, with its "message" event frame. Alone: pushed to
  // member's connections whose cursor is below seq. Shared: every node (this one too) is poked
  // and pushes from the store (push_envelopes).
  void publish_envelope(MemberId member, PairId pair, std::int64_t seq, const std::shared_ptr<const std::string>& frame);
  // The lowest cursor in pair of member's connections here (one that has seen nothing of pair
  // counts as unseen); nullopt if member has no connection here.
  std::optional<std::int64_t> lowest_cursor(MemberId member, PairId pair, std::int64_t unseen) const;
  // Pushes each envelope (seq, frame; ascending) to each connection of member here whose cursor
  // is below its seq, and advances the cursor.
  void push_envelopes(MemberId member, PairId pair, std::int64_t unseen,
                      const std::vector<std::pair<std::int64_t, std::shared_ptr<const std::string>>>& envelopes);
  // Members with a connection here.
  std::vector<MemberId> members_here() const;

  // Presence on other nodes: member is online while some node's entry has not expired.
  void online_elsewhere(std::int64_t node, const std::vector<MemberId>& members, std::chrono::milliseconds ttl);
  void offline_elsewhere(std::int64_t node, const std::vector<MemberId>& members);
  // Drops entries whose node stopped announcing them; returns the members that are now online
  // nowhere (not here, not elsewhere).
  std::vector<MemberId> expire_elsewhere();

  // While a Hold lives, publish() calls made on its thread keep their frames instead of sending
  // them; release() sends them in order. Group commit holds the events of a batch until the
  // batch is durable, and drops them if it is not.
  class Hold {
   public:
    explicit Hold(Hub& hub);
    ~Hold();  // drops whatever was not released
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    void release();

   private:
    friend class Hub;
    Hub& hub_;
    Hold* outer_;
    std::vector<std::function<void()>> held_;  // publications, in order
  };
  // member has a connection here or on another node.
  bool online(MemberId member) const;

  // Live programme metadata for coordinators who asked for it (report.watch, the dashboard's
  // live socket): outbox, of member, is a watcher of programme while it lives and, with a lease,
  // until the lease's session ends or expires.
  void watch(ProgrammeId programme, MemberId member, const std::shared_ptr<Outbox>& outbox,
             std::optional<WatchLease> lease = std::nullopt);

  struct Watching {
    MemberId member = 0;
    std::shared_ptr<Outbox> outbox;
  };
  // The live watchers of programme at `now` (leases that expired by now are left out). A caller
  // logs the read for exactly these members and then delivers to exactly these outboxes, so a
  // watcher added meanwhile gets nothing it was not logged for.
  std::vector<Watching> watchers(ProgrammeId programme, TimeMs now) const;

  // Ends every watcher under the lease of `session` (a dashboard logout): each outbox gets
  // end(close_code, reason) and no further frame from the hub. Returns how many.
  // Other nodes end theirs too.
  std::size_t end_lease(const wire::Hash& session, std::uint16_t close_code, const std::string& reason);
  std::size_t end_lease_here(const wire::Hash& session, std::uint16_t close_code, const std::string& reason);

 private:
  struct Watcher {
    MemberId member;
    std::weak_ptr<Outbox> outbox;
    std::optional<WatchLease> lease;
  };
  using Steady = std::chrono::steady_clock;
  // Keeps f for the Hold on this thread, if it is this hub's; true if kept.
  bool held(std::function<void()> f);
  bool online_here_locked(MemberId member) const;

  bus::Bus* bus_ = nullptr;
  mutable std::mutex mutex_;
  std::unordered_map<MemberId, std::vector<std::weak_ptr<Outbox>>> outboxes_;  // guarded by mutex_
  std::unordered_map<ProgrammeId, std::vector<Watcher>> watchers_;             // guarded by mutex_
  // member -> node -> until when it counts as online there; guarded by mutex_
  std::unordered_map<MemberId, std::unordered_map<std::int64_t, Steady::time_point>> elsewhere_;
};

}  // namespace mentorlink::server
