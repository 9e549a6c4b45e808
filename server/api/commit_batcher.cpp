#include "server/api/commit_batcher.h"

#include <spdlog/spdlog.h>


namespace mentorlink::server::api {

CommitBatcher::CommitBatcher(ServerContext& context, Dispatcher& dispatcher, std::size_t max_batch)
    : context_(context), dispatcher_(dispatcher), max_batch_(max_batch == 0 ? 1 : max_batch),
      thread_([this] { run(); }) {}

CommitBatcher::~CommitBatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void CommitBatcher::submit(SessionState& session, wire::Request request, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{&session, std::move(request), std::move(done), {}});
  }
  wake_.notify_one();
}

void CommitBatcher::run() {
  std::deque<Job> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was answered
    }
    // Woken by the first request: let I/O threads that share this core finish the requests they
    // have already read, so that the batch takes them too.
    std::this_thread::yield();
    {
      std::lock_guard lock(mutex_);
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit(batch);
    batch.clear();
  }
}

void CommitBatcher::commit(std::deque<Job>& batch) {
  Hub::Hold events(context_.hub);
  const auto status = context_.store.in_one_transaction([&] {
    for (auto& job : batch) job.reply = dispatcher_.handle(*job.session, job.request);
  });
  context_.metrics.commit_batch(batch.size());
  if (status.is_ok()) {
    events.release();
  } else {
    spdlog::error("event=batch_failed requests={} reason=\"{}\"", batch.size(), status.message());
    for (auto& job : batch) job.reply = dispatcher_.failure(job.request.id, status);
  }
  for (auto& job : batch) job.done(std::move(job.reply));
}

}  // namespace mentorlink::server::api
