#include "protocol/wire/status.h"

#include <array>

namespace mentorlink::wire {
namespace {

struct Name {
  ErrorCode code;
  std::string_view name;
};

constexpr std::array kNames{
    Name{ErrorCode::ok, "ok"},
    Name{ErrorCode::malformed, "malformed"},
    Name{ErrorCode::unknown_type, "unknown_type"},
    Name{ErrorCode::missing_field, "missing_field"},
    Name{ErrorCode::invalid_field, "invalid_field"},
    Name{ErrorCode::unsupported_version, "unsupported_version"},
    Name{ErrorCode::hello_required, "hello_required"},
    Name{ErrorCode::not_authenticated, "not_authenticated"},
    Name{ErrorCode::already_authenticated, "already_authenticated"},
    Name{ErrorCode::bad_signature, "bad_signature"},
    Name{ErrorCode::unknown_identity, "unknown_identity"},
    Name{ErrorCode::identity_taken, "identity_taken"},
    Name{ErrorCode::invite_unknown, "invite_unknown"},
    Name{ErrorCode::invite_expired, "invite_expired"},
    Name{ErrorCode::invite_used, "invite_used"},
    Name{ErrorCode::invite_name_mismatch, "invite_name_mismatch"},
    Name{ErrorCode::forbidden, "forbidden"},
    Name{ErrorCode::not_found, "not_found"},
    Name{ErrorCode::conflict, "conflict"},
    Name{ErrorCode::rate_limited, "rate_limited"},
    Name{ErrorCode::quota_exceeded, "quota_exceeded"},
    Name{ErrorCode::internal, "internal"},
    Name{ErrorCode::unavailable, "unavailable"},
};

}  // namespace

std::string_view to_string(ErrorCode code) noexcept {
  for (const auto& n : kNames) {
    if (n.code == code) return n.name;
  }
  return "internal";
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept {
  for (const auto& n : kNames) {
    if (n.name == name) return n.code;
  }
  return std::nullopt;
}

}  // namespace mentorlink::wire
