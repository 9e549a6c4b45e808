#pragma once
// The server's durable state, behind an interface: SQLite today (sqlite_store.h), PostgreSQL later.
//
// Contract for every implementation:
// - Each mutating call is one transaction; when it returns ok, the change is durable (survives a
//   process crash and a power cut). Callers acknowledge to clients only after that.
// - Failures are Status values: not_found, conflict, invite_* for the specific case, internal for
//   storage faults. A failed call changes nothing.
// - Implementations are safe to call from several threads at once.

#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server {

using wire::Result;
using wire::Status;

// Everything redeeming an invite creates, in one transaction.
struct Redemption {
  MemberRecord member;
  std::optional<EnrolmentRecord> enrolment;  // empty for a bootstrap invite
};

class Store {
 public:
  virtual ~Store() = default;

  // Group commit: runs body on this thread with every call it makes to this store inside one
  // transaction, durable when this returns ok. The store is held for other threads meanwhile.
  // A call in body that fails still changes nothing (it rolls back alone); if the transaction
  // as a whole cannot commit, this returns internal and nothing body did is kept.
  virtual Status in_one_transaction(const std::function<void()>& body) = 0;
  // Runs body on this thread inside one transaction and keeps what it did only if it returns ok:
  // a failed status (from body or from the commit) leaves the store as it was.
  virtual Status all_or_nothing(const std::function<Status()>& body) = 0;

  // Members
  virtual Result<MemberRecord> member_by_id(MemberId id) = 0;
  virtual Result<MemberRecord> member_by_identity_key(const wire::IdentityKey& key) = 0;
  virtual Result<bool> any_programme_creator() = 0;

  // Invites. insert_invite fills in the id.
  virtual Status insert_invite(InviteRecord& invite) = 0;
  virtual Result<InviteRecord> invite_by_hash(const wire::Hash& code_hash) = 0;
  // Marks every unused bootstrap invite as expired at `now`; returns how many.
  virtual Result<int> expire_bootstrap_invites(TimeMs now) = 0;
  // Atomically: checks the invite is unused and unexpired at `now`, creates the member with
  // `identity_key`, enrols them, marks the invite used. Errors: invite_unknown, invite_used,
  // invite_expired, identity_taken.
  virtual Result<Redemption> redeem_invite(const wire::Hash& code_hash, const wire::IdentityKey& identity_key,
                                           TimeMs now) = 0;

  // Programmes. create_programme also enrols the creator as a coordinator.
  // It also publishes first_template (if any) in the same transaction.
  virtual Result<ProgrammeRecord> create_programme(const std::string& name, const std::string& purpose,
                                                   MemberId creator, TimeMs now,
                                                   const std::optional<TemplateDraft>& first_template) = 0;
  virtual Result<ProgrammeRecord> programme_by_id(ProgrammeId id) = 0;
  virtual Result<std::vector<ProgrammeRecord>> programmes_of_member(MemberId member) = 0;
  // not_found when the member is not enrolled in the programme.
  virtual Result<EnrolmentRecord> enrolment(ProgrammeId programme, MemberId member) = 0;
  virtual Result<std::vector<EnrolmentRecord>> enrolments_in(ProgrammeId programme) = 0;

  // Pairs. create_pair fails with conflict if the same mentor and mentee already have an active pair.
  virtual Result<PairRecord> create_pair(ProgrammeId programme, MemberId mentor, MemberId mentee, MemberId formed_by,
                                         TimeMs now) = 0;
  virtual Result<PairRecord> pair_by_id(PairId id) = 0;
  virtual Result<std::vector<PairRecord>> pairs_in(ProgrammeId programme) = 0;
  // Fails with conflict if the pair has already ended.
  virtual Result<PairRecord> end_pair(PairId id, MemberId ended_by, TimeMs now) = 0;
  virtual Result<std::vector<PairRecord>> active_pairs_of_member(MemberId member) = 0;

