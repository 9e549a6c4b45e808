#pragma once
// Group commit for the requests that dominate a busy server: those whose route says
// Commit::grouped (handler.h; message.send and message.ack).
//
// Connections hand such requests to submit() instead of answering them on their I/O thread.
// One batcher thread takes everything that queued up while the previous batch was committing
// (at most max_batch), runs each request through the dispatcher inside one store transaction
// (Store::in_one_transaction: one fsync for the batch), and only after COMMIT returned sends
// the batch's events and hands each reply back. Nothing is acknowledged, and no partner sees a
// message, before it is durable. If the commit fails, every request of the batch is answered
// with `internal` and its events are dropped.
//
// A connection submits one request at a time and waits for its reply before reading the next,
// so requests stay answered in order and SessionState is touched by one thread at a time.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "server/api/dispatcher.h"

namespace mentorlink::server::api {

class CommitBatcher {
 public:
  using Done = std::function<void(Reply)>;  // called on the batcher thread

  CommitBatcher(ServerContext& context, Dispatcher& dispatcher, std::size_t max_batch);
  // Answers everything already submitted, then stops the thread.
  ~CommitBatcher();
  CommitBatcher(const CommitBatcher&) = delete;
  CommitBatcher& operator=(const CommitBatcher&) = delete;

  // session must stay untouched by others until done is called.
  void submit(SessionState& session, wire::Request request, Done done);

 private:
  struct Job {
    SessionState* session;
    wire::Request request;
    Done done;
    Reply reply;
  };
  void run();
  void commit(std::deque<Job>& batch);

  ServerContext& context_;
  Dispatcher& dispatcher_;
  const std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;  // guarded by mutex_
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace mentorlink::server::api
