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
  for (const auto& publication : held) publication();
  t_hold = self;
}

bool Hub::held(std::function<void()> f) {
  if (t_hold == nullptr || &t_hold->hub_ != this) return false;
  t_hold->held_.push_back(std::move(f));
  return true;
}

void Hub::relay(const bus::Poke& p) {
  if (!shared()) return;
  if (held([this, p] { relay(p); })) return;
  bus::Poke out = p;
  out.node = bus_->node();
  bus_->publish(out);
}

void Hub::attach(MemberId member, const std::shared_ptr<Outbox>& outbox) {
  {
    std::lock_guard lock(mutex_);
    outboxes_[member].push_back(outbox);
  }
  relay(bus::Poke{.kind = bus::PokeKind::online, .members = {member}});
}

void Hub::detach(MemberId member, const Outbox* outbox) {
  {
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
    if (!list.empty()) return;
    outboxes_.erase(it);
  }
  relay(bus::Poke{.kind = bus::PokeKind::offline, .members = {member}});
}

std::size_t Hub::publish(MemberId member, const std::shared_ptr<const std::string>& frame) {
  if (held([this, member, frame] { publish(member, frame); })) return 0;
  if (shared()) relay(bus::Poke{.kind = bus::PokeKind::event, .members = {member}, .frame = *frame});
  return deliver_here(member, frame);
}

std::size_t Hub::deliver_here(MemberId member, const std::shared_ptr<const std::string>& frame) {
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

void Hub::publish_envelope(MemberId member, PairId pair, std::int64_t seq,
                           const std::shared_ptr<const std::string>& frame) {
  if (held([this, member, pair, seq, frame] { publish_envelope(member, pair, seq, frame); })) return;
  if (shared()) {
    relay(bus::Poke{.kind = bus::PokeKind::envelopes, .members = {member}, .pair = pair, .seq = seq});
    return;
  }
  push_envelopes(member, pair, seq - 1, {{seq, frame}});
}

std::optional<std::int64_t> Hub::lowest_cursor(MemberId member, PairId pair, std::int64_t unseen) const {
  std::lock_guard lock(mutex_);
  auto it = outboxes_.find(member);
  if (it == outboxes_.end()) return std::nullopt;
  std::optional<std::int64_t> lowest;
  for (const auto& w : it->second) {
    auto p = w.lock();
    if (p == nullptr) continue;
    const auto seen = p->delivery_cursor() ? p->delivery_cursor()->get(pair).value_or(unseen) : unseen;
    lowest = std::min(lowest.value_or(seen), seen);
  }
  return lowest;
}

void Hub::push_envelopes(MemberId member, PairId pair, std::int64_t unseen,
                         const std::vector<std::pair<std::int64_t, std::shared_ptr<const std::string>>>& envelopes) {
  // Under the lock, so that two pushes to one connection cannot overtake each other; deliver()
  // only queues the frame.
  std::lock_guard lock(mutex_);
  auto it = outboxes_.find(member);
  if (it == outboxes_.end()) return;
  for (const auto& w : it->second) {
    auto p = w.lock();
    if (p == nullptr) continue;
    if (p->delivery_cursor() == nullptr) {  // keeps no cursor: takes every push
      for (const auto& envelope : envelopes) p->deliver(envelope.second);
      continue;
    }
    auto& cursor = *p->delivery_cursor();
    if (!cursor.get(pair)) cursor.advance(pair, unseen);
    for (const auto& [seq, frame] : envelopes) {
      if (cursor.advance(pair, seq)) p->deliver(frame);
    }
  }
}

std::vector<MemberId> Hub::members_here() const {
  std::lock_guard lock(mutex_);
  std::vector<MemberId> out;
  for (const auto& [member, list] : outboxes_) {
    if (std::any_of(list.begin(), list.end(), [](const auto& w) { return !w.expired(); })) out.push_back(member);
  }
  return out;
}

bool Hub::online_here_locked(MemberId member) const {
  auto it = outboxes_.find(member);
  return it != outboxes_.end() &&
         std::any_of(it->second.begin(), it->second.end(), [](const auto& w) { return !w.expired(); });
}

bool Hub::online(MemberId member) const {
  std::lock_guard lock(mutex_);
  if (online_here_locked(member)) return true;
  auto it = elsewhere_.find(member);
  if (it == elsewhere_.end()) return false;
  const auto now = Steady::now();
  return std::any_of(it->second.begin(), it->second.end(), [&](const auto& entry) { return entry.second > now; });
}

void Hub::online_elsewhere(std::int64_t node, const std::vector<MemberId>& members, std::chrono::milliseconds ttl) {
  const auto until = Steady::now() + ttl;
  std::lock_guard lock(mutex_);
  for (const auto m : members) elsewhere_[m][node] = until;
}

void Hub::offline_elsewhere(std::int64_t node, const std::vector<MemberId>& members) {
  std::lock_guard lock(mutex_);
  for (const auto m : members) {
    auto it = elsewhere_.find(m);
    if (it == elsewhere_.end()) continue;
    it->second.erase(node);
    if (it->second.empty()) elsewhere_.erase(it);
  }
}

std::vector<MemberId> Hub::expire_elsewhere() {
  const auto now = Steady::now();
  std::vector<MemberId> gone;
  std::lock_guard lock(mutex_);
  for (auto it = elsewhere_.begin(); it != elsewhere_.end();) {
    std::erase_if(it->second, [&](const auto& entry) { return entry.second <= now; });
    if (!it->second.empty()) {
      ++it;
      continue;
    }
    if (!online_here_locked(it->first)) gone.push_back(it->first);
    it = elsewhere_.erase(it);
  }
  return gone;
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
  relay(bus::Poke{.kind = bus::PokeKind::lease_ended, .session = session, .close_code = close_code});
  return end_lease_here(session, close_code, reason);
}

std::size_t Hub::end_lease_here(const wire::Hash& session, std::uint16_t close_code, const std::string& reason) {
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
