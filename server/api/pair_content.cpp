#include "server/api/pair_content.h"

#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
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

Result<PairRecord> pair_for_content(Call& call, ContentAccess access) {
  wire::FieldReader in(call.request.body);
  const auto pair_id = in.integer("pair", 1, wire::kMaxId);
  if (!in.ok()) return in.status();
  return pair_for_content(call, pair_id, access);
}

MemberId partner_of(const PairRecord& pair, MemberId member) { return pair.mentor == member ? pair.mentee : pair.mentor; }

}  // namespace mentorlink::server::api
