#include "server/services/invites.h"

#include "protocol/wire/signatures.h"

namespace mentorlink::server {

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

}  // namespace mentorlink::server
