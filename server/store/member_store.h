#pragma once
// Members and the invites that make them.

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server {

class MemberStore {
 public:
  virtual ~MemberStore() = default;

  virtual wire::Result<MemberRecord> member_by_id(MemberId id) = 0;
  virtual wire::Result<MemberRecord> member_by_identity_key(const wire::IdentityKey& key) = 0;
  virtual wire::Result<bool> any_programme_creator() = 0;
  // Adds member and fills in its id; false (nothing stored) if its identity key is another member's.
  virtual wire::Result<bool> insert_member(MemberRecord& member) = 0;

  // Fills in invite.id.
  virtual wire::Status insert_invite(InviteRecord& invite) = 0;
  virtual wire::Result<InviteRecord> invite_by_hash(const wire::Hash& code_hash) = 0;
  // Marks every unused bootstrap invite as expired at `now`; returns how many.
  virtual wire::Result<int> expire_bootstrap_invites(TimeMs now) = 0;
  // Marks the invite used by member at now; false (nothing changed) if it was already used.
  virtual wire::Result<bool> mark_invite_used(std::int64_t invite, MemberId member, TimeMs now) = 0;
};

}  // namespace mentorlink::server
