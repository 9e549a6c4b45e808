#pragma once
// Rows the store keeps. Metadata and public keys only: the server never stores content keys.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <vector>

#include "protocol/wire/bytes.h"
#include "protocol/wire/document_version.h"
#include "server/store/ids.h"

namespace mentorlink::server {

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

inline constexpr int kDefaultCadenceDays = 21;
// A meeting counts as held once it has ended with both members present together this long.
inline constexpr int kDefaultMinHeldMinutes = 10;

struct ProgrammeRecord {
  ProgrammeId id = 0;
  std::string name;
  std::string purpose;
  MemberId created_by = 0;
  TimeMs created_at = 0;
  int cadence_days = kDefaultCadenceDays;  // the target: a meeting every this many days
  int min_held_minutes = kDefaultMinHeldMinutes;  // both present this long for a meeting to count as held
};

// The settings a coordinator may change (programme.create, programme.update); empty: unchanged.
struct ProgrammeSettings {
  std::optional<int> cadence_days;
  std::optional<int> min_held_minutes;
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

// A device's published X3DH keys (public halves only).
struct DeviceKeysRecord {
  MemberId member = 0;
  std::int64_t device = 1;
  wire::IdentityKey identity_key{};  // the member's, filled in on reads
  std::array<std::uint8_t, 32> identity_dh_key{};
  wire::Signature identity_dh_signature{};
  std::uint32_t signed_prekey_id = 0;
  std::array<std::uint8_t, 32> signed_prekey{};
  wire::Signature signed_prekey_signature{};
  TimeMs updated_at = 0;
};

struct OneTimePrekeyRecord {
  std::uint32_t id = 0;
  std::array<std::uint8_t, 32> key{};
};

// What an initiator gets: the device's keys and at most one one-time prekey, which the store
// deleted in the same transaction.
struct BundleRecord {
  DeviceKeysRecord keys;
  std::optional<OneTimePrekeyRecord> one_time_prekey;
};

// An opaque end-to-end encrypted envelope. The server sees who, when, how big; never what.
struct EnvelopeRecord {
  PairId pair = 0;
  std::int64_t seq = 0;  // per pair, one total order, from 1
  MemberId sender = 0;
  std::int64_t sender_device = 1;
  MemberId recipient = 0;
  wire::Bytes client_id;  // chosen by the sender; a retry with the same id is stored once
  wire::Bytes body;
  TimeMs sent_at = 0;
};

struct StoredEnvelope {
  EnvelopeRecord envelope;  // as stored: seq and sent_at are the stored ones
  bool duplicate = false;   // the sender had already sent this client_id; nothing new was stored
};

}  // namespace mentorlink::server

namespace mentorlink::server {

// A contract template: plain text a programme's coordinators publish for its members. Not secret.
// Publishing under an existing name makes the next version; every version keeps its own id.
struct TemplateRecord {
  TemplateId id = 0;
  ProgrammeId programme = 0;
  std::string name;
  std::int64_t version = 1;
  std::string text;
  MemberId published_by = 0;
  TimeMs published_at = 0;
};

// What publishing needs; the store assigns id and version.
struct TemplateDraft {
  std::string name;
  std::string text;
};

// A pair's document. Its identity is (pair, kind, meeting, owner): one agenda per meeting, one
// contract and one goals document per pair, feedback per meeting and author, a reflection per
// author. owner is set for feedback and reflection only.
struct DocumentRecord {
  DocumentId id = 0;
  PairId pair = 0;
  wire::DocumentKind kind = wire::DocumentKind::agenda;
  std::optional<MeetingId> meeting;
  std::optional<MemberId> owner;
  MemberId created_by = 0;
  TimeMs created_at = 0;
  std::int64_t latest_version = 0;  // 0: no version yet
  TimeMs updated_at = 0;
  std::optional<TimeMs> first_version_at;
  std::int64_t latest_size = 0;  // bytes of the newest version (padded, so bucketed)
  int format = 2;                // 1: kept from protocol version 1, read-only (PROTOCOL.md §14.6)
};

// One opaque, signed version. The server checks the header and signature, never the content.
struct VersionRecord {
  DocumentId document = 0;
  std::int64_t version = 0;
  MemberId author = 0;
  wire::Bytes body;
  wire::Signature signature{};
  wire::Hash hash{};
  TimeMs created_at = 0;
};

struct StoredVersion {
  VersionRecord version;
  bool duplicate = false;  // the same bytes were already stored as this version
};

struct ContractSignatureRecord {
  MemberId member = 0;
  wire::Signature signature{};
  TimeMs signed_at = 0;
};

// A contract as stored: its latest version and the signatures on that version. The domain
// (server/core/contracts.h) derives the contract's state from it.
struct ContractRecord {
  std::optional<DocumentId> document;  // empty: the pair has opened no contract
  std::int64_t version = 0;            // 0: nothing written yet
  wire::Hash version_hash{};
  std::vector<ContractSignatureRecord> signatures;  // on the latest version only, in signing order
};

enum class MeetingStatus { scheduled, cancelled, started, ended };
std::string_view to_string(MeetingStatus status) noexcept;

// One member's time in a meeting; left_at empty while present.
struct PresenceInterval {
  MemberId member = 0;
  TimeMs joined_at = 0;
  std::optional<TimeMs> left_at;
};

struct MeetingRecord {
  MeetingId id = 0;
  PairId pair = 0;
  MeetingStatus status = MeetingStatus::scheduled;
  std::optional<TimeMs> scheduled_at;
  std::optional<TimeMs> started_at;
  std::optional<TimeMs> ended_at;
  std::optional<TimeMs> cancelled_at;
  MemberId created_by = 0;
  TimeMs created_at = 0;
  TimeMs updated_at = 0;
  // Filled in on reads, for the metadata the server reports.
  std::vector<PresenceInterval> presence;
  std::optional<TimeMs> agenda_first_version_at;
  std::vector<MemberId> feedback_from;
};

// An unused dashboard sign-in link: whose account and programme it opens, until when.
struct DashboardLinkRecord {
  MemberId member = 0;
  ProgrammeId programme = 0;
  TimeMs expires_at = 0;
};

// A signed-in dashboard (server/dashboard/): whose, for which programme, until when.
struct DashboardSessionRecord {
  MemberId member = 0;
  ProgrammeId programme = 0;
  std::string csrf;  // must come back in X-CSRF-Token on state-changing requests
  TimeMs expires_at = 0;
};

// One entry of a pair's access log: a coordinator response that carried the pair's metadata.
struct AccessRecord {
  PairId pair = 0;
  std::int64_t seq = 0;
  MemberId coordinator = 0;
  TimeMs at = 0;
  std::string what;
  std::string fields;
  wire::Hash previous{};
  wire::Hash hash{};
};

}  // namespace mentorlink::server
