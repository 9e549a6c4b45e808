#pragma once
// Loading a pair for a request about its content, with the content rules applied.

#include "server/api/handler.h"

namespace mentorlink::server::api {

enum class ContentAccess { read, write };

// The pair pair_id, if the caller may read (or write) its content. Someone outside the pair's
// programme gets not_found, so pair ids reveal nothing.
Result<PairRecord> pair_for_content(Call& call, std::int64_t pair_id, ContentAccess access);

MemberId partner_of(const PairRecord& pair, MemberId member);

}  // namespace mentorlink::server::api
