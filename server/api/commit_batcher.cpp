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

void CommitBatcher::submit(SessionState& session, wire::Request request, std::optional<Precheck> precheck, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{BatchedRequest{&session, std::move(request), {}, precheck}, std::move(done)});
  }
  wake_.notify_one();
}

void CommitBatcher::run() {
  std::vector<Job> jobs;
  std::vector<BatchedRequest> batch;
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
      while (!queue_.empty() && jobs.size() < max_batch_) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    for (auto& job : jobs) batch.push_back(std::move(job.batched));
    commit_batch(context_, dispatcher_, batch);
    for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].done(std::move(batch[i].reply));
    jobs.clear();
    batch.clear();
  }
}

void commit_batch(ServerContext& context, Dispatcher& dispatcher, std::span<BatchedRequest> batch) {
  Hub::Hold events(context.hub);
  const auto status = context.store.in_one_transaction([&] {
    for (auto& job : batch) {
      Hub::Hold own(context.hub);  // this request's events, kept only if its savepoint is
      const auto kept = context.store.all_or_nothing([&]() -> Status {
        job.reply = dispatcher.handle(*job.session, job.request, job.precheck ? &*job.precheck : nullptr);
        return job.reply.refused ? Status::error(wire::ErrorCode::conflict, "request refused") : Status::ok();
      });
      if (kept.is_ok()) {
        own.release();  // into the batch's hold
      } else if (!job.reply.refused) {
        job.reply = dispatcher.failure(job.request.id, kept);  // its savepoint could not be released
      }
    }
  });
  context.metrics.commit_batch(batch.size());
  if (status.is_ok()) {
    events.release();
  } else {
    spdlog::error("event=batch_failed requests={} reason=\"{}\"", batch.size(), status.message());
    for (auto& job : batch) job.reply = dispatcher.failure(job.request.id, status);
  }
}

}  // namespace mentorlink::server::api
