#include "server/services/invites.h"

#include "protocol/wire/signatures.h"

namespace mentorlink::server {
using wire::ErrorCode;

namespace {
constexpr TimeMs kDayMs = 24LL * 60 * 60 * 1000;
}

Result<IssuedInvite> issue_invite(Store& store, const Clock& clock, std::optional<ProgrammeId> programme,
                                  ProgrammeRole role, const std::string& display_name,
                                  std::optional<MemberId> created_by, std::int64_t valid_days) {
  IssuedInvite out;
  out.code = wire::new_invite_code();
  out.record.code_hash = wire::invite_code_hash(out.code);
  out.record.programme = programme;
  out.record.role = role;
  out.record.display_name = display_name;
  out.record.created_by = created_by;
  out.record.created_at = clock.now_ms();
  out.record.expires_at = out.record.created_at + valid_days * kDayMs;
  if (auto s = store.insert_invite(out.record); !s.is_ok()) return s;
  return out;
}

Result<IssuedInvite> issue_bootstrap_invite(Store& store, const Clock& clock, const std::string& display_name,
                                            std::int64_t valid_days) {
  if (auto expired = store.expire_bootstrap_invites(clock.now_ms()); !expired.is_ok()) return expired.status();
  return issue_invite(store, clock, std::nullopt, ProgrammeRole::coordinator, display_name, std::nullopt, valid_days);
}

Result<Redemption> redeem_invite(Store& store, const wire::Hash& code_hash, const wire::IdentityKey& identity_key,
                                 TimeMs now) {
  return all_or_nothing<Redemption>(store, [&]() -> Result<Redemption> {
    auto found = store.invite_by_hash(code_hash);
    if (!found.is_ok()) {
      if (found.status().code() != ErrorCode::not_found) return found.status();
      return Status::error(ErrorCode::invite_unknown, "this invite code is not known to the server", "invite");
    }
    const InviteRecord& invite = found.value();
    if (invite.used_at) return Status::error(ErrorCode::invite_used, "this invite has already been used", "invite");
    if (invite.expires_at <= now) return Status::error(ErrorCode::invite_expired, "this invite has expired", "invite");

    Redemption out;
    out.member.identity_key = identity_key;
    out.member.display_name = invite.display_name;
    out.member.may_create_programmes = !invite.programme.has_value();  // only a bootstrap invite
    out.member.created_at = now;
    auto inserted = store.insert_member(out.member);
    if (!inserted.is_ok()) return inserted.status();
    if (!inserted.value()) {
      return Status::error(ErrorCode::identity_taken, "this identity key already belongs to a member", "identity_key");
    }
    if (invite.programme) {
      out.enrolment = EnrolmentRecord{*invite.programme, out.member.id, out.member.display_name, invite.role, now};
      if (auto s = store.insert_enrolment(*out.enrolment); !s.is_ok()) return s;
    }
    auto marked = store.mark_invite_used(invite.id, out.member.id, now);
    if (!marked.is_ok()) return marked.status();
    if (!marked.value()) return Status::error(ErrorCode::invite_used, "this invite has already been used", "invite");
    return out;
  });
}

}  // namespace mentorlink::server
