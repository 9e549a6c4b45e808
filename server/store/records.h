#pragma once
// Rows the store keeps. Metadata and public keys only: the server never stores content keys.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/wire/bytes.h"
#include "server/core/clock.h"

namespace mentorlink::server {

using MemberId = std::int64_t;
using ProgrammeId = std::int64_t;
using PairId = std::int64_t;

enum class ProgrammeRole { coordinator, participant };

std::string_view to_string(ProgrammeRole role) noexcept;
std::optional<ProgrammeRole> programme_role_from_string(std::string_view s) noexcept;

struct MemberRecord {
  MemberId id = 0;
  wire::IdentityKey identity_key{};
  std::string display_name;
  bool may_create_programmes = false;  // only the operator's bootstrap coordinators
  TimeMs created_at = 0;
};

// An invite is for a new member. programme is empty only for a bootstrap invite, which makes a
// coordinator who may create programmes.
struct InviteRecord {
  std::int64_t id = 0;
  wire::Hash code_hash{};
  std::optional<ProgrammeId> programme;
  ProgrammeRole role = ProgrammeRole::participant;
  std::string display_name;
  std::optional<MemberId> created_by;
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
  std::optional<TimeMs> used_at;
  std::optional<MemberId> used_by;
};

struct ProgrammeRecord {
  ProgrammeId id = 0;
  std::string name;
  std::string purpose;
  MemberId created_by = 0;
  TimeMs created_at = 0;
};

// A member as seen inside one programme.
struct EnrolmentRecord {
  ProgrammeId programme = 0;
  MemberId member = 0;
  std::string display_name;
  ProgrammeRole role = ProgrammeRole::participant;
  TimeMs joined_at = 0;
};

struct PairRecord {
  PairId id = 0;
  ProgrammeId programme = 0;
  MemberId mentor = 0;
  MemberId mentee = 0;
  TimeMs formed_at = 0;
  MemberId formed_by = 0;
  std::optional<TimeMs> ended_at;
  std::optional<MemberId> ended_by;

  bool active() const { return !ended_at.has_value(); }
  bool has_member(MemberId m) const { return m == mentor || m == mentee; }
};

}  // namespace mentorlink::server
