#pragma once
// Group commit for the requests that dominate a busy server: those whose route says
// Commit::grouped (handler.h; message.send, message.ack and document.write).
//
// Connections hand such requests to submit() instead of answering them on their I/O thread.
// One batcher thread takes everything that queued up while the previous batch was committing
// (at most max_batch) and runs it with commit_batch: every request through the dispatcher inside
// one store transaction (Store::in_one_transaction: one fsync for the batch), and only after
// COMMIT returned are the batch's events sent and each reply handed back. Nothing is
// acknowledged, and no partner sees a message or a document version, before it is durable.
//
// A connection submits one request at a time and waits for its reply before reading the next,
// so requests stay answered in order and SessionState is touched by one thread at a time.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/api/dispatcher.h"

namespace mentorlink::server::api {

// One request of a batch and, once the batch is done, its reply.
struct BatchedRequest {
  SessionState* session;
  wire::Request request;
  Reply reply;
  std::optional<Precheck> precheck = std::nullopt;  // done by the connection before submitting
};

// Runs batch on this thread as one store transaction. Each request runs in its own savepoint: a
// request that is refused or fails changes nothing and publishes nothing, and the others go on.
// If the transaction cannot commit, every request is answered with that failure, nothing of the
// batch is stored and none of its events is sent.
void commit_batch(ServerContext& context, Dispatcher& dispatcher, std::span<BatchedRequest> batch);

class CommitBatcher {
 public:
  using Done = std::function<void(Reply)>;  // called on the batcher thread

  CommitBatcher(ServerContext& context, Dispatcher& dispatcher, std::size_t max_batch);
  // Answers everything already submitted, then stops the thread.
  ~CommitBatcher();
  CommitBatcher(const CommitBatcher&) = delete;
  CommitBatcher& operator=(const CommitBatcher&) = delete;

  // session must stay untouched by others until done is called.
  void submit(SessionState& session, wire::Request request, std::optional<Precheck> precheck, Done done);

 private:
  struct Job {
    BatchedRequest batched;
    Done done;
  };
  void run();

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
