#pragma once
// The shared store: PostgreSQL 15 through libpq, for one server or several on the same database.
//
// Durability: synchronous_commit = on, so COMMIT returns once the transaction is flushed to the
// server's WAL. Everything that must agree across servers (sequence numbers, ids, uniqueness,
// quotas) is decided by the database inside the transaction that writes it: this object caches
// nothing between calls. One connection for every call, guarded by mutex_ (recursive, so that
// in_one_transaction's body may call the store), as SqliteStore does. A call that finds the
// connection broken connects again first; when PostgreSQL cannot be reached it answers
// unavailable and changes nothing.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "server/store/quotas.h"
#include "server/store/store.h"
#include "server/store/store_observer.h"

namespace mentorlink::server {

namespace pg {
class Connection;
}

// How many times all_or_nothing runs its body again when PostgreSQL reports a serialization
// failure or deadlock (SQLSTATE 40001, 40P01) before answering unavailable.
inline constexpr int kSerializationRetries = 8;

class PostgresStore final : public Store {
 public:
  // Whether url names a PostgreSQL database (postgresql:// or postgres://).
  static bool is_url(const std::string& url);
  // Connects to url and migrates the database. Throws std::runtime_error with a sentence for the
  // operator if that fails. observer may be null and must outlive the store.
  PostgresStore(const std::string& url, StoreObserver* observer, Quotas quotas = {});
  ~PostgresStore() override;

  Status in_one_transaction(const std::function<void()>& body) override;
  Status all_or_nothing(const std::function<Status()>& body) override;

  // postgres_members.cpp
  Result<MemberRecord> member_by_id(MemberId id) override;
  Result<MemberRecord> member_by_identity_key(const wire::IdentityKey& key) override;
  Result<bool> any_programme_creator() override;
  Result<bool> insert_member(MemberRecord& member) override;
  Status insert_invite(InviteRecord& invite) override;
  Result<InviteRecord> invite_by_hash(const wire::Hash& code_hash) override;
  Result<int> expire_bootstrap_invites(TimeMs now) override;
  Result<bool> mark_invite_used(std::int64_t invite, MemberId member, TimeMs now) override;

  // postgres_programmes.cpp
  Result<ProgrammeRecord> insert_programme(const std::string& name, const std::string& purpose, MemberId creator,
                                           TimeMs now) override;
  Result<ProgrammeRecord> programme_by_id(ProgrammeId id) override;
  Result<std::vector<ProgrammeRecord>> programmes_of_member(MemberId member) override;
  Result<ProgrammeRecord> update_programme(ProgrammeId programme, const ProgrammeSettings& settings) override;
  Status insert_enrolment(const EnrolmentRecord& enrolment) override;
  Result<EnrolmentRecord> enrolment(ProgrammeId programme, MemberId member) override;
  Result<std::vector<EnrolmentRecord>> enrolments_in(ProgrammeId programme) override;
  Result<TemplateRecord> publish_template(ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                                          TimeMs now) override;
  Result<std::vector<TemplateRecord>> latest_templates(ProgrammeId programme) override;
  Result<TemplateRecord> template_by_id(TemplateId id) override;

  // postgres_programmes.cpp
  Result<Written<PairRecord>> insert_pair(ProgrammeId programme, MemberId mentor, MemberId mentee, MemberId formed_by,
                                          TimeMs now) override;
  Result<PairRecord> pair_by_id(PairId id) override;
  Result<std::vector<PairRecord>> pairs_in(ProgrammeId programme) override;
  Result<std::vector<PairRecord>> active_pairs_of_member(MemberId member) override;
  Result<bool> mark_pair_ended(PairId id, MemberId ended_by, TimeMs now) override;

