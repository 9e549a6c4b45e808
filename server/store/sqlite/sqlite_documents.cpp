// SqliteStore: documents, their version chains, contract signatures.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::absent;
using sqlite_detail::to_array;

namespace {

constexpr std::string_view kDocumentColumns =
    "id, pair_id, kind, meeting_id, owner_id, created_by, created_at, latest_version, updated_at, first_version_at, "
    "latest_size, format";

DocumentRecord read_document(const Statement& st) {
  DocumentRecord d;
  d.id = st.column_int(0);
  d.pair = st.column_int(1);
  d.kind = wire::document_kind_from_byte(static_cast<std::uint8_t>(st.column_int(2))).value_or(wire::DocumentKind::agenda);
  d.meeting = st.column_optional_int(3);
  d.owner = st.column_optional_int(4);
  d.created_by = st.column_int(5);
  d.created_at = st.column_int(6);
  d.latest_version = st.column_int(7);
  d.updated_at = st.column_int(8);
  d.first_version_at = st.column_optional_int(9);
  d.latest_size = st.column_int(10);
  d.format = static_cast<int>(st.column_int(11));
  return d;
}

Result<DocumentRecord> select_document(sqlite::Database& db, DocumentId id) {
  auto st = db.prepare("SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE id = ?1");
  st.bind(1, id);
  if (st.step() != Statement::Step::row) return absent("document");
  return read_document(st);
}

VersionRecord read_version(const Statement& st) {
  VersionRecord v;
  v.document = st.column_int(0);
  v.version = st.column_int(1);
  v.author = st.column_int(2);
  const auto body = st.column_blob(3);
  v.body.assign(body.begin(), body.end());
  v.signature = to_array<wire::kSignatureBytes>(st.column_blob(4));
  v.hash = to_array<wire::kHashBytes>(st.column_blob(5));
  v.created_at = st.column_int(6);
  return v;
}

// The contract's latest version and the signatures on it (in signing order).
ContractRecord read_contract(sqlite::Database& db, const DocumentRecord& contract) {
  ContractRecord out;
  out.document = contract.id;
  out.version = contract.latest_version;
  if (contract.latest_version == 0) return out;
  auto hash = db.prepare("SELECT hash FROM document_versions WHERE document_id = ?1 AND version = ?2");
  hash.bind(1, contract.id).bind(2, contract.latest_version);
  if (hash.step() == Statement::Step::row) out.version_hash = to_array<wire::kHashBytes>(hash.column_blob(0));
  auto sigs = db.prepare(
      "SELECT member_id, signature, signed_at FROM contract_signatures WHERE document_id = ?1 AND version = ?2 "
      "ORDER BY signed_at, member_id");
  sigs.bind(1, contract.id).bind(2, contract.latest_version);
  while (sigs.step() == Statement::Step::row) {
    out.signatures.push_back(ContractSignatureRecord{sigs.column_int(0), to_array<wire::kSignatureBytes>(sigs.column_blob(1)),
                                                     sigs.column_int(2)});
  }
  return out;
}

}  // namespace

namespace sqlite_detail {

ContractRecord select_contract_of_pair(sqlite::Database& db, PairId pair) {
  auto st = db.prepare("SELECT " + std::string(kDocumentColumns) +
                       " FROM documents WHERE pair_id = ?1 AND kind = ?2 AND format = 2");
  st.bind(1, pair).bind(2, static_cast<std::int64_t>(wire::DocumentKind::contract));
  if (st.step() != Statement::Step::row) return ContractRecord{};
  const auto contract = read_document(st);
  st.finish();
  return read_contract(db, contract);
}

}  // namespace sqlite_detail

