#pragma once
// message.send, message.sync, message.ack, presence.get and the envelope (PROTOCOL.md §6
// "Messages"). An envelope's body is ciphertext (§12.4); nothing here reads it.

#include <optional>
#include <vector>

#include "protocol/wire/bytes.h"
#include "protocol/wire/messages/codec.h"

namespace mentorlink::wire::messages {

inline constexpr std::size_t kClientIdBytes = 16;
inline constexpr std::size_t kMaxEnvelopeBodyBytes = 131072;
inline constexpr std::int64_t kMaxSyncEnvelopes = 500;

struct Envelope {
  std::int64_t pair = 0;
  std::int64_t seq = 0;
  std::int64_t sender = 0;
  std::int64_t sender_device = 1;
  Bytes client_id;  // kClientIdBytes
  Bytes body;       // 1..kMaxEnvelopeBodyBytes
  std::int64_t sent_at = 0;
  boost::json::object encode() const;
  static Result<Envelope> decode(const boost::json::object& o);
};

struct MessageSendResult {
  std::int64_t pair = 0;
  std::int64_t seq = 0;
  std::int64_t sent_at = 0;
  bool duplicate = false;
  boost::json::object encode() const;
  static Result<MessageSendResult> decode(const boost::json::object& o);
};

struct MessageSendRequest {
  static constexpr std::string_view kType = "message.send";
  using Reply = MessageSendResult;
  std::int64_t pair = 0;
  std::optional<std::int64_t> device;
  Bytes client_id;
  Bytes body;
  boost::json::object encode() const;
  // body is checked against max_body_bytes (the server's limit).
  static Result<MessageSendRequest> decode(const boost::json::object& o,
                                           std::size_t max_body_bytes = kMaxEnvelopeBodyBytes);
};

struct MessageSyncResult {
  std::vector<Envelope> envelopes;
  bool more = false;
  boost::json::object encode() const;
  static Result<MessageSyncResult> decode(const boost::json::object& o);
};

// Where message.sync starts in one pair: after this seq (PROTOCOL.md §6 "Messages").
struct SyncCursor {
  std::int64_t pair = 0;
  std::int64_t seq = 0;
  boost::json::object encode() const;
  static Result<SyncCursor> decode(const boost::json::object& o);
};

struct MessageSyncRequest {
  static constexpr std::string_view kType = "message.sync";
  using Reply = MessageSyncResult;
  std::optional<std::int64_t> limit;
  std::vector<SyncCursor> after;  // at most kMaxSyncCursors, each pair at most once
  boost::json::object encode() const;
  // limit is checked against max_limit (the server's batch limit).
  static Result<MessageSyncRequest> decode(const boost::json::object& o, std::int64_t max_limit = kMaxSyncEnvelopes);
};

struct MessageAckResult {
  std::int64_t acknowledged = 0;
  boost::json::object encode() const;
  static Result<MessageAckResult> decode(const boost::json::object& o);
};

struct MessageAckRequest {
  static constexpr std::string_view kType = "message.ack";
  using Reply = MessageAckResult;
  std::int64_t pair = 0;
  std::int64_t up_to = 0;
  boost::json::object encode() const;
  static Result<MessageAckRequest> decode(const boost::json::object& o);
};

struct PresenceResult {
  std::int64_t pair = 0;
  std::int64_t member = 0;
  bool online = false;
  boost::json::object encode() const;
  static Result<PresenceResult> decode(const boost::json::object& o);
};

struct PresenceRequest {
  static constexpr std::string_view kType = "presence.get";
  using Reply = PresenceResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<PresenceRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
