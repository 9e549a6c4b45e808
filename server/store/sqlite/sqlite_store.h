#pragma once
// The embedded store: one SQLite file in WAL mode with synchronous=FULL.
//
// Durability: in WAL mode, synchronous=FULL fsyncs the WAL at every commit, so a transaction is
// on stable storage when COMMIT returns and survives a power cut; synchronous=NORMAL would only
// sync at checkpoints and could lose the newest acknowledged transactions. One connection for
// every read and write, guarded by mutex_ (recursive, so that in_one_transaction's body may call
// the store); calls are short and never wait on the network. A second connection only copies the
// WAL back into the file (wal_checkpointer.h).

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "server/store/quotas.h"
#include "server/store/store.h"
#include "server/store/store_observer.h"

namespace mentorlink::server {

namespace sqlite {
class Database;
class MessageIndex;
class WalCheckpointer;
}

// Whether COMMIT waits for the disk. `unsafe_no_sync` exists only as the benchmark's reference
// point (bench/): a power cut can then lose acknowledged writes.
enum class Durability { full, unsafe_no_sync };

// Not final: attack tests derive a server that lies from it (tests/support/lying_store.h).
class SqliteStore : public Store {
 public:
  // Opens or creates <data_dir>/mentorlink.db and migrates it. Throws std::runtime_error with a
  // sentence for the operator if that fails. observer may be null and must outlive the store.
  // quotas: what members may make it store (quotas.h).
  SqliteStore(const std::string& data_dir, StoreObserver* observer, Durability durability = Durability::full,
              Quotas quotas = {});
  ~SqliteStore() override;

  static std::string database_path(const std::string& data_dir);

  Status in_one_transaction(const std::function<void()>& body) override;
  Status all_or_nothing(const std::function<Status()>& body) override;

  // sqlite_members.cpp
  Result<MemberRecord> member_by_id(MemberId id) override;
  Result<MemberRecord> member_by_identity_key(const wire::IdentityKey& key) override;
  Result<bool> any_programme_creator() override;
  Result<bool> insert_member(MemberRecord& member) override;
  Status insert_invite(InviteRecord& invite) override;
  Result<InviteRecord> invite_by_hash(const wire::Hash& code_hash) override;
  Result<int> expire_bootstrap_invites(TimeMs now) override;
  Result<bool> mark_invite_used(std::int64_t invite, MemberId member, TimeMs now) override;

  // sqlite_programmes.cpp
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

  // sqlite_pairs.cpp
  Result<Written<PairRecord>> insert_pair(ProgrammeId programme, MemberId mentor, MemberId mentee, MemberId formed_by,
                                          TimeMs now) override;
  Result<PairRecord> pair_by_id(PairId id) override;
  Result<std::vector<PairRecord>> pairs_in(ProgrammeId programme) override;
  Result<std::vector<PairRecord>> active_pairs_of_member(MemberId member) override;
  Result<bool> mark_pair_ended(PairId id, MemberId ended_by, TimeMs now) override;

  // sqlite_keys.cpp
  Result<Written<std::monostate>> publish_keys(const DeviceKeysRecord& keys,
                                               const std::vector<OneTimePrekeyRecord>& one_time) override;
  Result<BundleRecord> take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) override;
  Result<std::int64_t> one_time_prekey_count(MemberId member, std::int64_t device) override;

  // sqlite_messages.cpp
  Result<Written<StoredEnvelope>> store_envelope(const EnvelopeRecord& envelope) override;
  Result<std::vector<EnvelopeRecord>> pending_envelopes(MemberId recipient, std::size_t limit,
                                                        const std::map<PairId, std::int64_t>& after = {}) override;
  Result<std::int64_t> ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs now) override;
  Result<std::int64_t> message_count(PairId pair, TimeMs since) override;

  // sqlite_documents.cpp
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

  // sqlite_meetings.cpp
  Result<Written<MeetingId>> insert_meeting(const MeetingRecord& meeting) override;
  Status update_meeting(const MeetingRecord& meeting) override;
  Status open_presence(MeetingId meeting, MemberId member, TimeMs now) override;
  Status close_presence(MeetingId meeting, std::optional<MemberId> member, TimeMs now) override;
  Result<MeetingRecord> meeting_by_id(MeetingId meeting) override;
  Result<std::vector<MeetingRecord>> meetings_of_pair(PairId pair) override;
  Result<std::optional<MeetingId>> meeting_under_way(PairId pair) override;

  // sqlite_reports.cpp
  Result<ProgrammeSnapshot> programme_snapshot(ProgrammeId programme, TimeMs messages_since) override;
  Result<std::optional<AccessRecord>> last_access(PairId pair) override;
  Status insert_access(const AccessRecord& entry) override;
  Result<std::vector<AccessRecord>> access_log(PairId pair, std::int64_t from, std::size_t limit) override;
  Result<std::vector<AccessRecord>> access_entries_by(MemberId coordinator, ProgrammeId programme,
                                                      std::size_t limit) override;

  // sqlite_dashboard.cpp
  Status insert_dashboard_link(const wire::Hash& token_hash, MemberId member, ProgrammeId programme, TimeMs now,
                               TimeMs expires_at) override;
  Result<DashboardLinkRecord> dashboard_link(const wire::Hash& token_hash, TimeMs now) override;
  Result<DashboardSessionRecord> redeem_dashboard_link(const wire::Hash& token_hash, const wire::Hash& session_hash,
                                                       const std::string& csrf, TimeMs now,
                                                       TimeMs session_expires_at) override;
  Result<DashboardSessionRecord> dashboard_session(const wire::Hash& session_hash, TimeMs now) override;
  Status end_dashboard_session(const wire::Hash& session_hash) override;

  // The message index's digest of (pair, sender, client_id), keyed by a secret of this process:
  // unpredictable to senders, stable until the process ends (the index lives no longer).
  static std::uint64_t client_id_digest(PairId pair, MemberId sender, std::span<const std::uint8_t> client_id);

 private:
  // Runs body under mutex_, timing it and turning storage faults into Status internal.
  template <class Body>
  auto run(std::string_view operation, Body&& body) -> decltype(body());
  // sqlite_messages.cpp: rebuilds messages_ from one scan of the envelope log (at start).
  void load_message_index();

  std::recursive_mutex mutex_;
  std::unique_ptr<sqlite::Database> db_;  // guarded by mutex_
  // In in_one_transaction's body; a call finding no open transaction then fails instead of
  // committing alone (SQLite rolls the whole transaction back on some I/O errors).
  bool batch_open_ = false;  // guarded by mutex_
  std::unique_ptr<sqlite::WalCheckpointer> checkpointer_;  // destroyed before db_
  std::unique_ptr<sqlite::MessageIndex> messages_;  // guarded by mutex_; follows db_'s transactions
  StoreObserver* observer_;
  const Quotas quotas_;
};

}  // namespace mentorlink::server
