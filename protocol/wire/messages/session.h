#pragma once
// hello, enroll, login, whoami (PROTOCOL.md §4 and §6 "Session").

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/messages/views.h"

namespace mentorlink::wire::messages {

inline constexpr std::size_t kMaxInviteCodeBytes = 64;
inline constexpr std::size_t kMaxServerNameBytes = 200;
// Programmes one member can be in, as far as a client accepts in one answer.
inline constexpr std::size_t kMaxProgrammesPerMember = 10'000;

struct HelloResult {
  struct Limits {
    std::int64_t max_message_bytes = 0;
    std::int64_t idle_timeout_ms = 0;
    boost::json::object encode() const;
    static Result<Limits> decode(const boost::json::object& o);
  };
  std::int64_t version = 0;
  std::string server;
  Nonce challenge{};
  std::int64_t server_time = 0;
  Limits limits;
  boost::json::object encode() const;
  static Result<HelloResult> decode(const boost::json::object& o);
};

struct HelloRequest {
  static constexpr std::string_view kType = "hello";
  using Reply = HelloResult;
  std::int64_t version = kProtocolVersion;
  boost::json::object encode() const;
  static Result<HelloRequest> decode(const boost::json::object& o);
};

// enroll and login both answer with the member now logged in; enroll adds the programme the
// invite enrolled them into (absent for a bootstrap invite).
struct SignedInResult {
  MemberView member;
  std::optional<ProgrammeView> programme;
  boost::json::object encode() const;
  static Result<SignedInResult> decode(const boost::json::object& o);
};

struct EnrollRequest {
  static constexpr std::string_view kType = "enroll";
  using Reply = SignedInResult;
  std::string invite;
  IdentityKey identity_key{};
  Signature signature{};
  std::optional<std::string> name;
  boost::json::object encode() const;
  static Result<EnrollRequest> decode(const boost::json::object& o);
};

struct LoginRequest {
  static constexpr std::string_view kType = "login";
  using Reply = SignedInResult;
  IdentityKey identity_key{};
  Signature signature{};
  boost::json::object encode() const;
  static Result<LoginRequest> decode(const boost::json::object& o);
};

struct WhoamiResult {
  MemberView member;
  std::vector<ProgrammeView> programmes;
  boost::json::object encode() const;
  static Result<WhoamiResult> decode(const boost::json::object& o);
};

struct WhoamiRequest : EmptyBody<WhoamiResult> {
  static constexpr std::string_view kType = "whoami";
};

}  // namespace mentorlink::wire::messages