  // postgres_messages.cpp
  Result<Written<std::monostate>> publish_keys(const DeviceKeysRecord& keys,
                                               const std::vector<OneTimePrekeyRecord>& one_time) override;
  Result<BundleRecord> take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) override;
  Result<std::int64_t> one_time_prekey_count(MemberId member, std::int64_t device) override;
  Result<Written<StoredEnvelope>> store_envelope(const EnvelopeRecord& envelope) override;
  Result<std::vector<EnvelopeRecord>> pending_envelopes(MemberId recipient, std::size_t limit,
                                                        const std::map<PairId, std::int64_t>& after = {}) override;
  Result<std::int64_t> ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs now) override;
  Result<std::int64_t> message_count(PairId pair, TimeMs since) override;

  // postgres_documents.cpp
  Result<Written<DocumentRecord>> open_document(const DocumentRecord& identity, TimeMs now,
                                                std::int64_t max_documents) override;
  Result<DocumentRecord> document_by_id(DocumentId id) override;
  Result<std::vector<DocumentRecord>> documents_of_pair(PairId pair) override;
  Result<Written<StoredVersion>> append_version(const VersionRecord& version, const wire::Hash& previous_hash) override;
  Result<std::vector<VersionRecord>> versions(DocumentId document, std::int64_t from, std::size_t limit) override;
  Result<Written<bool>> add_contract_signature(DocumentId document, std::int64_t version, MemberId member,
                                               const wire::Signature& signature, TimeMs now) override;
  Result<ContractRecord> contract(DocumentId document) override;
  Result<ContractRecord> contract_of_pair(PairId pair) override;

  // postgres_meetings.cpp
  Result<Written<MeetingId>> insert_meeting(const MeetingRecord& meeting) override;
  Status update_meeting(const MeetingRecord& meeting) override;
  Status open_presence(MeetingId meeting, MemberId member, TimeMs now) override;
  Status close_presence(MeetingId meeting, std::optional<MemberId> member, TimeMs now) override;
  Result<MeetingRecord> meeting_by_id(MeetingId meeting) override;
  Result<std::vector<MeetingRecord>> meetings_of_pair(PairId pair) override;
  Result<std::optional<MeetingId>> meeting_under_way(PairId pair) override;

  // postgres_meetings.cpp
  Result<ProgrammeSnapshot> programme_snapshot(ProgrammeId programme, TimeMs messages_since) override;
  Result<std::optional<AccessRecord>> last_access(PairId pair) override;
  Status insert_access(const AccessRecord& entry) override;
  Result<std::vector<AccessRecord>> access_log(PairId pair, std::int64_t from, std::size_t limit) override;
  Result<std::vector<AccessRecord>> access_entries_by(MemberId coordinator, ProgrammeId programme,
                                                      std::size_t limit) override;

  // postgres_members.cpp
  Status insert_dashboard_link(const wire::Hash& token_hash, MemberId member, ProgrammeId programme, TimeMs now,
                               TimeMs expires_at) override;
  Result<DashboardLinkRecord> dashboard_link(const wire::Hash& token_hash, TimeMs now) override;
  Result<DashboardSessionRecord> redeem_dashboard_link(const wire::Hash& token_hash, const wire::Hash& session_hash,
                                                       const std::string& csrf, TimeMs now,
                                                       TimeMs session_expires_at) override;
  Result<DashboardSessionRecord> dashboard_session(const wire::Hash& session_hash, TimeMs now) override;
  Status end_dashboard_session(const wire::Hash& session_hash) override;

 private:
  // Runs body under mutex_, timing it; inside a transaction already open, in a savepoint of its
  // own. Storage faults become internal, an unreachable database unavailable.
  template <class Body>
  auto run(std::string_view operation, Body&& body) -> decltype(body());

  std::recursive_mutex mutex_;
  std::unique_ptr<pg::Connection> db_;  // guarded by mutex_
  // In all_or_nothing's body: a call that met a serialization failure sets this, so the whole
  // transaction runs again.
  bool retry_ = false;  // guarded by mutex_
  StoreObserver* observer_;
  const Quotas quotas_;
};

}  // namespace mentorlink::server
