#pragma once
// Routes events to the connections of logged-in members. Thread-safe.
// The hub holds weak references: a connection that goes away simply stops receiving.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/store/records.h"

namespace mentorlink::server {

// A connection that can take frames from any thread. deliver() and end() must not block.
class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual void deliver(std::shared_ptr<const std::string> frame) = 0;
  // Closes the connection with a WebSocket close code and reason; nothing delivered after it is sent.
  virtual void end(std::uint16_t close_code, std::string reason) = 0;
};

// What a dashboard's live socket watches under: its session, which ends at logout or expires_at.
struct WatchLease {
  wire::Hash session{};  // the hash of the dashboard session id
  TimeMs expires_at = 0;
};

class Hub {
 public:
  void attach(MemberId member, const std::shared_ptr<Outbox>& outbox);
  void detach(MemberId member, const Outbox* outbox);

  // Delivers frame to every live connection of member. Returns how many received it (0 while a
  // Hold on this thread keeps it).
  std::size_t publish(MemberId member, const std::shared_ptr<const std::string>& frame);

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
    std::vector<std::pair<MemberId, std::shared_ptr<const std::string>>> held_;
  };
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
  std::size_t end_lease(const wire::Hash& session, std::uint16_t close_code, const std::string& reason);

 private:
  struct Watcher {
    MemberId member;
    std::weak_ptr<Outbox> outbox;
    std::optional<WatchLease> lease;
  };
  mutable std::mutex mutex_;
  std::unordered_map<MemberId, std::vector<std::weak_ptr<Outbox>>> outboxes_;  // guarded by mutex_
  std::unordered_map<ProgrammeId, std::vector<Watcher>> watchers_;             // guarded by mutex_
};

}  // namespace mentorlink::server