  // Device keys. publish_keys replaces the device's identity-DH and signed prekey and adds the
  // one-time prekeys (an id already present or already handed out is left as it is, so a retried
  // publish is harmless). quota_exceeded beyond Quotas::max_devices_per_member device ids or
  // Quotas::max_one_time_prekeys_per_device stored prekeys.
  virtual Status publish_keys(const DeviceKeysRecord& keys, const std::vector<OneTimePrekeyRecord>& one_time) = 0;
  // The keys of member's lowest-numbered device, for `requester` in `pair`, with one one-time
  // prekey, deleted atomically (no prekey is ever handed out twice), unless requester was given
  // one for this pair less than Quotas::one_time_prekey_interval_ms before now: then none.
  // not_found if the member has published no keys.
  virtual Result<BundleRecord> take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) = 0;
  virtual Result<std::int64_t> one_time_prekey_count(MemberId member, std::int64_t device) = 0;

  // Envelopes. store_envelope assigns the pair's next sequence number, unless (pair, sender,
  // client_id) was stored before: then it returns that envelope marked duplicate if the body is
  // the same, and conflict if not. quota_exceeded when the recipient already has
  // Quotas::max_pending_envelopes_per_pair unacknowledged envelopes in the pair.
  virtual Result<StoredEnvelope> store_envelope(const EnvelopeRecord& envelope) = 0;
  // Envelopes for recipient not yet acknowledged, by pair then sequence, at most limit; in a
  // pair named in `after`, only those with a greater sequence number.
  virtual Result<std::vector<EnvelopeRecord>> pending_envelopes(MemberId recipient, std::size_t limit,
                                                                const std::map<PairId, std::int64_t>& after = {}) = 0;
  // Deletes the bodies of recipient's envelopes in pair with seq <= up_to; returns how many.
  virtual Result<std::int64_t> ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs now) = 0;

  // Contract templates. publish_template makes version 1 of a new name, or the next version.
  virtual Result<TemplateRecord> publish_template(ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                                                  TimeMs now) = 0;
  // The newest version of each template name in the programme, by name.
  virtual Result<std::vector<TemplateRecord>> latest_templates(ProgrammeId programme) = 0;
  virtual Result<TemplateRecord> template_by_id(TemplateId id) = 0;

  // Documents. open_document returns the document with this identity (record.pair, kind,
  // meeting, owner), creating it if there is none; record.id and the version fields are ignored.
  // Creating one when the pair already has max_documents is quota_exceeded.
  virtual Result<DocumentRecord> open_document(const DocumentRecord& identity, TimeMs now, std::int64_t max_documents) = 0;
  virtual Result<DocumentRecord> document_by_id(DocumentId id) = 0;
  virtual Result<std::vector<DocumentRecord>> documents_of_pair(PairId pair) = 0;
  // Appends version.version, which must be the document's latest + 1 and whose header names the
  // latest version's hash as previous_hash (checked by the caller against the body; passed here so
  // the check and the append are one transaction). The same bytes again at an existing version
  // return it marked duplicate; anything else that is not the next version is a conflict.
  virtual Result<StoredVersion> append_version(const VersionRecord& version, const wire::Hash& previous_hash) = 0;
  // Versions from `from` upwards, in order, at most limit.
  virtual Result<std::vector<VersionRecord>> versions(DocumentId document, std::int64_t from, std::size_t limit) = 0;

  // Contracts. sign_contract records member's signature on the contract's latest version, which
  // must be `version` (conflict otherwise); signing the same version again changes nothing.
  virtual Result<ContractStatus> sign_contract(DocumentId document, std::int64_t version, MemberId member,
                                               const wire::Signature& signature, TimeMs now) = 0;
  virtual Result<ContractStatus> contract_status(PairId pair) = 0;

  // Meetings (PRODUCT.md, "Decisions"). Each returns the meeting as it is afterwards; a step that
  // does not fit the meeting's status is a conflict. Making a meeting (schedule, or start without
  // one) is quota_exceeded once the pair has Quotas::max_meetings_per_pair.
  virtual Result<MeetingRecord> schedule_meeting(PairId pair, TimeMs at, MemberId by, TimeMs now) = 0;
  virtual Result<MeetingRecord> reschedule_meeting(MeetingId meeting, TimeMs at, TimeMs now) = 0;
  virtual Result<MeetingRecord> cancel_meeting(MeetingId meeting, TimeMs now) = 0;
  // Starts a scheduled meeting, or (meeting empty) an unscheduled one; the starter is present.
  // conflict if the pair already has a meeting under way.
  virtual Result<MeetingRecord> start_meeting(PairId pair, std::optional<MeetingId> meeting, MemberId by,
                                              TimeMs now) = 0;
  // Joining while present, or leaving while absent, changes nothing.
  virtual Result<MeetingRecord> join_meeting(MeetingId meeting, MemberId member, TimeMs now) = 0;
  virtual Result<MeetingRecord> leave_meeting(MeetingId meeting, MemberId member, TimeMs now) = 0;
  // Ends a started meeting; everyone still present leaves at now.
  virtual Result<MeetingRecord> end_meeting(MeetingId meeting, TimeMs now) = 0;
  virtual Result<MeetingRecord> meeting_by_id(MeetingId meeting) = 0;
  virtual Result<std::vector<MeetingRecord>> meetings_of_pair(PairId pair) = 0;

  // Coordinator reporting (PRODUCT.md, "Content and metadata").
  // Changes the settings that are set; returns the programme as it is afterwards.
  virtual Result<ProgrammeRecord> update_programme(ProgrammeId programme, const ProgrammeSettings& settings) = 0;
  // Envelopes sent in pair at or after since (existence only; bodies may be gone).
  virtual Result<std::int64_t> message_count(PairId pair, TimeMs since) = 0;
  // Appends one entry per access to each pair's hash-chained log, in one transaction; fills in
  // seq, previous and hash.
  virtual Status append_access(std::vector<AccessRecord>& entries) = 0;
  // The pair's log from seq `from` upwards, at most limit.
  virtual Result<std::vector<AccessRecord>> access_log(PairId pair, std::int64_t from, std::size_t limit) = 0;
  // A coordinator's own entries across the programme's pairs, newest first.
  virtual Result<std::vector<AccessRecord>> access_entries_by(MemberId coordinator, ProgrammeId programme,
                                                              std::size_t limit) = 0;

  // Dashboard sign-in. Only hashes of the link token and session id are stored.
  virtual Status insert_dashboard_link(const wire::Hash& token_hash, MemberId member, ProgrammeId programme, TimeMs now,
                                       TimeMs expires_at) = 0;
  // The link, if it is unused and unexpired at now (forbidden otherwise); changes nothing.
  virtual Result<DashboardLinkRecord> dashboard_link(const wire::Hash& token_hash, TimeMs now) = 0;
  // Atomically: the link must be unused and unexpired at now; marks it used and opens a session.
  // forbidden otherwise.
  virtual Result<DashboardSessionRecord> redeem_dashboard_link(const wire::Hash& token_hash,
                                                               const wire::Hash& session_hash, const std::string& csrf,
                                                               TimeMs now, TimeMs session_expires_at) = 0;
  // not_authenticated if unknown or expired at now.
  virtual Result<DashboardSessionRecord> dashboard_session(const wire::Hash& session_hash, TimeMs now) = 0;
  virtual Status end_dashboard_session(const wire::Hash& session_hash) = 0;
};

}  // namespace mentorlink::server
