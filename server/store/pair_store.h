#pragma once
// Mentor–mentee pairs.

#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"
#include "server/store/refusal.h"

namespace mentorlink::server {

class PairStore {
 public:
  virtual ~PairStore() = default;

  // Refused with pair_exists while the same mentor and mentee have an active pair.
  virtual wire::Result<Written<PairRecord>> insert_pair(ProgrammeId programme, MemberId mentor, MemberId mentee,
                                                        MemberId formed_by, TimeMs now) = 0;
  virtual wire::Result<PairRecord> pair_by_id(PairId id) = 0;
  virtual wire::Result<std::vector<PairRecord>> pairs_in(ProgrammeId programme) = 0;
  virtual wire::Result<std::vector<PairRecord>> active_pairs_of_member(MemberId member) = 0;
  // Records the end; false (nothing changed) if the pair had already ended.
  virtual wire::Result<bool> mark_pair_ended(PairId id, MemberId ended_by, TimeMs now) = 0;
};

}  // namespace mentorlink::server
