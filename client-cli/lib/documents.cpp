#include "client-cli/lib/documents.h"

#include "protocol/wire/signatures.h"

namespace mentorlink::client {
namespace msg = wire::messages;
using wire::ErrorCode;

namespace {

// A reply about another document, pair or version than the one asked for.
Status answered_otherwise(std::string_view type, std::string what, std::string field) {
  return unreadable_reply(type, Status::error(ErrorCode::invalid_field, "it is about " + std::move(what), std::move(field)));
}

}  // namespace

DocumentInfo document_info(const msg::DocumentView& v) {
  DocumentInfo d;
  d.id = v.id;
  d.pair = v.pair;
  d.kind = v.kind;
  d.meeting = v.meeting;
  d.owner = v.owner;
  d.latest_version = v.latest_version;
  d.updated_at = v.updated_at;
  return d;
}

DocumentBook::DocumentBook(Connection& connection, const device::IdentityKeyPair& identity, DeviceState& state,
                           Messenger& messenger, std::function<Status()> persist)
    : connection_(connection), identity_(identity), state_(state), messenger_(messenger), persist_(std::move(persist)) {}

Result<wire::IdentityKey> DocumentBook::partner_key(PairId pair) {
  if (const auto& trusted = state_.pairs[pair].partner_key) return *trusted;
  return messenger_.partner_identity(pair);
}

Result<DocumentInfo> DocumentBook::open(PairId pair, wire::DocumentKind kind, std::optional<std::int64_t> meeting) {
  auto r = connection_.call(msg::DocumentOpenRequest{pair, kind, meeting});
  if (!r.is_ok()) return r.status();
  const auto& d = r.value().document;
  if (d.pair != pair || d.kind != kind || d.meeting != meeting) {
    return answered_otherwise(msg::DocumentOpenRequest::kType, "another document than the one asked for", "document");
  }
  return document_info(d);
}

Result<std::vector<DocumentInfo>> DocumentBook::list(PairId pair, wire::DocumentKind kind,
                                                     std::optional<std::int64_t> meeting) {
  auto r = connection_.call(msg::DocumentListRequest{pair});
  if (!r.is_ok()) return r.status();
  std::vector<DocumentInfo> out;
  for (const auto& v : r.value().documents) {
    if (v.pair != pair) return answered_otherwise(msg::DocumentListRequest::kType, "another pair", "documents.pair");
    if (v.kind == kind && v.meeting == meeting) out.push_back(document_info(v));
  }
  return out;
}

Result<std::optional<DocumentInfo>> DocumentBook::find(PairId pair, wire::DocumentKind kind,
                                                       std::optional<std::int64_t> meeting) {
  auto all = list(pair, kind, meeting);
  if (!all.is_ok()) return all.status();
  if (all.value().empty()) return std::optional<DocumentInfo>();
  return std::optional<DocumentInfo>(all.value().front());
}

Result<DocumentText> DocumentBook::read(const DocumentInfo& info) {
  auto& ds = state_.documents[info.id];
  const bool first_sight = ds.pair == 0;
  if (ds.pair != 0 && ds.pair != info.pair) {
    return Status::error(ErrorCode::bad_signature, "the server moved document " + std::to_string(info.id) +
                                                       " to another pair; nothing was read");
  }
  ds.pair = info.pair;
  auto partner = partner_key(info.pair);
  if (!partner.is_ok()) return partner.status();

  const std::uint32_t from = ds.head ? ds.head->version : 1;
  std::vector<device::FetchedVersion> fetched;
  std::vector<std::int64_t> written_at;
  for (bool more = true; more;) {
    const auto next = static_cast<std::int64_t>(from + fetched.size());
    auto r = connection_.call(msg::DocumentGetRequest{info.id, next, std::nullopt});
    if (!r.is_ok()) return r.status();
    if (r.value().document.id != info.id) {
      return answered_otherwise(msg::DocumentGetRequest::kType, "another document", "document.id");
    }
    auto& versions = r.value().versions;
    for (auto& v : versions) {
      device::FetchedVersion f;
      f.version = static_cast<std::uint32_t>(v.version);
      f.signature = v.signature;
      f.body = std::move(v.body);
      written_at.push_back(v.created_at);
      fetched.push_back(std::move(f));
    }
    more = r.value().more && !versions.empty();
  }

  const device::ChainExpectation expect{static_cast<std::uint64_t>(info.pair), static_cast<std::uint64_t>(info.id),
                                        info.kind, {identity_.public_key(), partner.value()}};
  const auto check = device::verify_chain(expect, ds.head, from, fetched);
  if (check.error) {
    return Status::error(ErrorCode::bad_signature,
                         "document " + std::to_string(info.id) + ": " + std::string(device::describe(*check.error)) +
                             " (at version " + std::to_string(check.error_version) +
                             "); this device keeps what it verified before and trusts nothing new");
  }
  const bool moved = check.head && (!ds.head || check.head->version != ds.head->version);
  ds.head = check.head;
  if (first_sight || moved) {
    if (auto s = persist_(); !s.is_ok()) return s;
  }

  DocumentText out;
  out.info = info;
  if (check.versions.empty()) return out;
  const auto& newest = check.versions.back();
  const auto key = ds.keys.find(newest.header.key_id);
  if (key == ds.keys.end()) {
    return Status::error(ErrorCode::not_found,
                         "the key for document " + std::to_string(info.id) +
                             " has not reached this device yet; it comes over your pair's session when your partner's "
                             "device next connects (then run mentorlink sync)");
  }
  auto plaintext = device::open_version(key->second, fetched.back().body);
  if (!plaintext) {
    return Status::error(ErrorCode::bad_signature, "version " + std::to_string(newest.header.version) + " of document " +
                                                       std::to_string(info.id) + " does not decrypt");
  }
  out.version = newest.header.version;
  out.text.assign(plaintext->begin(), plaintext->end());
  device::wipe(*plaintext);
  out.mine = newest.header.author == identity_.public_key();
  out.written_at = written_at.back();
  out.hash = newest.hash;
  out.key_id = newest.header.key_id;
  return out;
}

Result<DocumentText> DocumentBook::write(const DocumentInfo& info, std::uint32_t base_version, const std::string& text) {
  if (text.size() > device::kMaxDocumentPlaintextBytes) {
    return Status::error(ErrorCode::invalid_field, "a document may be at most " +
                                                       std::to_string(device::kMaxDocumentPlaintextBytes) + " bytes");
  }
  auto current = read(info);
  if (!current.is_ok()) return current.status();
  if (current.value().version != base_version) {
    return Status::error(ErrorCode::conflict,
                         "document " + std::to_string(info.id) + " changed since you read it (now version " +
                             std::to_string(current.value().version) + "); read it again and redo your edit",
                         "version");
  }
  auto& ds = state_.documents[info.id];
  device::DocumentKey key{};
  if (current.value().version > 0) {
    const auto known = ds.keys.find(current.value().key_id);  // read() just opened the newest version with it
    if (known == ds.keys.end()) return Status::error(ErrorCode::not_found, "the document's key is not on this device");
    key = known->second;
  } else {
    key = device::new_document_key(device::system_random());
    ds.keys[device::document_key_id(key)] = key;
    if (auto s = persist_(); !s.is_ok()) return s;  // the key is safe before anything uses it
  }
  const device::VersionPlace place{static_cast<std::uint64_t>(info.pair), static_cast<std::uint64_t>(info.id), info.kind,
                                   base_version + 1, ds.head ? ds.head->hash : wire::Hash{}};
  const auto sealed = device::seal_version(
      identity_, key, place, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
      device::system_random());
  if (!sealed) return Status::error(ErrorCode::invalid_field, "the document is too long");
  auto r = connection_.call(msg::DocumentWriteRequest{info.id, place.version, sealed->body, sealed->signature});
  if (!r.is_ok()) return r.status();
  if (r.value().document.id != info.id || r.value().version != place.version) {
    return answered_otherwise(msg::DocumentWriteRequest::kType, "another document or version", "version");
  }
  ds.head = device::ChainHead{place.version, sealed->hash};
  if (auto s = persist_(); !s.is_ok()) return s;

  const auto id = device::document_key_id(key);
  if (info.kind != wire::DocumentKind::reflection && ds.shared.count(id) == 0) {
    ds.to_share.insert(id);  // remembered first, so a failed send is retried by share_pending()
    if (auto s = persist_(); !s.is_ok()) return s;
    if (auto s = share_pending(info.id); !s.is_ok()) {
      return Status::error(s.code(), "version " + std::to_string(place.version) +
                                         " is saved, but its key did not reach your partner yet (" + s.message() +
                                         "); your next document command sends it");
    }
  }
  DocumentText out;
  out.info = info;
  out.info.latest_version = place.version;
  out.version = place.version;
  out.text = text;
  out.mine = true;
  out.written_at = r.value().created_at;
  out.hash = sealed->hash;
  return out;
}

Status DocumentBook::share_pending(std::optional<DocumentId> only) {
  for (auto& [id, ds] : state_.documents) {
    if (only && id != *only) continue;
    while (!ds.to_share.empty()) {
      const auto key_id = *ds.to_share.begin();
      const auto key = ds.keys.find(key_id);
      if (key != ds.keys.end()) {
        auto sent = messenger_.share_document_key(ds.pair, {static_cast<std::uint64_t>(ds.pair),
                                                            static_cast<std::uint64_t>(id), key->second});
        if (!sent.is_ok()) return sent.status();
        ds.shared.insert(key_id);
      }
      ds.to_share.erase(key_id);
      if (auto s = persist_(); !s.is_ok()) return s;
    }
  }
  return Status::ok();
}

Result<msg::ContractView> DocumentBook::sign_contract(const DocumentText& current, std::uint32_t version) {
  if (current.version == 0) return Status::error(ErrorCode::not_found, "the contract has no text to sign yet");
  if (current.version != version) {
    return Status::error(ErrorCode::conflict,
                         "the contract changed: version " + std::to_string(current.version) +
                             " is the newest; read it (mentorlink contract show) before signing",
                         "version");
  }
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(current.info.pair),
                                                        static_cast<std::uint64_t>(current.info.id), version,
                                                        current.hash);
  const auto signature = identity_.sign(message);
  auto r = connection_.call(msg::ContractSignRequest{current.info.id, version, signature});
  if (!r.is_ok()) return r.status();
  if (r.value().contract.pair != current.info.pair) {
    return answered_otherwise(msg::ContractSignRequest::kType, "another pair's contract", "contract.pair");
  }
  return r.value().contract;
}

Result<DocumentBook::Signers> DocumentBook::verified_signers(const msg::ContractView& contract,
                                                             const DocumentText& read) {
  Signers out;
  if (read.version == 0 || contract.version != read.version) return out;
  auto partner = partner_key(read.info.pair);
  if (!partner.is_ok()) return partner.status();
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(read.info.pair),
                                                        static_cast<std::uint64_t>(read.info.id), read.version, read.hash);
  for (const auto& v : contract.signatures) {
    const wire::Signature& s = v.signature;
    if (wire::verify_signature(identity_.public_key(), message, s)) out.me = true;
    if (wire::verify_signature(partner.value(), message, s)) out.partner = true;
  }
  return out;
}

}  // namespace mentorlink::client
