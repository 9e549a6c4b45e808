#include "server/core/pairs.h"

#include "server/core/refusals.h"

namespace mentorlink::server {
using wire::ErrorCode;
using wire::Result;
using wire::Status;

Result<PairRecord> create_pair(PairStore& store, ProgrammeId programme, MemberId mentor, MemberId mentee,
                               MemberId formed_by, TimeMs now) {
  return accepted(store.insert_pair(programme, mentor, mentee, formed_by, now));
}

Result<PairRecord> end_pair(Store& store, PairId id, MemberId ended_by, TimeMs now) {
  return all_or_nothing<PairRecord>(store, [&]() -> Result<PairRecord> {
    auto ended = store.mark_pair_ended(id, ended_by, now);
    if (!ended.is_ok()) return ended.status();
    if (!ended.value()) {
      auto existing = store.pair_by_id(id);
      if (!existing.is_ok()) return existing.status();
      return Status::error(ErrorCode::conflict, "this pair has already ended", "pair");
    }
    return store.pair_by_id(id);
  });
}

}  // namespace mentorlink::server
