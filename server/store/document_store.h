#pragma once
// A pair's documents: each an append-only chain of opaque signed versions; contract signatures.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"
#include "server/store/refusal.h"

namespace mentorlink::server {

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // The document with this identity (record.pair, kind, meeting, owner), created if there is none;
  // record.id and the version fields are ignored. Creating one when the pair already has
  // max_documents is refused with too_many_documents.
  virtual wire::Result<Written<DocumentRecord>> open_document(const DocumentRecord& identity, TimeMs now,
                                                              std::int64_t max_documents) = 0;
  virtual wire::Result<DocumentRecord> document_by_id(DocumentId id) = 0;
  virtual wire::Result<std::vector<DocumentRecord>> documents_of_pair(PairId pair) = 0;
  // Appends version.version if it is the document's latest + 1 and previous_hash is the latest
  // version's hash (all zero before the first); the check and the append are one transaction. The
  // same hash by the same author at an existing version returns it marked duplicate. Refusals:
  // version_stale, version_gap, version_not_on_latest. not_found: no such document.
  virtual wire::Result<Written<StoredVersion>> append_version(const VersionRecord& version,
                                                              const wire::Hash& previous_hash) = 0;
  // Versions from `from` upwards, in order, at most limit.
  virtual wire::Result<std::vector<VersionRecord>> versions(DocumentId document, std::int64_t from,
                                                            std::size_t limit) = 0;

  // Records member's signature on the document's version `version`, which must be its latest
  // (refused with contract_version_stale otherwise); true if added, false if member had signed it.
  virtual wire::Result<Written<bool>> add_contract_signature(DocumentId document, std::int64_t version,
                                                             MemberId member, const wire::Signature& signature,
                                                             TimeMs now) = 0;
  // The document's latest version and its signatures. not_found: no such document.
  virtual wire::Result<ContractRecord> contract(DocumentId document) = 0;
  // The pair's contract (protocol version 2), or an empty record if it has none.
  virtual wire::Result<ContractRecord> contract_of_pair(PairId pair) = 0;
};

}  // namespace mentorlink::server
