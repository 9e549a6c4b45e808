#include "server/api/pair_content.h"

#include "server/api/lookups.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
using wire::ErrorCode;

Result<PairRecord> pair_for_content(Call& call, std::int64_t pair_id, ContentAccess access) {
  auto pair = call.server.store.pair_by_id(pair_id);
  if (!pair.is_ok()) return pair.status();
  if (!pair.value().has_member(call.member())) {
    auto enrolment = call.server.store.enrolment(pair.value().programme, call.member());
    if (!enrolment.is_ok()) return Status::error(ErrorCode::not_found, "no such pair", "pair");
  }
  auto allowed = access == ContentAccess::write ? policy::may_write_pair_content(pair.value(), call.member())
                                                : policy::may_use_pair_content(pair.value(), call.member());
  if (!allowed.is_ok()) return allowed;
  return pair;
}

MemberId partner_of(const PairRecord& pair, MemberId member) { return pair.mentor == member ? pair.mentee : pair.mentor; }

}  // namespace mentorlink::server::api
