#include "server/store/sqlite/message_index.h"

#include <algorithm>
#include <type_traits>

namespace mentorlink::server::sqlite {

void ClientIdTable::insert(ClientIdDigest digest, std::int64_t id) {
  if ((used_ + 1) * 10 > slots_.size() * 7) grow();  // at most 70 % full
  for (std::size_t i = digest & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
    Slot& s = slots_[i];
    if (s.id == kEmpty) {
      s = Slot{digest, id};
      ++live_;
      ++used_;
      return;
    }
  }
}

void ClientIdTable::erase(ClientIdDigest digest, std::int64_t id) {
  if (slots_.empty()) return;
  for (std::size_t i = digest & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
    Slot& s = slots_[i];
    if (s.id == kEmpty) return;
    if (s.id == id && s.digest == digest) {
      s.id = kErased;  // keeps the probe chains of later slots intact
      --live_;
      return;
    }
  }
}

void ClientIdTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  std::size_t size = 1024;
  while (live_ * 10 >= size * 4) size *= 2;  // at most 40 % full after growing
  slots_.assign(size, Slot{});
  live_ = 0;
  used_ = 0;
  for (const Slot& s : old) {
    if (s.id != kEmpty && s.id != kErased) insert(s.digest, s.id);
  }
}

std::int64_t MessageIndex::last_seq(PairId pair) const {
  const auto it = pairs_.find(pair);
  return it == pairs_.end() ? 0 : it->second.last_seq;
}

std::size_t MessageIndex::pending_count(MemberId recipient, PairId pair) const {
  const auto it = pending_.find({recipient, pair});
  return it == pending_.end() ? 0 : it->second.size();
}

std::int64_t MessageIndex::count_since(PairId pair, TimeMs since) const {
  const auto it = pairs_.find(pair);
  if (it == pairs_.end()) return 0;
  const auto& times = it->second.sent_at;
  return static_cast<std::int64_t>(times.end() - std::lower_bound(times.begin(), times.end(), since));
}

std::size_t MessageIndex::pending_total() const {
  std::size_t n = 0;
  for (const auto& [key, list] : pending_) n += list.size();
  return n;
}

void MessageIndex::insert_sent_at(PairState& state, TimeMs at) {
  if (state.sent_at.empty() || state.sent_at.back() <= at) {
    state.sent_at.push_back(at);
  } else {  // the clock went back
    state.sent_at.insert(std::upper_bound(state.sent_at.begin(), state.sent_at.end(), at), at);
  }
}

void MessageIndex::add_pair(PairId pair) {
  if (pairs_.emplace(pair, PairState{}).second) undo_.emplace_back(PairAdded{pair});
}

void MessageIndex::add(const Entry& entry) {
  PairState& state = pairs_[entry.pair];
  undo_.emplace_back(Added{entry, state.last_seq});
  state.last_seq = std::max(state.last_seq, entry.seq);
  insert_sent_at(state, entry.sent_at);
  client_ids_.insert(entry.digest, entry.id);
  if (entry.pending) pending_[{entry.recipient, entry.pair}].push_back(Pending{entry.seq, entry.id});
}

std::vector<std::int64_t> MessageIndex::acknowledge(MemberId recipient, PairId pair, std::int64_t up_to) {
  std::vector<std::int64_t> ids;
  const auto it = pending_.find({recipient, pair});
  if (it == pending_.end()) return ids;
  auto& list = it->second;
  Acknowledged record{recipient, pair, {}};
  while (!list.empty() && list.front().seq <= up_to) {
    ids.push_back(list.front().id);
    record.removed.push_back(list.front());
    list.pop_front();
  }
  if (list.empty()) pending_.erase(it);
  if (!record.removed.empty()) undo_.emplace_back(std::move(record));
  return ids;
}

void MessageIndex::load(const Entry& entry) {
  PairState& state = pairs_[entry.pair];
  state.last_seq = std::max(state.last_seq, entry.seq);
  state.sent_at.push_back(entry.sent_at);
  client_ids_.insert(entry.digest, entry.id);
  if (entry.pending) pending_[{entry.recipient, entry.pair}].push_back(Pending{entry.seq, entry.id});
}

void MessageIndex::finish_load() {
  for (auto& [pair, state] : pairs_) {
    if (!std::is_sorted(state.sent_at.begin(), state.sent_at.end())) std::sort(state.sent_at.begin(), state.sent_at.end());
  }
  const auto by_seq = [](const Pending& a, const Pending& b) { return a.seq < b.seq; };
  for (auto& [key, list] : pending_) {
    if (!std::is_sorted(list.begin(), list.end(), by_seq)) std::sort(list.begin(), list.end(), by_seq);
  }
  undo_.clear();
}

void MessageIndex::undo_to(std::size_t mark) {
  while (undo_.size() > mark) {
    std::visit(
        [this](auto& record) {
          using T = std::decay_t<decltype(record)>;
          if constexpr (std::is_same_v<T, PairAdded>) {
            pairs_.erase(record.pair);
          } else if constexpr (std::is_same_v<T, Added>) {
            const Entry& e = record.entry;
            PairState& state = pairs_[e.pair];
            state.last_seq = record.previous_last_seq;
            const auto at = std::lower_bound(state.sent_at.begin(), state.sent_at.end(), e.sent_at);
            if (at != state.sent_at.end() && *at == e.sent_at) state.sent_at.erase(at);
            client_ids_.erase(e.digest, e.id);
            if (e.pending) {
              const auto it = pending_.find({e.recipient, e.pair});
              if (it != pending_.end() && !it->second.empty() && it->second.back().id == e.id) {
                it->second.pop_back();
                if (it->second.empty()) pending_.erase(it);
              }
            }
          } else {
            auto& list = pending_[{record.recipient, record.pair}];
            list.insert(list.begin(), record.removed.begin(), record.removed.end());
          }
        },
        undo_.back());
    undo_.pop_back();
  }
}

}  // namespace mentorlink::server::sqlite
