#pragma once
// Error values shared by the server, the client and the wire format.
// Every ErrorCode has a stable lowercase name that appears on the wire (see PROTOCOL.md).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mentorlink::wire {

enum class ErrorCode {
  ok,
  malformed,            // frame is not a JSON object
  unknown_type,         // request type not known to this server
  missing_field,        // a required field is absent
  invalid_field,        // a field has the wrong JSON type, size or format
  unsupported_version,  // hello names a protocol version the server does not speak
  hello_required,       // a request arrived before hello
  not_authenticated,    // request needs a logged-in member
  already_authenticated,
  bad_signature,        // a signature did not verify
  unknown_identity,     // login with an identity key no member has
  identity_taken,       // enrol with an identity key that already belongs to a member
  invite_unknown,
  invite_expired,
  invite_used,
  invite_name_mismatch,
  forbidden,            // authenticated, but this member may not do this
  not_found,
  conflict,             // the request contradicts current state (e.g. pair already ended)
  rate_limited,         // too many attempts in a time window (a rate)
  quota_exceeded,       // a stored amount reached its configured maximum (a quota)
  internal,
  unavailable,          // the server's database cannot be reached for now; nothing was changed, retry later
};

[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;
[[nodiscard]] std::optional<ErrorCode> error_code_from_string(std::string_view name) noexcept;

// A success, or an error code with a sentence for a person and optionally the offending field.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return {}; }
  static Status error(ErrorCode code, std::string message, std::string field = {}) {
    return Status(code, std::move(message), std::move(field));
  }

  bool is_ok() const noexcept { return code_ == ErrorCode::ok; }
  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& field() const noexcept { return field_; }

 private:
  Status(ErrorCode code, std::string message, std::string field)
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
  std::string field_;
};

// A value of T or an error Status. Accessing value() of an error is a programming error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool is_ok() const noexcept { return std::holds_alternative<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Status& status() const { return std::get<Status>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace mentorlink::wire
