#include "server/core/hub.h"

#include <algorithm>

namespace mentorlink::server {

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

}  // namespace mentorlink::server
