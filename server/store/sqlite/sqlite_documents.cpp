// SqliteStore: contract templates, documents and their versions, contract signatures.
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {
using sqlite::Statement;
using sqlite_detail::to_array;
using wire::ErrorCode;

namespace {

constexpr std::string_view kTemplateColumns = "id, programme_id, name, version, text, published_by, published_at";

TemplateRecord read_template(const Statement& st) {
  return TemplateRecord{st.column_int(0), st.column_int(1), st.column_text(2), st.column_int(3),
                        st.column_text(4), st.column_int(5), st.column_int(6)};
}

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
  if (st.step() != Statement::Step::row) return Status::error(ErrorCode::not_found, "no such document", "document");
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

// The contract's state: signatures count only on its latest version.
ContractStatus contract_status_of(sqlite::Database& db, const DocumentRecord& contract) {
  ContractStatus out;
  out.document = contract.id;
  out.version = contract.latest_version;
  if (contract.latest_version == 0) return out;  // opened, nothing written yet: still none
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
  out.state = out.signatures.empty()       ? ContractState::draft
              : out.signatures.size() == 1 ? ContractState::signed_by_one
                                           : ContractState::signed_by_both;
  if (out.state == ContractState::signed_by_both) out.signed_at = out.signatures.back().signed_at;
  return out;
}

}  // namespace

namespace sqlite_detail {

TemplateRecord insert_template(sqlite::Database& db, ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                               TimeMs now) {
  auto next = db.prepare(
      "SELECT ifnull(max(version), 0) + 1 FROM contract_templates WHERE programme_id = ?1 AND name = ?2");
  next.bind(1, programme).bind(2, draft.name);
  next.step();
  TemplateRecord t{0, programme, draft.name, next.column_int(0), draft.text, by, now};
  next.finish();
  auto insert = db.prepare(
      "INSERT INTO contract_templates (programme_id, name, version, text, published_by, published_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert.bind(1, programme).bind(2, t.name).bind(3, t.version).bind(4, t.text).bind(5, by).bind(6, now);
  insert.step();
  t.id = db.last_insert_id();
  return t;
}

}  // namespace sqlite_detail

Result<TemplateRecord> SqliteStore::publish_template(ProgrammeId programme, const TemplateDraft& draft, MemberId by,
                                                     TimeMs now) {
  return run("publish_template", [&]() -> Result<TemplateRecord> {
    sqlite::Transaction tx(*db_);
    auto t = sqlite_detail::insert_template(*db_, programme, draft, by, now);
    tx.commit();
    return t;
  });
}

Result<std::vector<TemplateRecord>> SqliteStore::latest_templates(ProgrammeId programme) {
  return run("latest_templates", [&]() -> Result<std::vector<TemplateRecord>> {
    auto st = db_->prepare("SELECT " + std::string(kTemplateColumns) +
                           " FROM contract_templates t WHERE programme_id = ?1 AND version = "
                           "(SELECT max(version) FROM contract_templates u WHERE u.programme_id = t.programme_id "
                           "AND u.name = t.name) ORDER BY name");
    st.bind(1, programme);
    std::vector<TemplateRecord> out;
    while (st.step() == Statement::Step::row) out.push_back(read_template(st));
    return out;
  });
}

Result<TemplateRecord> SqliteStore::template_by_id(TemplateId id) {
  return run("template_by_id", [&]() -> Result<TemplateRecord> {
    auto st = db_->prepare("SELECT " + std::string(kTemplateColumns) + " FROM contract_templates WHERE id = ?1");
    st.bind(1, id);
    if (st.step() != Statement::Step::row) return Status::error(ErrorCode::not_found, "no such template", "template");
    return read_template(st);
  });
}

Result<DocumentRecord> SqliteStore::open_document(const DocumentRecord& identity, TimeMs now, std::int64_t max_documents) {
  return run("open_document", [&]() -> Result<DocumentRecord> {
    sqlite::Transaction tx(*db_);
    auto find = db_->prepare("SELECT " + std::string(kDocumentColumns) +
                             " FROM documents WHERE pair_id = ?1 AND kind = ?2 AND ifnull(meeting_id, 0) = ?3 "
                             "AND ifnull(owner_id, 0) = ?4 AND format = 2");
    find.bind(1, identity.pair)
        .bind(2, static_cast<std::int64_t>(identity.kind))
        .bind(3, identity.meeting.value_or(0))
        .bind(4, identity.owner.value_or(0));
    if (find.step() == Statement::Step::row) return read_document(find);
    find.finish();
    auto count = db_->prepare("SELECT count(*) FROM documents WHERE pair_id = ?1");
    count.bind(1, identity.pair);
    count.step();
    if (count.column_int(0) >= max_documents) {
      return Status::error(ErrorCode::quota_exceeded,
                           "a pair may have at most " + std::to_string(max_documents) + " documents", "pair");
    }
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
    tx.commit();
    return d;
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

Result<StoredVersion> SqliteStore::append_version(const VersionRecord& v, const wire::Hash& previous_hash) {
  return run("append_version", [&]() -> Result<StoredVersion> {
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
        if (stored.hash == v.hash && stored.author == v.author) return StoredVersion{std::move(stored), true};
      }
      return Status::error(ErrorCode::conflict,
                           "the document changed: version " + std::to_string(latest) +
                               " is the newest; read it and write version " + std::to_string(latest + 1),
                           "version");
    }
    if (v.version != latest + 1) {
      return Status::error(ErrorCode::conflict,
                           "the next version of this document is " + std::to_string(latest + 1), "version");
    }
    wire::Hash latest_hash{};
    if (latest > 0) {
      auto h = db_->prepare("SELECT hash FROM document_versions WHERE document_id = ?1 AND version = ?2");
      h.bind(1, v.document).bind(2, latest);
      if (h.step() == Statement::Step::row) latest_hash = to_array<wire::kHashBytes>(h.column_blob(0));
    }
    if (previous_hash != latest_hash) {
      return Status::error(ErrorCode::conflict,
                           "the version does not build on version " + std::to_string(latest) + " as stored", "body");
    }
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
    return StoredVersion{v, false};
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

Result<ContractStatus> SqliteStore::sign_contract(DocumentId document, std::int64_t version, MemberId member,
                                                  const wire::Signature& signature, TimeMs now) {
  return run("sign_contract", [&]() -> Result<ContractStatus> {
    sqlite::Transaction tx(*db_);
    auto doc = select_document(*db_, document);
    if (!doc.is_ok()) return doc.status();
    if (doc.value().kind != wire::DocumentKind::contract) {
      return Status::error(ErrorCode::invalid_field, "only a contract can be signed", "document");
    }
    if (version != doc.value().latest_version) {
      return Status::error(ErrorCode::conflict,
                           "the contract changed: version " + std::to_string(doc.value().latest_version) +
                               " is the newest; read it before signing",
                           "version");
    }
    auto insert = db_->prepare(
        "INSERT OR IGNORE INTO contract_signatures (document_id, version, member_id, signature, signed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    insert.bind(1, document).bind(2, version).bind(3, member).bind(4, signature).bind(5, now);
    insert.step();
    const bool added = db_->changes() > 0;
    auto status = contract_status_of(*db_, doc.value());
    status.signature_added = added;
    tx.commit();
    return status;
  });
}

Result<ContractStatus> SqliteStore::contract_status(PairId pair) {
  return run("contract_status", [&]() -> Result<ContractStatus> {
    auto st = db_->prepare("SELECT " + std::string(kDocumentColumns) +
                           " FROM documents WHERE pair_id = ?1 AND kind = ?2 AND format = 2");
    st.bind(1, pair).bind(2, static_cast<std::int64_t>(wire::DocumentKind::contract));
    if (st.step() != Statement::Step::row) return ContractStatus{};
    const auto contract = read_document(st);
    st.finish();
    return contract_status_of(*db_, contract);
  });
}

}  // namespace mentorlink::server
