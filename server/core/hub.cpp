#include "server/core/hub.h"

#include <algorithm>

namespace mentorlink::server {
namespace {
thread_local Hub::Hold* t_hold = nullptr;  // the innermost Hold on this thread
}

Hub::Hold::Hold(Hub& hub) : hub_(hub), outer_(t_hold) { t_hold = this; }

Hub::Hold::~Hold() { t_hold = outer_; }

void Hub::Hold::release() {
  auto held = std::move(held_);
  held_.clear();
  Hold* self = t_hold;
  t_hold = outer_;  // publish for real
  for (const auto& [member, frame] : held) hub_.publish(member, frame);
  t_hold = self;
}

void Hub::attach(MemberId member, const std::shared_ptr<Outbox>& outbox) {
  std::lock_guard lock(mutex_);
  outboxes_[member].push_back(outbox);
}

void Hub::detach(MemberId member, const Outbox* outbox) {
  std::lock_guard lock(mutex_);
  auto it = outboxes_.find(member);
  if (it == outboxes_.end()) return;
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const std::weak_ptr<Outbox>& w) {
                              auto p = w.lock();
                              return p == nullptr || p.get() == outbox;
                            }),
             list.end());
  if (list.empty()) outboxes_.erase(it);
}

std::size_t Hub::publish(MemberId member, const std::shared_ptr<const std::string>& frame) {
  if (t_hold != nullptr && &t_hold->hub_ == this) {
    t_hold->held_.emplace_back(member, frame);
    return 0;
  }
  std::vector<std::shared_ptr<Outbox>> targets;
  {
    std::lock_guard lock(mutex_);  // snapshot under the lock, deliver after releasing it
    auto it = outboxes_.find(member);
    if (it == outboxes_.end()) return 0;
    for (const auto& w : it->second) {
      if (auto p = w.lock()) targets.push_back(std::move(p));
    }
  }
  for (const auto& t : targets) t->deliver(frame);
  return targets.size();
}

bool Hub::online(MemberId member) const {
  std::lock_guard lock(mutex_);
  auto it = outboxes_.find(member);
  return it != outboxes_.end() &&
         std::any_of(it->second.begin(), it->second.end(), [](const auto& w) { return !w.expired(); });
}

void Hub::watch(ProgrammeId programme, MemberId member, const std::shared_ptr<Outbox>& outbox,
                std::optional<WatchLease> lease) {
  std::lock_guard lock(mutex_);
  auto& list = watchers_[programme];
  list.erase(std::remove_if(list.begin(), list.end(), [](const Watcher& w) { return w.outbox.expired(); }), list.end());
  for (const auto& w : list) {
    if (w.outbox.lock() == outbox) return;
  }
  list.push_back(Watcher{member, outbox, lease});
}

std::vector<Hub::Watching> Hub::watchers(ProgrammeId programme, TimeMs now) const {
  std::lock_guard lock(mutex_);
  std::vector<Watching> out;
  auto it = watchers_.find(programme);
  if (it == watchers_.end()) return out;
  for (const auto& w : it->second) {
    if (w.lease && w.lease->expires_at <= now) continue;
    if (auto p = w.outbox.lock()) out.push_back(Watching{w.member, std::move(p)});
  }
  return out;
}

std::size_t Hub::end_lease(const wire::Hash& session, std::uint16_t close_code, const std::string& reason) {
  std::vector<std::shared_ptr<Outbox>> ended;
  {
    std::lock_guard lock(mutex_);
    for (auto& [programme, list] : watchers_) {
      auto under_lease = [&](const Watcher& w) { return w.lease && w.lease->session == session; };
      for (const auto& w : list) {
        if (!under_lease(w)) continue;
        if (auto p = w.outbox.lock()) ended.push_back(std::move(p));
      }
      list.erase(std::remove_if(list.begin(), list.end(), under_lease), list.end());
    }
  }
  for (const auto& outbox : ended) outbox->end(close_code, reason);
  return ended.size();
}

}  // namespace mentorlink::server
