#include "server/store/records.h"

namespace mentorlink::server {

std::string_view to_string(ProgrammeRole role) noexcept {
  return role == ProgrammeRole::coordinator ? "coordinator" : "participant";
}

std::optional<ProgrammeRole> programme_role_from_string(std::string_view s) noexcept {
  if (s == "coordinator") return ProgrammeRole::coordinator;
  if (s == "participant") return ProgrammeRole::participant;
  return std::nullopt;
}

}  // namespace mentorlink::server

namespace mentorlink::server {

std::string_view to_string(MeetingStatus status) noexcept {
  switch (status) {
    case MeetingStatus::scheduled: return "scheduled";
    case MeetingStatus::cancelled: return "cancelled";
    case MeetingStatus::started: return "started";
    case MeetingStatus::ended: return "ended";
  }
  return "scheduled";
}

}  // namespace mentorlink::server
