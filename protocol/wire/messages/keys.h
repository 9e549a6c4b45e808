#pragma once
// keys.publish, keys.fetch, keys.status, keys.identity (PROTOCOL.md §6 "Keys", §12.1).

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/messages/codec.h"
#include "protocol/wire/prekeys.h"

namespace mentorlink::wire::messages {

inline constexpr std::int64_t kMaxPrekeyId = 0xFFFFFFFE;
inline constexpr std::size_t kMaxOneTimePrekeysPerPublish = 200;

struct SignedPrekeyBody {
  SignedPrekey value;
  boost::json::object encode() const;
  static Result<SignedPrekeyBody> decode(const boost::json::object& o);
};

struct OneTimePrekeyBody {
  OneTimePrekey value;
  boost::json::object encode() const;
  static Result<OneTimePrekeyBody> decode(const boost::json::object& o);
};

// keys.publish and keys.status answer with the device's supply of one-time prekeys.
struct KeysStatusResult {
  std::int64_t device = 0;
  std::int64_t one_time_prekeys = 0;
  bool low = false;
  boost::json::object encode() const;
  static Result<KeysStatusResult> decode(const boost::json::object& o);
};

struct KeysPublishRequest {
  static constexpr std::string_view kType = "keys.publish";
  using Reply = KeysStatusResult;
  std::int64_t device = 1;
  DhPublicKey identity_dh_key{};
  Signature identity_dh_signature{};
  SignedPrekey signed_prekey;
  std::vector<OneTimePrekey> one_time_prekeys;  // absent on the wire means none
  boost::json::object encode() const;
  // At most max_one_time_prekeys one-time prekeys (the server's limit).
  static Result<KeysPublishRequest> decode(const boost::json::object& o,
                                           std::size_t max_one_time_prekeys = kMaxOneTimePrekeysPerPublish);
};

struct KeysStatusRequest {
  static constexpr std::string_view kType = "keys.status";
  using Reply = KeysStatusResult;
  std::optional<std::int64_t> device;
  boost::json::object encode() const;
  static Result<KeysStatusRequest> decode(const boost::json::object& o);
};

struct KeysFetchResult {
  std::int64_t member = 0;  // whose bundle it is, as the server says
  PrekeyBundle bundle;
  boost::json::object encode() const;
  static Result<KeysFetchResult> decode(const boost::json::object& o);
};

struct KeysFetchRequest {
  static constexpr std::string_view kType = "keys.fetch";
  using Reply = KeysFetchResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<KeysFetchRequest> decode(const boost::json::object& o);
};

struct KeysIdentityResult {
  std::int64_t pair = 0;
  std::int64_t member = 0;
  std::string name;
  IdentityKey identity_key{};
  boost::json::object encode() const;
  static Result<KeysIdentityResult> decode(const boost::json::object& o);
};

struct KeysIdentityRequest {
  static constexpr std::string_view kType = "keys.identity";
  using Reply = KeysIdentityResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<KeysIdentityRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
