// PostgresStore: documents, their version chains, contract signatures. A document's row is locked
// while a version or signature is added, so two servers never both append the same version.
#include "server/store/postgresql/postgres_store_internal.h"

namespace mentorlink::server {
using pg::Params;
using pg_detail::absent;

namespace {

const std::string kDocumentColumns =
    "id, pair_id, kind, meeting_id, owner_id, created_by, created_at, latest_version, updated_at, first_version_at, "
    "latest_size, format";

DocumentRecord read_document(const pg::Result& r, int row) {
  DocumentRecord d;
  d.id = r.integer(row, 0);
  d.pair = r.integer(row, 1);
  d.kind = wire::document_kind_from_byte(static_cast<std::uint8_t>(r.integer(row, 2))).value_or(wire::DocumentKind::agenda);
  d.meeting = r.optional_integer(row, 3);
  d.owner = r.optional_integer(row, 4);
  d.created_by = r.integer(row, 5);
  d.created_at = r.integer(row, 6);
  d.latest_version = r.integer(row, 7);
  d.updated_at = r.integer(row, 8);
  d.first_version_at = r.optional_integer(row, 9);
  d.latest_size = r.integer(row, 10);
  d.format = static_cast<int>(r.integer(row, 11));
  return d;
}

// lock: " FOR UPDATE" to hold the row until the transaction ends, or empty.
Result<DocumentRecord> select_document(pg::Connection& db, DocumentId id, const std::string& lock = {}) {
  auto r = db.run("SELECT " + kDocumentColumns + " FROM documents WHERE id = $1" + lock, Params().add(id));
  if (r.rows() == 0) return absent("document");
  return read_document(r, 0);
}

const std::string kVersionSelect =
    "SELECT document_id, version, author_id, body, signature, hash, created_at FROM document_versions ";

VersionRecord read_version(const pg::Result& r, int row) {
  VersionRecord v;
  v.document = r.integer(row, 0);
  v.version = r.integer(row, 1);
  v.author = r.integer(row, 2);
  v.body = r.bytes(row, 3);
  v.signature = r.fixed_bytes<wire::kSignatureBytes>(row, 4);
  v.hash = r.fixed_bytes<wire::kHashBytes>(row, 5);
  v.created_at = r.integer(row, 6);
  return v;
}

// The contract's latest version and the signatures on it (in signing order).
ContractRecord read_contract(pg::Connection& db, const DocumentRecord& contract) {
  ContractRecord out;
  out.document = contract.id;
  out.version = contract.latest_version;
  if (contract.latest_version == 0) return out;
  auto hash = db.run("SELECT hash FROM document_versions WHERE document_id = $1 AND version = $2",
                     Params().add(contract.id).add(contract.latest_version));
  if (hash.rows() > 0) out.version_hash = hash.fixed_bytes<wire::kHashBytes>(0, 0);
  auto sigs = db.run(
      "SELECT member_id, signature, signed_at FROM contract_signatures WHERE document_id = $1 AND version = $2 "
      "ORDER BY signed_at, member_id",
      Params().add(contract.id).add(contract.latest_version));
  for (int i = 0; i < sigs.rows(); ++i) {
    out.signatures.push_back(
        ContractSignatureRecord{sigs.integer(i, 0), sigs.fixed_bytes<wire::kSignatureBytes>(i, 1), sigs.integer(i, 2)});
  }
  return out;
}

}  // namespace

namespace pg_detail {

ContractRecord select_contract_of_pair(pg::Connection& db, PairId pair) {
  auto r = db.run("SELECT " + kDocumentColumns + " FROM documents WHERE pair_id = $1 AND kind = $2 AND format = 2",
                  Params().add(pair).add(static_cast<std::int64_t>(wire::DocumentKind::contract)));
  if (r.rows() == 0) return ContractRecord{};
  return read_contract(db, read_document(r, 0));
}

}  // namespace pg_detail

Result<Written<DocumentRecord>> PostgresStore::open_document(const DocumentRecord& identity, TimeMs now,
                                                             std::int64_t max_documents) {
  using Out = Written<DocumentRecord>;
  return run("open_document", [&]() -> Result<Out> {
    pg::Transaction tx(*db_);
    // The pair's row serialises document creation in the pair: one document per identity, and the quota.
    auto pair = db_->run("SELECT 1 FROM pairs WHERE id = $1 FOR UPDATE", Params().add(identity.pair));
    if (pair.rows() == 0) return absent("pair");
    auto find = db_->run("SELECT " + kDocumentColumns +
                             " FROM documents WHERE pair_id = $1 AND kind = $2 AND coalesce(meeting_id, 0) = $3 "
                             "AND coalesce(owner_id, 0) = $4 AND format = 2",
                         Params()
                             .add(identity.pair)
                             .add(static_cast<std::int64_t>(identity.kind))
                             .add(identity.meeting.value_or(0))
                             .add(identity.owner.value_or(0)));
    if (find.rows() > 0) return Out{read_document(find, 0)};
    const std::int64_t count =
        db_->run("SELECT count(*) FROM documents WHERE pair_id = $1", Params().add(identity.pair)).integer(0, 0);
    if (count >= max_documents) return Out{Refusal{Refusal::Rule::too_many_documents, max_documents}};
    auto insert = db_->run(
        "INSERT INTO documents (pair_id, kind, meeting_id, owner_id, created_by, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        Params()
            .add(identity.pair)
            .add(static_cast<std::int64_t>(identity.kind))
            .add(identity.meeting)
            .add(identity.owner)
            .add(identity.created_by)
            .add(now));
    DocumentRecord d = identity;
    d.id = insert.integer(0, 0);
    d.created_at = now;
    d.updated_at = now;
    d.latest_version = 0;
    d.first_version_at.reset();
    d.latest_size = 0;
    d.format = 2;
    tx.commit();
    return Out{std::move(d)};
  });
}

Result<DocumentRecord> PostgresStore::document_by_id(DocumentId id) {
  return run("document_by_id", [&]() { return select_document(*db_, id); });
}

Result<std::vector<DocumentRecord>> PostgresStore::documents_of_pair(PairId pair) {
  return run("documents_of_pair", [&]() -> Result<std::vector<DocumentRecord>> {
    auto r = db_->run("SELECT " + kDocumentColumns + " FROM documents WHERE pair_id = $1 ORDER BY id", Params().add(pair));
    std::vector<DocumentRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_document(r, i));
    return out;
  });
}

