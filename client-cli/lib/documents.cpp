#include "client-cli/lib/documents.h"

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/signatures.h"

namespace mentorlink::client {
namespace json = boost::json;
using wire::ErrorCode;

namespace {

std::optional<std::int64_t> optional_id(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->to_number<std::int64_t>();
}

Status damaged(DocumentId id) {
  return Status::error(ErrorCode::malformed, "the server sent a damaged reply about document " + std::to_string(id));
}

}  // namespace

DocumentInfo document_info_from_json(const json::object& o) {
  DocumentInfo d;
  d.id = o.at("id").to_number<std::int64_t>();
  d.pair = o.at("pair").to_number<std::int64_t>();
  d.kind = wire::document_kind_from_string(o.at("kind").as_string()).value_or(wire::DocumentKind::agenda);
  d.meeting = optional_id(o, "meeting");
  d.owner = optional_id(o, "owner");
  d.latest_version = o.at("latest_version").to_number<std::int64_t>();
  d.updated_at = o.at("updated_at").to_number<std::int64_t>();
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
  json::object body{{"pair", pair}, {"kind", wire::to_string(kind)}};
  if (meeting) body["meeting"] = *meeting;
  auto r = connection_.request("document.open", std::move(body));
  if (!r.is_ok()) return r.status();
  try {
    return document_info_from_json(r.value().at("document").as_object());
  } catch (const std::exception&) {
    return damaged(0);
  }
}

Result<std::vector<DocumentInfo>> DocumentBook::list(PairId pair, wire::DocumentKind kind,
                                                     std::optional<std::int64_t> meeting) {
  auto r = connection_.request("document.list", json::object{{"pair", pair}});
  if (!r.is_ok()) return r.status();
  std::vector<DocumentInfo> out;
  try {
    for (const auto& v : r.value().at("documents").as_array()) {
      auto d = document_info_from_json(v.as_object());
      if (d.kind == kind && d.meeting == meeting) out.push_back(d);
    }
  } catch (const std::exception&) {
    return damaged(0);
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
    auto r = connection_.request("document.get", json::object{{"document", info.id}, {"from", next}});
    if (!r.is_ok()) return r.status();
    const auto& versions = r.value().at("versions").as_array();
    for (const auto& v : versions) {
      wire::FieldReader in(v.as_object());
      device::FetchedVersion f;
      f.version = static_cast<std::uint32_t>(in.integer("version", 1, wire::kMaxDocumentVersion));
      f.signature = in.fixed<wire::kSignatureBytes>("signature");
      written_at.push_back(in.integer("created_at", 0, wire::kMaxId));
      const auto body = wire::base64url_decode(v.at("body").as_string());
      if (!in.ok() || !body) return damaged(info.id);
      f.body = std::move(*body);
      fetched.push_back(std::move(f));
    }
    more = r.value().at("more").as_bool() && !versions.empty();
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
    key = ds.keys.at(current.value().key_id);  // read() just opened the newest version with it
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
  auto r = connection_.request("document.write", json::object{{"document", info.id},
                                                              {"version", place.version},
                                                              {"body", wire::base64url_encode(sealed->body)},
                                                              {"signature", wire::base64url_encode(sealed->signature)}});
  if (!r.is_ok()) return r.status();
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
  out.written_at = r.value().at("created_at").to_number<std::int64_t>();
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

Result<json::object> DocumentBook::sign_contract(const DocumentText& current, std::uint32_t version) {
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
  return connection_.request("contract.sign", json::object{{"document", current.info.id},
                                                           {"version", version},
                                                           {"signature", wire::base64url_encode(signature)}});
}

Result<DocumentBook::Signers> DocumentBook::verified_signers(const json::object& contract, const DocumentText& read) {
  Signers out;
  if (read.version == 0 || contract.at("version").to_number<std::int64_t>() != read.version) return out;
  auto partner = partner_key(read.info.pair);
  if (!partner.is_ok()) return partner.status();
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(read.info.pair),
                                                        static_cast<std::uint64_t>(read.info.id), read.version, read.hash);
  for (const auto& v : contract.at("signatures").as_array()) {
    const auto sig = wire::base64url_decode(v.at("signature").as_string());
    if (!sig || sig->size() != wire::kSignatureBytes) continue;
    wire::Signature s{};
    std::copy(sig->begin(), sig->end(), s.begin());
    if (wire::verify_signature(identity_.public_key(), message, s)) out.me = true;
    if (wire::verify_signature(partner.value(), message, s)) out.partner = true;
  }
  return out;
}

}  // namespace mentorlink::client
