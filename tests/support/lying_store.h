#pragma once
// A server that lies about documents (SECURITY.md attack 24): the in-process server's own SQLite
// store, except that it answers document.open and document.list with documents the test chose
// instead of the ones asked for. Everything else, and every check the handlers make, is real.

#include <map>
#include <mutex>
#include <utility>

#include "server/store/sqlite/sqlite_store.h"

namespace mentorlink::test {

class LyingStore final : public server::SqliteStore {
 public:
  using SqliteStore::SqliteStore;

  // document.open for this pair and kind answers with document `instead`.
  void answer_open_with(server::PairId pair, wire::DocumentKind kind, server::DocumentId instead) {
    std::lock_guard lock(mu_);
    open_[{pair, kind}] = instead;
  }
  // document.list for pair `asked` lists the documents of pair `shown`.
  void list_documents_of(server::PairId asked, server::PairId shown) {
    std::lock_guard lock(mu_);
    list_[asked] = shown;
  }

  wire::Result<server::Written<server::DocumentRecord>> open_document(const server::DocumentRecord& identity,
                                                                      server::TimeMs now,
                                                                      std::int64_t max_documents) override {
    std::optional<server::DocumentId> instead;
    {
      std::lock_guard lock(mu_);
      if (auto it = open_.find({identity.pair, identity.kind}); it != open_.end()) instead = it->second;
    }
    if (instead) {
      auto other = document_by_id(*instead);
      if (!other.is_ok()) return other.status();
      return server::Written<server::DocumentRecord>{std::move(other.value())};
    }
    return SqliteStore::open_document(identity, now, max_documents);
  }

  wire::Result<std::vector<server::DocumentRecord>> documents_of_pair(server::PairId pair) override {
    server::PairId shown = pair;
    {
      std::lock_guard lock(mu_);
      if (auto it = list_.find(pair); it != list_.end()) shown = it->second;
    }
    return SqliteStore::documents_of_pair(shown);
  }

 private:
  std::mutex mu_;
  std::map<std::pair<server::PairId, wire::DocumentKind>, server::DocumentId> open_;
  std::map<server::PairId, server::PairId> list_;
};

}  // namespace mentorlink::test
