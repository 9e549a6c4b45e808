#pragma once
// Issuing invites. The code is returned once and only its hash is stored.

#include <optional>
#include <string>

#include "server/core/clock.h"
#include "server/store/store.h"

namespace mentorlink::server {

// Everything redeeming an invite creates, in one transaction.
struct Redemption {
  MemberRecord member;
  std::optional<EnrolmentRecord> enrolment;  // empty for a bootstrap invite
};

struct IssuedInvite {
  std::string code;  // shown once to the inviter; never logged or stored
  InviteRecord record;
};

// valid_days must already be validated (1..kMaxInviteDays).
Result<IssuedInvite> issue_invite(Store& store, const Clock& clock, std::optional<ProgrammeId> programme,
                                  ProgrammeRole role, const std::string& display_name,
                                  std::optional<MemberId> created_by, std::int64_t valid_days);

// The operator's `bootstrap`: a coordinator invite with no programme, whose holder may create
// programmes. Earlier unused bootstrap invites are expired first, so only the newest works.
Result<IssuedInvite> issue_bootstrap_invite(Store& store, const Clock& clock, const std::string& display_name,
                                            std::int64_t valid_days);

// Atomically: the invite must be unused and unexpired at `now`; makes the member with
// `identity_key`, enrols them in the invite's programme, marks the invite used. Errors:
// invite_unknown, invite_used, invite_expired, identity_taken.
Result<Redemption> redeem_invite(Store& store, const wire::Hash& code_hash, const wire::IdentityKey& identity_key,
                                 TimeMs now);

}  // namespace mentorlink::server