Result<Written<DocumentRecord>> SqliteStore::open_document(const DocumentRecord& identity, TimeMs now,
                                                           std::int64_t max_documents) {
  using Out = Written<DocumentRecord>;
  return run("open_document", [&]() -> Result<Out> {
    sqlite::Transaction tx(*db_);
    auto find = db_->prepare("SELECT " + std::string(kDocumentColumns) +
                             " FROM documents WHERE pair_id = ?1 AND kind = ?2 AND ifnull(meeting_id, 0) = ?3 "
                             "AND ifnull(owner_id, 0) = ?4 AND format = 2");
    find.bind(1, identity.pair)
        .bind(2, static_cast<std::int64_t>(identity.kind))
        .bind(3, identity.meeting.value_or(0))
        .bind(4, identity.owner.value_or(0));
    if (find.step() == Statement::Step::row) return Out{read_document(find)};
    find.finish();
    auto count = db_->prepare("SELECT count(*) FROM documents WHERE pair_id = ?1");
    count.bind(1, identity.pair);
    count.step();
    if (count.column_int(0) >= max_documents) return Out{Refusal{Refusal::Rule::too_many_documents, max_documents}};
    count.finish();
    auto insert = db_->prepare(
        "INSERT INTO documents (pair_id, kind, meeting_id, owner_id, created_by, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
    insert.bind(1, identity.pair)
        .bind(2, static_cast<std::int64_t>(identity.kind))
        .bind(3, identity.meeting)
        .bind(4, identity.owner)
        .bind(5, identity.created_by)
        .bind(6, now);
    insert.step();
    DocumentRecord d = identity;
    d.id = db_->last_insert_id();
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

Result<DocumentRecord> SqliteStore::document_by_id(DocumentId id) {
  return run("document_by_id", [&]() { return select_document(*db_, id); });
}

Result<std::vector<DocumentRecord>> SqliteStore::documents_of_pair(PairId pair) {
  return run("documents_of_pair", [&]() -> Result<std::vector<DocumentRecord>> {
    auto st = db_->prepare("SELECT " + std::string(kDocumentColumns) + " FROM documents WHERE pair_id = ?1 ORDER BY id");
    st.bind(1, pair);
    std::vector<DocumentRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_document(st));
    return out;
  });
}

Result<Written<StoredVersion>> SqliteStore::append_version(const VersionRecord& v, const wire::Hash& previous_hash) {
  using Out = Written<StoredVersion>;
  return run("append_version", [&]() -> Result<Out> {
    sqlite::Transaction tx(*db_);
    auto doc = select_document(*db_, v.document);
    if (!doc.is_ok()) return doc.status();
    const std::int64_t latest = doc.value().latest_version;
    if (v.version <= latest) {
      auto existing = db_->prepare(
          "SELECT document_id, version, author_id, body, signature, hash, created_at FROM document_versions "
          "WHERE document_id = ?1 AND version = ?2");
      existing.bind(1, v.document).bind(2, v.version);
      if (existing.step() == Statement::Step::row) {
        auto stored = read_version(existing);
        if (stored.hash == v.hash && stored.author == v.author) return Out{StoredVersion{std::move(stored), true}};
      }
      return Out{Refusal{Refusal::Rule::version_stale, 0, latest}};
    }
    if (v.version != latest + 1) return Out{Refusal{Refusal::Rule::version_gap, 0, latest}};
    wire::Hash latest_hash{};
    if (latest > 0) {
      auto h = db_->prepare("SELECT hash FROM document_versions WHERE document_id = ?1 AND version = ?2");
      h.bind(1, v.document).bind(2, latest);
      if (h.step() == Statement::Step::row) latest_hash = to_array<wire::kHashBytes>(h.column_blob(0));
    }
    if (previous_hash != latest_hash) return Out{Refusal{Refusal::Rule::version_not_on_latest, 0, latest}};
    auto insert = db_->prepare(
        "INSERT INTO document_versions (document_id, version, author_id, body, signature, hash, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, v.document).bind(2, v.version).bind(3, v.author).bind(4, v.body).bind(5, v.signature).bind(6, v.hash)
        .bind(7, v.created_at);
    insert.step();
    auto update = db_->prepare(
        "UPDATE documents SET latest_version = ?2, updated_at = ?3, latest_size = ?4, "
        "first_version_at = ifnull(first_version_at, ?3) WHERE id = ?1");
    update.bind(1, v.document).bind(2, v.version).bind(3, v.created_at).bind(4, static_cast<std::int64_t>(v.body.size()));
    update.step();
    tx.commit();
    return Out{StoredVersion{v, false}};
  });
}

Result<std::vector<VersionRecord>> SqliteStore::versions(DocumentId document, std::int64_t from, std::size_t limit) {
  return run("versions", [&]() -> Result<std::vector<VersionRecord>> {
    auto st = db_->prepare(
        "SELECT document_id, version, author_id, body, signature, hash, created_at FROM document_versions "
        "WHERE document_id = ?1 AND version >= ?2 ORDER BY version LIMIT ?3");
    st.bind(1, document).bind(2, from).bind(3, static_cast<std::int64_t>(limit));
    std::vector<VersionRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_version(st));
    return out;
  });
}

Result<Written<bool>> SqliteStore::add_contract_signature(DocumentId document, std::int64_t version, MemberId member,
                                                          const wire::Signature& signature, TimeMs now) {
  using Out = Written<bool>;
  return run("add_contract_signature", [&]() -> Result<Out> {
    sqlite::Transaction tx(*db_);
    auto doc = select_document(*db_, document);
    if (!doc.is_ok()) return doc.status();
    const std::int64_t latest = doc.value().latest_version;
    if (version != latest) return Out{Refusal{Refusal::Rule::contract_version_stale, 0, latest}};
    auto insert = db_->prepare(
        "INSERT OR IGNORE INTO contract_signatures (document_id, version, member_id, signature, signed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, document).bind(2, version).bind(3, member).bind(4, signature).bind(5, now);
    insert.step();
    const bool added = db_->changes() > 0;
    tx.commit();
    return Out{added};
  });
}

Result<ContractRecord> SqliteStore::contract(DocumentId document) {
  return run("contract", [&]() -> Result<ContractRecord> {
    auto doc = select_document(*db_, document);
    if (!doc.is_ok()) return doc.status();
    return read_contract(*db_, doc.value());
  });
}

Result<ContractRecord> SqliteStore::contract_of_pair(PairId pair) {
  return run("contract_of_pair", [&]() -> Result<ContractRecord> { return sqlite_detail::select_contract_of_pair(*db_, pair); });
}

}  // namespace mentorlink::server
