#include "protocol/wire/messages/documents.h"

#include "protocol/wire/base64url.h"

namespace mentorlink::wire::messages {
namespace json = boost::json;

namespace {

DocumentKind read_kind(FieldReader& in) {
  const auto name = in.choice("kind", {"agenda", "contract", "goals", "feedback", "reflection"});
  return document_kind_from_string(name).value_or(DocumentKind::agenda);
}

}  // namespace

json::object TemplateView::encode() const {
  json::object o{{"id", id},
                 {"programme", programme},
                 {"name", name},
                 {"version", version},
                 {"published_by", published_by},
                 {"published_at", published_at}};
  if (text) o["text"] = *text;
  return o;
}

Result<TemplateView> TemplateView::decode(const json::object& o) {
  FieldReader in(o);
  TemplateView v;
  v.id = in.integer("id", 1, kMaxId);
  v.programme = in.integer("programme", 1, kMaxId);
  v.name = in.text("name", kMaxTemplateNameBytes);
  v.version = in.integer("version", 1, kMaxCount);
  v.published_by = in.integer("published_by", 1, kMaxId);
  v.published_at = in.integer("published_at", 0, kMaxTime);
  v.text = in.optional_text("text", kMaxTemplateTextBytes);
  return finish(in, std::move(v));
}

json::object TemplateResult::encode() const { return {{"template", template_.encode()}}; }

Result<TemplateResult> TemplateResult::decode(const json::object& o) {
  FieldReader in(o);
  TemplateResult v;
  v.template_ = in.object<TemplateView>("template");
  return finish(in, std::move(v));
}

json::object TemplatePublishRequest::encode() const {
  return {{"programme", programme}, {"name", name}, {"text", text}};
}

Result<TemplatePublishRequest> TemplatePublishRequest::decode(const json::object& o) {
  FieldReader in(o);
  TemplatePublishRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  v.name = in.text("name", kMaxTemplateNameBytes);
  v.text = in.text("text", kMaxTemplateTextBytes);
  return finish(in, std::move(v));
}

json::object TemplateListResult::encode() const { return {{"templates", encode_all(templates)}}; }

Result<TemplateListResult> TemplateListResult::decode(const json::object& o) {
  FieldReader in(o);
  TemplateListResult v;
  v.templates = in.list<TemplateView>("templates", kMaxTemplatesPerList);
  return finish(in, std::move(v));
}

json::object TemplateListRequest::encode() const { return {{"programme", programme}}; }

Result<TemplateListRequest> TemplateListRequest::decode(const json::object& o) {
  FieldReader in(o);
  TemplateListRequest v;
  v.programme = in.integer("programme", 1, kMaxId);
  return finish(in, v);
}

json::object TemplateGetRequest::encode() const { return {{"template", template_id}}; }

Result<TemplateGetRequest> TemplateGetRequest::decode(const json::object& o) {
  FieldReader in(o);
  TemplateGetRequest v;
  v.template_id = in.integer("template", 1, kMaxId);
  return finish(in, v);
}

json::object DocumentView::encode() const {
  json::object o{{"id", id}, {"pair", pair}, {"kind", to_string(kind)}};
  o["meeting"] = nullable(meeting);
  o["owner"] = nullable(owner);
  o["latest_version"] = latest_version;
  o["size"] = size;
  o["created_at"] = created_at;
  o["updated_at"] = updated_at;
  return o;
}

Result<DocumentView> DocumentView::decode(const json::object& o) {
  FieldReader in(o);
  DocumentView v;
  v.id = in.integer("id", 1, kMaxId);
  v.pair = in.integer("pair", 1, kMaxId);
  v.kind = read_kind(in);
  v.meeting = in.optional_integer("meeting", 1, kMaxId);
  v.owner = in.optional_integer("owner", 1, kMaxId);
  v.latest_version = in.integer("latest_version", 0, kMaxDocumentVersion);
  v.size = in.integer("size", 0, static_cast<std::int64_t>(kMaxDocumentVersionBytes));
  v.created_at = in.integer("created_at", 0, kMaxTime);
  v.updated_at = in.integer("updated_at", 0, kMaxTime);
  return finish(in, v);
}

json::object VersionView::encode() const {
  return {{"version", version},
          {"author", author},
          {"body", base64url_encode(body)},
          {"signature", base64url_encode(signature)},
          {"created_at", created_at}};
}

Result<VersionView> VersionView::decode(const json::object& o) {
  FieldReader in(o);
  VersionView v;
  v.version = in.integer("version", 1, kMaxDocumentVersion);
  v.author = in.integer("author", 1, kMaxId);
  v.body = in.bytes_up_to("body", kMaxDocumentVersionBytes);
  v.signature = in.fixed<kSignatureBytes>("signature");
  v.created_at = in.integer("created_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

json::object DocumentResult::encode() const { return {{"document", document.encode()}}; }

Result<DocumentResult> DocumentResult::decode(const json::object& o) {
  FieldReader in(o);
  DocumentResult v;
  v.document = in.object<DocumentView>("document");
  return finish(in, v);
}

json::object DocumentOpenRequest::encode() const {
  json::object o{{"pair", pair}, {"kind", to_string(kind)}};
  if (meeting) o["meeting"] = *meeting;
  return o;
}

Result<DocumentOpenRequest> DocumentOpenRequest::decode(const json::object& o) {
  FieldReader in(o);
  DocumentOpenRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.kind = read_kind(in);
  v.meeting = in.optional_integer("meeting", 1, kMaxId);
  return finish(in, v);
}

json::object DocumentListResult::encode() const { return {{"documents", encode_all(documents)}}; }

Result<DocumentListResult> DocumentListResult::decode(const json::object& o) {
  FieldReader in(o);
  DocumentListResult v;
  v.documents = in.list<DocumentView>("documents", kMaxDocumentsPerList);
  return finish(in, std::move(v));
}

json::object DocumentListRequest::encode() const { return {{"pair", pair}}; }

Result<DocumentListRequest> DocumentListRequest::decode(const json::object& o) {
  FieldReader in(o);
  DocumentListRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

json::object DocumentGetResult::encode() const {
  return {{"document", document.encode()}, {"versions", encode_all(versions)}, {"more", more}};
}

Result<DocumentGetResult> DocumentGetResult::decode(const json::object& o) {
  FieldReader in(o);
  DocumentGetResult v;
  v.document = in.object<DocumentView>("document");
  v.versions = in.list<VersionView>("versions", static_cast<std::size_t>(kMaxVersionsPerRead));
  v.more = in.boolean("more");
  return finish(in, std::move(v));
}

json::object DocumentGetRequest::encode() const {
  json::object o{{"document", document}};
  if (from) o["from"] = *from;
  if (limit) o["limit"] = *limit;
  return o;
}

Result<DocumentGetRequest> DocumentGetRequest::decode(const json::object& o) {
  FieldReader in(o);
  DocumentGetRequest v;
  v.document = in.integer("document", 1, kMaxId);
  v.from = in.optional_integer("from", 1, kMaxDocumentVersion);
  v.limit = in.optional_integer("limit", 1, kMaxVersionsPerRead);
  return finish(in, v);
}

json::object DocumentWriteResult::encode() const {
  return {{"document", document.encode()}, {"version", version}, {"created_at", created_at}, {"duplicate", duplicate}};
}

Result<DocumentWriteResult> DocumentWriteResult::decode(const json::object& o) {
  FieldReader in(o);
  DocumentWriteResult v;
  v.document = in.object<DocumentView>("document");
  v.version = in.integer("version", 1, kMaxDocumentVersion);
  v.created_at = in.integer("created_at", 0, kMaxTime);
  v.duplicate = in.boolean("duplicate");
  return finish(in, v);
}

json::object DocumentWriteRequest::encode() const {
  return {{"document", document},
          {"version", version},
          {"body", base64url_encode(body)},
          {"signature", base64url_encode(signature)}};
}

Result<DocumentWriteRequest> DocumentWriteRequest::decode(const json::object& o) {
  FieldReader in(o);
  DocumentWriteRequest v;
  v.document = in.integer("document", 1, kMaxId);
  v.version = in.integer("version", 1, kMaxDocumentVersion);
  v.body = in.bytes_up_to("body", kMaxDocumentVersionBytes);
  v.signature = in.fixed<kSignatureBytes>("signature");
  return finish(in, std::move(v));
}

json::object ContractSignatureView::encode() const {
  return {{"member", member}, {"signature", base64url_encode(signature)}, {"signed_at", signed_at}};
}

Result<ContractSignatureView> ContractSignatureView::decode(const json::object& o) {
  FieldReader in(o);
  ContractSignatureView v;
  v.member = in.integer("member", 1, kMaxId);
  v.signature = in.fixed<kSignatureBytes>("signature");
  v.signed_at = in.integer("signed_at", 0, kMaxTime);
  return finish(in, v);
}

json::object ContractView::encode() const {
  json::object o{{"pair", pair}, {"state", state}};
  o["document"] = nullable(document);
  o["version"] = version;
  o["version_hash"] = version_hash ? json::value(base64url_encode(*version_hash)) : json::value(nullptr);
  o["signatures"] = encode_all(signatures);
  o["signed_at"] = nullable(signed_at);
  return o;
}

Result<ContractView> ContractView::decode(const json::object& o) {
  FieldReader in(o);
  ContractView v;
  v.pair = in.integer("pair", 1, kMaxId);
  v.state = in.choice("state", {"none", "draft", "signed_by_one", "signed"});
  v.document = in.optional_integer("document", 1, kMaxId);
  v.version = in.integer("version", 0, kMaxDocumentVersion);
  if (auto hash = in.optional_bytes("version_hash", kHashBytes)) {
    v.version_hash = Hash{};
    std::copy(hash->begin(), hash->end(), v.version_hash->begin());
  }
  v.signatures = in.list<ContractSignatureView>("signatures", kMaxContractSignatures);
  v.signed_at = in.optional_integer("signed_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

json::object ContractResult::encode() const { return {{"contract", contract.encode()}}; }

Result<ContractResult> ContractResult::decode(const json::object& o) {
  FieldReader in(o);
  ContractResult v;
  v.contract = in.object<ContractView>("contract");
  return finish(in, std::move(v));
}

json::object ContractSignRequest::encode() const {
  return {{"document", document}, {"version", version}, {"signature", base64url_encode(signature)}};
}

Result<ContractSignRequest> ContractSignRequest::decode(const json::object& o) {
  FieldReader in(o);
  ContractSignRequest v;
  v.document = in.integer("document", 1, kMaxId);
  v.version = in.integer("version", 1, kMaxDocumentVersion);
  v.signature = in.fixed<kSignatureBytes>("signature");
  return finish(in, v);
}

json::object ContractStatusRequest::encode() const { return {{"pair", pair}}; }

Result<ContractStatusRequest> ContractStatusRequest::decode(const json::object& o) {
  FieldReader in(o);
  ContractStatusRequest v;
  v.pair = in.integer("pair", 1, kMaxId);
  return finish(in, v);
}

}  // namespace mentorlink::wire::messages
