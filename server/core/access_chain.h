#pragma once
// Each pair's access log (PROTOCOL.md §15): entries numbered from 1 per pair, each hashed over its
// fields and the previous entry's hash, so an entry cannot be dropped, changed or reordered unnoticed.

#include <vector>

#include "protocol/wire/status.h"
#include "server/store/store.h"

namespace mentorlink::server {

// Appends each entry to its pair's log, all in one transaction; fills in seq, previous and hash.
// Nothing is appended unless everything is.
wire::Status append_access(Store& store, std::vector<AccessRecord>& entries);

}  // namespace mentorlink::server
