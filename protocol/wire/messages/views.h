#pragma once
// Views of records that appear inside many results and events (PROTOCOL.md §6 "Views used in
// results"): member, enrolment, programme, pair, and a person's id and name.

#include <optional>
#include <string>

#include "protocol/wire/bytes.h"
#include "protocol/wire/messages/codec.h"

namespace mentorlink::wire::messages {

struct PersonView {
  std::int64_t id = 0;
  std::string name;  // "" when the server no longer knows it
  boost::json::object encode() const;
  static Result<PersonView> decode(const boost::json::object& o);
};

struct MemberView {
  std::int64_t id = 0;
  std::string name;
  IdentityKey identity_key{};
  bool may_create_programmes = false;
  std::int64_t created_at = 0;
  boost::json::object encode() const;
  static Result<MemberView> decode(const boost::json::object& o);
};

struct EnrolmentView {
  std::int64_t id = 0;  // the member
  std::string name;
  std::string role;  // "coordinator" | "participant"
  std::int64_t joined_at = 0;
  boost::json::object encode() const;
  static Result<EnrolmentView> decode(const boost::json::object& o);
};

struct ProgrammeView {
  std::int64_t id = 0;
  std::string name;
  std::string purpose;  // may be ""
  std::int64_t created_at = 0;
  std::int64_t cadence_days = 0;      // 1..kMaxCadenceDays
  std::int64_t min_held_minutes = 0;  // 1..kMaxMinHeldMinutes
  std::optional<std::string> your_role;  // "coordinator" | "participant"
  boost::json::object encode() const;
  static Result<ProgrammeView> decode(const boost::json::object& o);
};

struct PairView {
  std::int64_t id = 0;
  std::int64_t programme = 0;
  PersonView mentor;
  PersonView mentee;
  std::int64_t formed_at = 0;
  std::string status;  // "active" | "ended"
  std::optional<std::int64_t> ended_at;
  std::optional<std::string> your_role;  // "mentor" | "mentee"
  boost::json::object encode() const;
  static Result<PairView> decode(const boost::json::object& o);

  // The other member, seen from your_role (nullopt when the viewer is in neither role).
  std::optional<PersonView> partner() const;
};

}  // namespace mentorlink::wire::messages
