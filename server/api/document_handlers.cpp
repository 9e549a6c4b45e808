// document.open, document.list, document.get, document.write, contract.sign, contract.status
// (PROTOCOL.md, "Documents"). Versions are opaque ciphertext; the server checks only what it can
// without a key: the header's place, the author's signature, and that each version builds on the
// stored latest one. Contract signatures are verified against the signer's identity key.
#include <array>

#include "protocol/wire/document_version.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/events.h"
#include "protocol/wire/signatures.h"
#include "server/api/content_views.h"
#include "server/api/handler.h"
#include "server/api/pair_content.h"
#include "server/api/programme_activity.h"
#include "server/core/contracts.h"
#include "server/core/refusals.h"
#include "server/policy/access.h"

namespace mentorlink::server::api {
namespace json = boost::json;
namespace msg = wire::messages;
using wire::DocumentKind;
using wire::ErrorCode;

namespace {

template <class Event>
void notify_partner(Call& call, const PairRecord& pair, const Event& event) {
  call.server.hub.publish(partner_of(pair, call.member()), event_frame(event));
}

struct LoadedDocument {
  DocumentRecord document;
  PairRecord pair;
};

// The document named by the request, with the pair and document rules applied.
Result<LoadedDocument> load_document(Call& call, std::int64_t id, ContentAccess access) {
  auto doc = call.server.store.document_by_id(id);
  if (!doc.is_ok()) return doc.status();
  auto pair = pair_for_content(call, doc.value().pair, access);
  if (!pair.is_ok()) {
    if (pair.status().code() == ErrorCode::not_found) {
      return Status::error(ErrorCode::not_found, "no such document", "document");
    }
    return pair.status();
  }
  auto allowed = access == ContentAccess::write ? policy::may_write_document(doc.value(), call.member())
                                                : policy::may_read_document(doc.value(), call.member());
  if (!allowed.is_ok()) return allowed;
  return LoadedDocument{std::move(doc.value()), std::move(pair.value())};
}

Result<msg::DocumentResult> open(Call& call, const msg::DocumentOpenRequest& request) {
  const PairId pair_id = request.pair;
  const DocumentKind kind = request.kind;
  const auto& meeting_id = request.meeting;
  const std::string kind_name(wire::to_string(kind));
  const bool per_meeting = kind == DocumentKind::agenda || kind == DocumentKind::feedback;
  if (per_meeting && !meeting_id) {
    return Status::error(ErrorCode::missing_field, "an " + kind_name + " belongs to a meeting: name it", "meeting");
  }
  if (!per_meeting && meeting_id) {
    return Status::error(ErrorCode::invalid_field, "a " + kind_name + " does not belong to a meeting", "meeting");
  }
  auto pair = pair_for_content(call, pair_id, ContentAccess::write);
  if (!pair.is_ok()) return pair.status();
  if (meeting_id) {
    auto meeting = call.server.store.meeting_by_id(*meeting_id);
    if (!meeting.is_ok() || meeting.value().pair != pair_id) {
      return Status::error(ErrorCode::not_found, "this pair has no such meeting", "meeting");
    }
    if (meeting.value().status == MeetingStatus::cancelled) {
      return Status::error(ErrorCode::conflict, "that meeting was cancelled", "meeting");
    }
    if (kind == DocumentKind::feedback && meeting.value().status != MeetingStatus::ended) {
      return Status::error(ErrorCode::conflict, "feedback opens once the meeting has ended", "meeting");
    }
  }
  DocumentRecord identity;
  identity.pair = pair_id;
  identity.kind = kind;
  identity.meeting = meeting_id;
  if (kind == DocumentKind::feedback || kind == DocumentKind::reflection) identity.owner = call.member();
  identity.created_by = call.member();
  auto doc = accepted(call.server.store.open_document(identity, call.server.clock.now_ms(),
                                                      call.server.limits.max_documents_per_pair));
  if (!doc.is_ok()) return doc.status();
  return msg::DocumentResult{document_view(doc.value())};
}

Result<msg::DocumentListResult> list(Call& call, const msg::DocumentListRequest& request) {
  auto pair = pair_for_content(call, request.pair, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  auto docs = call.server.store.documents_of_pair(pair.value().id);
  if (!docs.is_ok()) return docs.status();
  msg::DocumentListResult out;
  for (const auto& d : docs.value()) {
    if (policy::may_read_document(d, call.member()).is_ok()) out.documents.push_back(document_view(d));
  }
  return out;
}

Result<msg::DocumentGetResult> get(Call& call, const msg::DocumentGetRequest& request) {
  const DocumentId id = request.document;
  const auto from = request.from.value_or(1);
  const auto limit = request.limit.value_or(wire::kMaxVersionsPerRead);
  auto loaded = load_document(call, id, ContentAccess::read);
  if (!loaded.is_ok()) return loaded.status();
  auto versions = call.server.store.versions(id, from, static_cast<std::size_t>(limit) + 1);
  if (!versions.is_ok()) return versions.status();
  auto& list = versions.value();
  bool more = list.size() > static_cast<std::size_t>(limit);
  if (more) list.pop_back();
  std::size_t bytes = 0;
  msg::DocumentGetResult out;
  out.document = document_view(loaded.value().document);
  for (const auto& v : list) {
    bytes += v.body.size();
    if (!out.versions.empty() && bytes > call.server.limits.max_sync_bytes) {
      more = true;
      break;
    }
    out.versions.push_back(version_view(v));
  }
  out.more = more;
  return out;
}

Result<msg::DocumentWriteResult> write(Call& call, const msg::DocumentWriteRequest& request) {
  const DocumentId id = request.document;
  const auto version = request.version;
  const auto& signature = request.signature;
  const wire::Bytes& body = request.body;
  if (wire::is_v1_document_version(body)) {
    return Status::error(ErrorCode::invalid_field,
                         "field \"body\" is a protocol version 1 document version; this server takes version 2 (§14.1)",
                         "body");
  }
  const auto header = wire::parse_document_header(body);
  if (!header) return Status::error(ErrorCode::invalid_field, "field \"body\" is not a document version", "body");
  if (!wire::is_padded_ciphertext_size(body.size() - wire::kDocumentHeaderBytes)) {
    return Status::error(ErrorCode::invalid_field,
                         "field \"body\" holds a ciphertext of " + std::to_string(body.size() - wire::kDocumentHeaderBytes) +
                             " bytes, which is not a padded size (64, 128, ... 65536 bytes plus the 16-byte tag, §14.1)",
                         "body");
  }
  auto loaded = load_document(call, id, ContentAccess::write);
  if (!loaded.is_ok()) return loaded.status();
  const auto& doc = loaded.value().document;
  if (doc.format == 1) {
    return Status::error(ErrorCode::conflict,
                         "this document was written by protocol version 1 clients and is kept read-only; "
                         "document.open starts a new one",
                         "document");
  }
  const wire::DocumentIdentity identity{static_cast<std::uint64_t>(doc.pair), static_cast<std::uint64_t>(doc.id), doc.kind,
                                        static_cast<std::uint64_t>(doc.meeting.value_or(0)),
                                        static_cast<std::uint64_t>(doc.owner.value_or(0))};
  if (header->identity != identity || header->version != static_cast<std::uint32_t>(version)) {
    return Status::error(ErrorCode::invalid_field,
                         "the version's header names another pair, document, kind, meeting, owner or version number",
                         "body");
  }
  if (version > call.server.limits.max_versions_per_document) {
    return Status::error(ErrorCode::quota_exceeded,
                         "a document may have at most " + std::to_string(call.server.limits.max_versions_per_document) +
                             " versions",
                         "version");
  }
  if (header->author != call.session.identity_key) {
    return Status::error(ErrorCode::bad_signature, "a version must name you as its author", "body");
  }
  VersionRecord v;
  v.document = id;
  v.version = version;
  v.author = call.member();
  v.body = body;
  v.signature = signature;
  v.hash = call.precheck != nullptr ? call.precheck->body_hash : wire::document_version_hash(v.body);
  v.created_at = call.server.clock.now_ms();
  const bool signature_valid =
      call.precheck != nullptr
          ? call.precheck->signature_valid
          : wire::verify_signature(call.session.identity_key,
                                   wire::document_signature_message(identity, header->version, v.hash), signature);
  if (!signature_valid) {
    return Status::error(ErrorCode::bad_signature, "the version's signature does not verify under your identity key",
                         "signature");
  }
  auto stored = accepted(call.server.store.append_version(v, header->previous));
  if (!stored.is_ok()) return stored.status();
  const auto& s = stored.value();
  auto updated = call.server.store.document_by_id(id);
  if (!updated.is_ok()) return updated.status();
  if (!s.duplicate && doc.kind != DocumentKind::reflection) {
    notify_partner(call, loaded.value().pair, msg::DocumentUpdatedEvent{document_view(updated.value()), call.member()});
  }
  return msg::DocumentWriteResult{document_view(updated.value()), s.version.version, s.version.created_at, s.duplicate};
}

// document.write's hash and signature check, on the connection's thread (Route::precheck). The
// signature is checked over the header's identity; write() uses the result only once that
// identity matched the stored document.
std::optional<Precheck> precheck_write(const SessionState& session, const wire::Request& request) {
  auto decoded = msg::DocumentWriteRequest::decode(request.body);
  if (!decoded.is_ok()) return std::nullopt;
  const auto& body = decoded.value().body;
  const auto header = wire::parse_document_header(body);
  if (wire::is_v1_document_version(body) || !header) return std::nullopt;
  Precheck out;
  out.body_hash = wire::document_version_hash(body);
  out.signature_valid =
      wire::verify_signature(session.identity_key, wire::document_signature_message(header->identity, header->version, out.body_hash),
                             decoded.value().signature);
  return out;
}

Result<msg::ContractResult> sign(Call& call, const msg::ContractSignRequest& request) {
  const DocumentId id = request.document;
  const auto version = request.version;
  const auto& signature = request.signature;
  auto loaded = load_document(call, id, ContentAccess::write);
  if (!loaded.is_ok()) return loaded.status();
  const auto& doc = loaded.value().document;
  if (auto s = may_sign(doc); !s.is_ok()) return s;
  auto versions = call.server.store.versions(id, version, 1);
  if (!versions.is_ok()) return versions.status();
  if (versions.value().empty()) return Status::error(ErrorCode::not_found, "the contract has no such version", "version");
  auto me = call.server.store.member_by_id(call.member());
  if (!me.is_ok()) return me.status();
  const auto& v = versions.value().front();
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(doc.pair),
                                                        static_cast<std::uint64_t>(doc.id),
                                                        static_cast<std::uint32_t>(version), v.hash);
  if (!wire::verify_signature(me.value().identity_key, message, signature)) {
    return Status::error(ErrorCode::bad_signature,
                         "the signature does not verify under your identity key for this contract version", "signature");
  }
  auto status = sign_contract(call.server.store, doc, version, call.member(), signature, call.server.clock.now_ms());
  if (!status.is_ok()) return status.status();
  auto view = contract_view(doc.pair, status.value());
  notify_partner(call, loaded.value().pair, msg::ContractUpdatedEvent{view});
  if (status.value().state == ContractState::signed_by_both && status.value().signature_added) {
    msg::ProgrammeActivityEvent activity;
    activity.signed_at = *status.value().signed_at;
    announce_activity(call.server, loaded.value().pair, "contract.signed", activity);
  }
  return msg::ContractResult{std::move(view)};
}

Result<msg::ContractResult> contract_status(Call& call, const msg::ContractStatusRequest& request) {
  auto pair = pair_for_content(call, request.pair, ContentAccess::read);
  if (!pair.is_ok()) return pair.status();
  auto status = server::contract_status(call.server.store, pair.value().id);
  if (!status.is_ok()) return status.status();
  return msg::ContractResult{contract_view(pair.value().id, status.value())};
}

constexpr std::array kRoutes{
    typed_route<msg::DocumentOpenRequest, &open>(Access::member),
    typed_route<msg::DocumentListRequest, &list>(Access::member),
    typed_route<msg::DocumentGetRequest, &get>(Access::member),
    // Grouped like messages: the version and its document.updated event are out only after the
    // batch's commit. contract.sign stays alone: its programme activity goes straight to watchers.
    typed_route<msg::DocumentWriteRequest, &write>(Access::member, Commit::grouped, &precheck_write),
    typed_route<msg::ContractSignRequest, &sign>(Access::member),
    typed_route<msg::ContractStatusRequest, &contract_status>(Access::member),
};

}  // namespace

std::span<const Route> document_routes() { return kRoutes; }

}  // namespace mentorlink::server::api
