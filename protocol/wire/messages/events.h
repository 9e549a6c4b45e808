#pragma once
// Events the server pushes (PROTOCOL.md §7). Each has its name as kEvent.

#include <optional>
#include <string>

#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/envelopes.h"
#include "protocol/wire/messages/meetings.h"
#include "protocol/wire/messages/views.h"

namespace mentorlink::wire::messages {

struct MessageEvent {
  static constexpr std::string_view kEvent = "message";
  Envelope envelope;
  boost::json::object encode() const;
  static Result<MessageEvent> decode(const boost::json::object& o);
};

struct PresenceEvent {
  static constexpr std::string_view kEvent = "presence";
  std::int64_t pair = 0;
  std::int64_t member = 0;
  bool online = false;
  boost::json::object encode() const;
  static Result<PresenceEvent> decode(const boost::json::object& o);
};

template <class Self>
struct PairEventBody {
  PairView pair;
  boost::json::object encode() const { return {{"pair", pair.encode()}}; }
  static Result<Self> decode(const boost::json::object& o) {
    FieldReader in(o);
    Self v;
    v.pair = in.object<PairView>("pair");
    return finish(in, std::move(v));
  }
};
struct PairFormedEvent : PairEventBody<PairFormedEvent> {
  static constexpr std::string_view kEvent = "pair.formed";
};
struct PairEndedEvent : PairEventBody<PairEndedEvent> {
  static constexpr std::string_view kEvent = "pair.ended";
};

struct KeysLowEvent {
  static constexpr std::string_view kEvent = "keys.low";
  std::int64_t device = 0;
  std::int64_t one_time_prekeys = 0;
  boost::json::object encode() const;
  static Result<KeysLowEvent> decode(const boost::json::object& o);
};

struct DocumentUpdatedEvent {
  static constexpr std::string_view kEvent = "document.updated";
  DocumentView document;
  std::int64_t author = 0;
  boost::json::object encode() const;
  static Result<DocumentUpdatedEvent> decode(const boost::json::object& o);
};

struct ContractUpdatedEvent {
  static constexpr std::string_view kEvent = "contract.updated";
  ContractView contract;
  boost::json::object encode() const;
  static Result<ContractUpdatedEvent> decode(const boost::json::object& o);
};

struct MeetingUpdatedEvent {
  static constexpr std::string_view kEvent = "meeting.updated";
  MeetingView meeting;
  boost::json::object encode() const;
  static Result<MeetingUpdatedEvent> decode(const boost::json::object& o);
};

struct ProgrammeActivityEvent {
  static constexpr std::string_view kEvent = "programme.activity";
  std::int64_t programme = 0;
  std::int64_t pair = 0;
  std::string activity;  // "pair.formed" | "pair.ended" | "meeting.started" | "meeting.ended" | "contract.signed"
  std::int64_t at = 0;
  std::optional<std::int64_t> meeting;
  std::optional<bool> held;
  std::optional<std::int64_t> both_present_ms;
  std::optional<std::int64_t> signed_at;
  boost::json::object encode() const;
  static Result<ProgrammeActivityEvent> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
