#include "server/core/access_chain.h"

#include "protocol/wire/access_log.h"

namespace mentorlink::server {
using wire::Status;

namespace {

// Nodes sharing one store may append to one pair's log at once: the store refuses the second
// entry with a taken (pair, seq), and the append is tried again on the new last entry.
constexpr int kAppendAttempts = 4;

Status append_once(Store& store, std::vector<AccessRecord>& entries) {
  return store.all_or_nothing([&]() -> Status {
    for (auto& e : entries) {
      auto last = store.last_access(e.pair);
      if (!last.is_ok()) return last.status();
      e.seq = last.value() ? last.value()->seq + 1 : 1;
      e.previous = last.value() ? last.value()->hash : wire::Hash{};
      e.hash = wire::access_entry_hash({static_cast<std::uint64_t>(e.pair), static_cast<std::uint64_t>(e.seq),
                                        static_cast<std::uint64_t>(e.coordinator), e.at, e.what, e.fields, e.previous});
      if (auto s = store.insert_access(e); !s.is_ok()) return s;
    }
    return Status::ok();
  });
}

}  // namespace

Status append_access(Store& store, std::vector<AccessRecord>& entries) {
  Status status = append_once(store, entries);
  for (int attempt = 1; attempt < kAppendAttempts && !status.is_ok(); ++attempt) status = append_once(store, entries);
  return status;
}

}  // namespace mentorlink::server
