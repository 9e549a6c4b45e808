#pragma once
// programme.create, programme.update, programme.list, invite.create, member.list
// (PROTOCOL.md §6 "Programmes").

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/messages/views.h"

namespace mentorlink::wire::messages {

// Members of one programme a client accepts in one answer.
inline constexpr std::size_t kMaxMembersPerProgramme = 100'000;
inline constexpr std::size_t kMaxProgrammesPerList = 10'000;

struct ProgrammeResult {
  ProgrammeView programme;
  boost::json::object encode() const;
  static Result<ProgrammeResult> decode(const boost::json::object& o);
};

struct ProgrammeCreateRequest {
  static constexpr std::string_view kType = "programme.create";
  using Reply = ProgrammeResult;
  std::string name;
  std::optional<std::string> purpose;
  std::optional<std::int64_t> cadence_days;      // server default 21
  std::optional<std::int64_t> min_held_minutes;  // server default 10
  boost::json::object encode() const;
  static Result<ProgrammeCreateRequest> decode(const boost::json::object& o);
};

struct ProgrammeListResult {
  std::vector<ProgrammeView> programmes;
  boost::json::object encode() const;
  static Result<ProgrammeListResult> decode(const boost::json::object& o);
};

struct ProgrammeListRequest : EmptyBody<ProgrammeListResult> {
  static constexpr std::string_view kType = "programme.list";
};

// Changes the settings that are set (at least one); the others stay as they are.
struct ProgrammeUpdateRequest {
  static constexpr std::string_view kType = "programme.update";
  using Reply = ProgrammeResult;
  std::int64_t programme = 0;
  std::optional<std::int64_t> cadence_days;
  std::optional<std::int64_t> min_held_minutes;
  boost::json::object encode() const;
  static Result<ProgrammeUpdateRequest> decode(const boost::json::object& o);
};

struct InviteCreateResult {
  std::string code;
  std::int64_t programme = 0;
  std::string role;
  std::string name;
  std::int64_t expires_at = 0;
  boost::json::object encode() const;
  static Result<InviteCreateResult> decode(const boost::json::object& o);
};

struct InviteCreateRequest {
  static constexpr std::string_view kType = "invite.create";
  using Reply = InviteCreateResult;
  std::int64_t programme = 0;
  std::string role;
  std::string name;
  std::optional<std::int64_t> valid_days;
  boost::json::object encode() const;
  static Result<InviteCreateRequest> decode(const boost::json::object& o);
};

struct MemberListResult {
  std::int64_t programme = 0;
  std::vector<EnrolmentView> members;
  boost::json::object encode() const;
  static Result<MemberListResult> decode(const boost::json::object& o);
};

struct MemberListRequest {
  static constexpr std::string_view kType = "member.list";
  using Reply = MemberListResult;
  std::int64_t programme = 0;
  boost::json::object encode() const;
  static Result<MemberListRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
