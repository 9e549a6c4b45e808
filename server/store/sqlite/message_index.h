#pragma once
// What the message path finds by pair or by recipient, kept in memory and rebuilt at start from
// one scan of the envelope log (SqliteStore::load_message_index): each pair's newest sequence
// number and send times, which (pair, sender, client_id) was stored under which log id, and each
// recipient's unacknowledged envelopes per pair. The SQLite tables hold only the log and the
// bodies, appended in commit order.
//
// Every change is recorded so that a rolled-back transaction or savepoint takes it back
// (mark / undo_to); the owner forgets the record when the outermost transaction commits.
// Not thread-safe: SqliteStore's mutex guards it.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "server/store/ids.h"

namespace mentorlink::server::sqlite {

// A keyed 64-bit digest of (pair, sender, client_id); equal digests are only candidates, which
// the store checks against the log row.
using ClientIdDigest = std::uint64_t;

// Log ids (the log table's INTEGER PRIMARY KEY) by digest; several ids may share one.
class ClientIdTable {
 public:
  void insert(ClientIdDigest digest, std::int64_t id);
  // Removes (digest, id) if present.
  void erase(ClientIdDigest digest, std::int64_t id);
  template <class Visit>
  void for_each(ClientIdDigest digest, Visit&& visit) const {
    if (slots_.empty()) return;
    for (std::size_t i = digest & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const Slot& s = slots_[i];
      if (s.id == kEmpty) return;
      if (s.id != kErased && s.digest == digest) visit(s.id);
    }
  }
  std::size_t size() const { return live_; }
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  static constexpr std::int64_t kEmpty = 0;  // log ids start at 1
  static constexpr std::int64_t kErased = -1;
  struct Slot {
    ClientIdDigest digest = 0;
    std::int64_t id = kEmpty;
  };
  void grow();
  std::vector<Slot> slots_;  // open addressing, linear probing; size a power of two
  std::size_t live_ = 0;
  std::size_t used_ = 0;  // live and erased
};

class MessageIndex {
 public:
  struct Pending {
    std::int64_t seq;
    std::int64_t id;  // log id
  };
  // One envelope as the index knows it.
  struct Entry {
    PairId pair;
    std::int64_t seq;
    MemberId recipient;
    std::int64_t id;
    TimeMs sent_at;
    ClientIdDigest digest;
    bool pending;  // its body is still stored
  };

  // Whether the pair is known (has been seen by add_pair or add).
  bool knows_pair(PairId pair) const { return pairs_.count(pair) != 0; }
  // The pair's newest sequence number; 0 before its first envelope.
  std::int64_t last_seq(PairId pair) const;
  // How many of recipient's envelopes in pair are unacknowledged.
  std::size_t pending_count(MemberId recipient, PairId pair) const;
  // Envelopes sent in pair at or after since.
  std::int64_t count_since(PairId pair, TimeMs since) const;
  const ClientIdTable& client_ids() const { return client_ids_; }
  // recipient's unacknowledged envelopes, by pair then seq: visit(pair, pending) until it returns false.
  template <class Visit>
  void for_each_pending(MemberId recipient, Visit&& visit) const {
    for (auto it = pending_.lower_bound({recipient, PairId{0}}); it != pending_.end() && it->first.first == recipient;
         ++it) {
      if (!visit(it->first.second, it->second)) return;
    }
  }

  void add_pair(PairId pair);
  void add(const Entry& entry);
  // Removes recipient's envelopes in pair with seq <= up_to from the pending list; returns their log ids.
  std::vector<std::int64_t> acknowledge(MemberId recipient, PairId pair, std::int64_t up_to);

  // Start-up only: adds an envelope read from the log without an undo record, in any order;
  // finish_load() then sorts what must be sorted.
  void load(const Entry& entry);
  void finish_load();

  std::size_t mark() const { return undo_.size(); }
  void undo_to(std::size_t mark);
  void forget_undo() { undo_.clear(); }

  std::size_t envelopes() const { return client_ids_.size(); }
  std::size_t pending_total() const;

 private:
  struct PairState {
    std::int64_t last_seq = 0;
    std::vector<TimeMs> sent_at;  // ascending
  };
  struct PairAdded {
    PairId pair;
  };
  struct Added {
    Entry entry;
    std::int64_t previous_last_seq;
  };
  struct Acknowledged {
    MemberId recipient;
    PairId pair;
    std::vector<Pending> removed;  // in seq order
  };
  using Undo = std::variant<PairAdded, Added, Acknowledged>;

  void insert_sent_at(PairState& state, TimeMs at);

  std::unordered_map<PairId, PairState> pairs_;
  std::map<std::pair<MemberId, PairId>, std::deque<Pending>> pending_;  // by recipient then pair; never empty
  ClientIdTable client_ids_;
  std::vector<Undo> undo_;
};

}  // namespace mentorlink::server::sqlite
