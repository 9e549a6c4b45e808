#pragma once
// Forming and ending pairs: one active pair per mentor and mentee; a pair ends once.

#include "protocol/wire/status.h"
#include "server/store/store.h"

namespace mentorlink::server {

// conflict if the same mentor and mentee already have an active pair.
wire::Result<PairRecord> create_pair(PairStore& store, ProgrammeId programme, MemberId mentor, MemberId mentee,
                                     MemberId formed_by, TimeMs now);
// The pair as ended; conflict if it had already ended.
wire::Result<PairRecord> end_pair(Store& store, PairId id, MemberId ended_by, TimeMs now);

}  // namespace mentorlink::server
