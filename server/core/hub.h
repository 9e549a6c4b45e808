#pragma once
// Routes events to the connections of logged-in members. Thread-safe.
// The hub holds weak references: a connection that goes away simply stops receiving.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/store/records.h"

namespace mentorlink::server {

// A connection that can take frames from any thread. deliver() must not block.
class Outbox {
 public:
  virtual ~Outbox() = default;
  virtual void deliver(std::shared_ptr<const std::string> frame) = 0;
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

  // Live programme metadata for coordinators who asked for it (report.watch): the connection
  // outbox of member receives every publish_to_watchers for programme while it lives.
  void watch(ProgrammeId programme, MemberId member, const std::shared_ptr<Outbox>& outbox);
  // The members with a live watching connection for programme (each once).
  std::vector<MemberId> watching_members(ProgrammeId programme) const;
  // Returns the members whose connections received frame (each once).
  std::vector<MemberId> publish_to_watchers(ProgrammeId programme, const std::shared_ptr<const std::string>& frame);

 private:
  struct Watcher {
    MemberId member;
    std::weak_ptr<Outbox> outbox;
  };
  mutable std::mutex mutex_;
  std::unordered_map<MemberId, std::vector<std::weak_ptr<Outbox>>> outboxes_;  // guarded by mutex_
  std::unordered_map<ProgrammeId, std::vector<Watcher>> watchers_;             // guarded by mutex_
};

}  // namespace mentorlink::server
