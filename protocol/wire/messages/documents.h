#pragma once
// Contract templates, documents and contracts (PROTOCOL.md §6 "Contract templates", "Documents",
// §14). A version's body is ciphertext behind a public header (§14.1); nothing here reads it.

#include <optional>
#include <string>
#include <vector>

#include "protocol/wire/bytes.h"
#include "protocol/wire/document_version.h"
#include "protocol/wire/messages/codec.h"

namespace mentorlink::wire::messages {

inline constexpr std::size_t kMaxTemplatesPerList = 10'000;
inline constexpr std::size_t kMaxDocumentsPerList = 100'000;
inline constexpr std::size_t kMaxContractSignatures = 2;  // mentor and mentee

struct TemplateView {
  std::int64_t id = 0;
  std::int64_t programme = 0;
  std::string name;
  std::int64_t version = 0;
  std::int64_t published_by = 0;
  std::int64_t published_at = 0;
  std::optional<std::string> text;  // template.get only
  boost::json::object encode() const;
  static Result<TemplateView> decode(const boost::json::object& o);
};

struct TemplateResult {
  TemplateView template_;  // "template" on the wire
  boost::json::object encode() const;
  static Result<TemplateResult> decode(const boost::json::object& o);
};

struct TemplatePublishRequest {
  static constexpr std::string_view kType = "template.publish";
  using Reply = TemplateResult;
  std::int64_t programme = 0;
  std::string name;
  std::string text;
  boost::json::object encode() const;
  static Result<TemplatePublishRequest> decode(const boost::json::object& o);
};

struct TemplateListResult {
  std::vector<TemplateView> templates;
  boost::json::object encode() const;
  static Result<TemplateListResult> decode(const boost::json::object& o);
};

struct TemplateListRequest {
  static constexpr std::string_view kType = "template.list";
  using Reply = TemplateListResult;
  std::int64_t programme = 0;
  boost::json::object encode() const;
  static Result<TemplateListRequest> decode(const boost::json::object& o);
};

struct TemplateGetRequest {
  static constexpr std::string_view kType = "template.get";
  using Reply = TemplateResult;
  std::int64_t template_id = 0;  // "template" on the wire
  boost::json::object encode() const;
  static Result<TemplateGetRequest> decode(const boost::json::object& o);
};

struct DocumentView {
  std::int64_t id = 0;
  std::int64_t pair = 0;
  DocumentKind kind = DocumentKind::agenda;
  std::optional<std::int64_t> meeting;
  std::optional<std::int64_t> owner;
  std::int64_t latest_version = 0;
  std::int64_t size = 0;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  boost::json::object encode() const;
  static Result<DocumentView> decode(const boost::json::object& o);
};

struct VersionView {
  std::int64_t version = 0;
  std::int64_t author = 0;
  Bytes body;  // 1..kMaxDocumentVersionBytes
  Signature signature{};
  std::int64_t created_at = 0;
  boost::json::object encode() const;
  static Result<VersionView> decode(const boost::json::object& o);
};

struct DocumentResult {
  DocumentView document;
  boost::json::object encode() const;
  static Result<DocumentResult> decode(const boost::json::object& o);
};

struct DocumentOpenRequest {
  static constexpr std::string_view kType = "document.open";
  using Reply = DocumentResult;
  std::int64_t pair = 0;
  DocumentKind kind = DocumentKind::agenda;
  std::optional<std::int64_t> meeting;
  boost::json::object encode() const;
  static Result<DocumentOpenRequest> decode(const boost::json::object& o);
};

struct DocumentListResult {
  std::vector<DocumentView> documents;
  boost::json::object encode() const;
  static Result<DocumentListResult> decode(const boost::json::object& o);
};

struct DocumentListRequest {
  static constexpr std::string_view kType = "document.list";
  using Reply = DocumentListResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<DocumentListRequest> decode(const boost::json::object& o);
};

struct DocumentGetResult {
  DocumentView document;
  std::vector<VersionView> versions;  // at most kMaxVersionsPerRead
  bool more = false;
  boost::json::object encode() const;
  static Result<DocumentGetResult> decode(const boost::json::object& o);
};

struct DocumentGetRequest {
  static constexpr std::string_view kType = "document.get";
  using Reply = DocumentGetResult;
  std::int64_t document = 0;
  std::optional<std::int64_t> from;
  std::optional<std::int64_t> limit;
  boost::json::object encode() const;
  static Result<DocumentGetRequest> decode(const boost::json::object& o);
};

struct DocumentWriteResult {
  DocumentView document;
  std::int64_t version = 0;
  std::int64_t created_at = 0;
  bool duplicate = false;
  boost::json::object encode() const;
  static Result<DocumentWriteResult> decode(const boost::json::object& o);
};

struct DocumentWriteRequest {
  static constexpr std::string_view kType = "document.write";
  using Reply = DocumentWriteResult;
  std::int64_t document = 0;
  std::int64_t version = 0;
  Bytes body;
  Signature signature{};
  boost::json::object encode() const;
  static Result<DocumentWriteRequest> decode(const boost::json::object& o);
};

struct ContractSignatureView {
  std::int64_t member = 0;
  Signature signature{};
  std::int64_t signed_at = 0;
  boost::json::object encode() const;
  static Result<ContractSignatureView> decode(const boost::json::object& o);
};

struct ContractView {
  std::int64_t pair = 0;
  std::string state;  // "none" | "draft" | "signed_by_one" | "signed"
  std::optional<std::int64_t> document;
  std::int64_t version = 0;
  std::optional<Hash> version_hash;
  std::vector<ContractSignatureView> signatures;
  std::optional<std::int64_t> signed_at;
  boost::json::object encode() const;
  static Result<ContractView> decode(const boost::json::object& o);
};

struct ContractResult {
  ContractView contract;
  boost::json::object encode() const;
  static Result<ContractResult> decode(const boost::json::object& o);
};

struct ContractSignRequest {
  static constexpr std::string_view kType = "contract.sign";
  using Reply = ContractResult;
  std::int64_t document = 0;
  std::int64_t version = 0;
  Signature signature{};
  boost::json::object encode() const;
  static Result<ContractSignRequest> decode(const boost::json::object& o);
};

struct ContractStatusRequest {
  static constexpr std::string_view kType = "contract.status";
  using Reply = ContractResult;
  std::int64_t pair = 0;
  boost::json::object encode() const;
  static Result<ContractStatusRequest> decode(const boost::json::object& o);
};

}  // namespace mentorlink::wire::messages