Result<Written<StoredVersion>> PostgresStore::append_version(const VersionRecord& v, const wire::Hash& previous_hash) {
  using Out = Written<StoredVersion>;
  return run("append_version", [&]() -> Result<Out> {
    pg::Transaction tx(*db_);
    auto doc = select_document(*db_, v.document, " FOR UPDATE");
    if (!doc.is_ok()) return doc.status();
    const std::int64_t latest = doc.value().latest_version;
    if (v.version <= latest) {
      auto existing = db_->run(kVersionSelect + "WHERE document_id = $1 AND version = $2",
                               Params().add(v.document).add(v.version));
      if (existing.rows() > 0) {
        auto stored = read_version(existing, 0);
        if (stored.hash == v.hash && stored.author == v.author) return Out{StoredVersion{std::move(stored), true}};
      }
      return Out{Refusal{Refusal::Rule::version_stale, 0, latest}};
    }
    if (v.version != latest + 1) return Out{Refusal{Refusal::Rule::version_gap, 0, latest}};
    wire::Hash latest_hash{};
    if (latest > 0) {
      auto h = db_->run("SELECT hash FROM document_versions WHERE document_id = $1 AND version = $2",
                        Params().add(v.document).add(latest));
      if (h.rows() > 0) latest_hash = h.fixed_bytes<wire::kHashBytes>(0, 0);
    }
    if (previous_hash != latest_hash) return Out{Refusal{Refusal::Rule::version_not_on_latest, 0, latest}};
    db_->run(
        "INSERT INTO document_versions (document_id, version, author_id, body, signature, hash, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        Params().add(v.document).add(v.version).add(v.author).add(v.body).add(v.signature).add(v.hash).add(v.created_at));
    db_->run(
        "UPDATE documents SET latest_version = $2, updated_at = $3, latest_size = $4, "
        "first_version_at = coalesce(first_version_at, $3) WHERE id = $1",
        Params().add(v.document).add(v.version).add(v.created_at).add(static_cast<std::int64_t>(v.body.size())));
    tx.commit();
    return Out{StoredVersion{v, false}};
  });
}

Result<std::vector<VersionRecord>> PostgresStore::versions(DocumentId document, std::int64_t from, std::size_t limit) {
  return run("versions", [&]() -> Result<std::vector<VersionRecord>> {
    auto r = db_->run(kVersionSelect + "WHERE document_id = $1 AND version >= $2 ORDER BY version LIMIT $3",
                      Params().add(document).add(from).add(static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX))));
    std::vector<VersionRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_version(r, i));
    return out;
  });
}

Result<Written<bool>> PostgresStore::add_contract_signature(DocumentId document, std::int64_t version, MemberId member,
                                                            const wire::Signature& signature, TimeMs now) {
  using Out = Written<bool>;
  return run("add_contract_signature", [&]() -> Result<Out> {
    pg::Transaction tx(*db_);
    auto doc = select_document(*db_, document, " FOR UPDATE");
    if (!doc.is_ok()) return doc.status();
    const std::int64_t latest = doc.value().latest_version;
    if (version != latest) return Out{Refusal{Refusal::Rule::contract_version_stale, 0, latest}};
    auto r = db_->run(
        "INSERT INTO contract_signatures (document_id, version, member_id, signature, signed_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        Params().add(document).add(version).add(member).add(signature).add(now));
    const bool added = r.affected() > 0;
    tx.commit();
    return Out{added};
  });
}

Result<ContractRecord> PostgresStore::contract(DocumentId document) {
  return run("contract", [&]() -> Result<ContractRecord> {
    auto doc = select_document(*db_, document);
    if (!doc.is_ok()) return doc.status();
    return read_contract(*db_, doc.value());
  });
}

Result<ContractRecord> PostgresStore::contract_of_pair(PairId pair) {
  return run("contract_of_pair",
             [&]() -> Result<ContractRecord> { return pg_detail::select_contract_of_pair(*db_, pair); });
}

}  // namespace mentorlink::server
