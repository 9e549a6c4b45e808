#include "client-cli/lib/documents.h"

#include <algorithm>

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/limits.h"
#include "protocol/wire/signatures.h"

namespace mentorlink::client {
namespace json = boost::json;
using wire::DocumentKind;
using wire::ErrorCode;

namespace {

// A version body in base64url is at most this long (4 characters per 3 bytes, no padding).
constexpr std::size_t kMaxBodyText = (wire::kMaxDocumentVersionBytes * 4 + 2) / 3;

const json::array* array_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}

std::optional<bool> bool_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

Status damaged(std::string_view request) {
  return Status::error(ErrorCode::malformed,
                       "the server sent a damaged reply to " + std::string(request) + "; nothing was changed");
}

// The server answered with something other than what was asked: it is lying, or broken.
Status refused(const std::string& what) {
  return Status::error(ErrorCode::bad_signature, what + "; this device trusts none of it and wrote nothing");
}

std::string name_of(const DocumentRequest& r) {
  const std::string pair = " of pair " + std::to_string(r.pair);
  const std::string meeting = r.meeting ? " for meeting " + std::to_string(*r.meeting) : std::string();
  switch (r.kind) {
    case DocumentKind::agenda: return "the agenda" + meeting + pair;
    case DocumentKind::contract: return "the contract" + pair;
    case DocumentKind::goals: return "the goals" + pair;
    case DocumentKind::feedback: return "the feedback" + meeting + pair;
    case DocumentKind::reflection: return "your private reflection in pair " + std::to_string(r.pair);
  }
  return "a document" + pair;
}

std::string name_of(const wire::DocumentIdentity& id) {
  std::string out = std::string(wire::to_string(id.kind)) + " of pair " + std::to_string(id.pair);
  if (id.meeting != 0) out += ", meeting " + std::to_string(id.meeting);
  if (id.owner != 0) out += ", member " + std::to_string(id.owner);
  return out;
}

// A document view as sent by the server, fields checked for type and range; nullopt if damaged.
std::optional<DocumentInfo> decode_info(const json::value* v) {
  if (v == nullptr || !v->is_object()) return std::nullopt;
  wire::FieldReader in(v->get_object());
  DocumentInfo d;
  d.id = in.integer("id", 1, wire::kMaxId);
  d.pair = in.integer("pair", 1, wire::kMaxId);
  const auto kind = in.choice("kind", {"agenda", "contract", "goals", "feedback", "reflection"});
  d.meeting = in.optional_integer("meeting", 1, wire::kMaxId);
  d.owner = in.optional_integer("owner", 1, wire::kMaxId);
  d.latest_version = in.integer("latest_version", 0, wire::kMaxDocumentVersion);
  d.updated_at = in.integer("updated_at", 0, wire::kMaxId);
  d.format = static_cast<int>(in.optional_integer("format", 1, 2).value_or(2));
  if (!in.ok()) return std::nullopt;
  d.kind = *wire::document_kind_from_string(kind);
  return d;
}

}  // namespace

DocumentBook::DocumentBook(Connection& connection, const device::IdentityKeyPair& identity, std::int64_t me,
                           DeviceState& state, Messenger& messenger, std::function<Status()> persist)
    : connection_(connection),
      identity_(identity),
      me_(me),
      state_(state),
      messenger_(messenger),
      persist_(std::move(persist)) {}

Result<wire::IdentityKey> DocumentBook::partner_key(PairId pair) {
  if (const auto& trusted = state_.pairs[pair].partner_key) return *trusted;
  return messenger_.partner_identity(pair);
}

wire::DocumentIdentity DocumentBook::identity_of(const DocumentInfo& info) const {
  return wire::DocumentIdentity{static_cast<std::uint64_t>(info.pair), static_cast<std::uint64_t>(info.id), info.kind,
                                static_cast<std::uint64_t>(info.meeting.value_or(0)),
                                static_cast<std::uint64_t>(info.owner.value_or(0))};
}

Result<DocumentInfo> DocumentBook::checked_info(const json::value* reply, const DocumentRequest& request,
                                                bool must_be_mine) {
  auto d = decode_info(reply);
  if (!d) return damaged("a document request about " + name_of(request));
  const std::string asked = "you asked for " + name_of(request);
  if (d->pair != request.pair || d->kind != request.kind) {
    return refused("the server answered with the " + std::string(wire::to_string(d->kind)) + " of pair " +
                   std::to_string(d->pair) + " (document " + std::to_string(d->id) + ") when " + asked);
  }
  const auto meeting = wire::kind_has_meeting(request.kind) ? request.meeting : std::nullopt;
  if (d->meeting != meeting) {
    return refused("the server answered with a document of " +
                   (d->meeting ? "meeting " + std::to_string(*d->meeting) : std::string("no meeting")) + " when " + asked);
  }
  if (wire::kind_has_owner(request.kind)) {
    const bool only_mine = must_be_mine || request.kind == DocumentKind::reflection;
    if (!d->owner || (only_mine && *d->owner != me_)) {
      return refused("the server answered with another member's " + std::string(wire::to_string(request.kind)) +
                     " when " + asked);
    }
  } else if (d->owner) {
    return refused("the server answered with a document that belongs to one member when " + asked);
  }
  return *d;
}

Result<DocumentInfo> DocumentBook::open(const DocumentRequest& request) {
  json::object body{{"pair", request.pair}, {"kind", wire::to_string(request.kind)}};
  if (wire::kind_has_meeting(request.kind) && request.meeting) body["meeting"] = *request.meeting;
  auto r = connection_.request("document.open", std::move(body));
  if (!r.is_ok()) return r.status();
  return checked_info(r.value().if_contains("document"), request, true);
}

Result<std::vector<DocumentInfo>> DocumentBook::list(const DocumentRequest& request) {
  auto r = connection_.request("document.list", json::object{{"pair", request.pair}});
  if (!r.is_ok()) return r.status();
  const auto* documents = array_at(r.value(), "documents");
  if (documents == nullptr) return damaged("document.list");
  std::vector<DocumentInfo> out;
  older_.clear();
  for (const auto& v : *documents) {
    const auto d = decode_info(&v);
    if (!d) return damaged("document.list");
    const auto meeting = wire::kind_has_meeting(request.kind) ? request.meeting : std::nullopt;
    if (d->kind != request.kind || d->meeting != meeting) continue;  // another of the pair's documents
    if (d->format == 1) {
      older_.push_back("document " + std::to_string(d->id) + " (" + name_of(request) +
                       ") was written by an older mentorlink (protocol version 1), which this version cannot check; "
                       "it stays on the server unread, and a new one starts when you write");
      continue;
    }
    auto checked = checked_info(&v, request, false);
    if (!checked.is_ok()) return checked.status();
    out.push_back(checked.value());
  }
  return out;
}

Result<std::optional<DocumentInfo>> DocumentBook::find(const DocumentRequest& request) {
  auto all = list(request);
  if (!all.is_ok()) return all.status();
  if (all.value().empty()) return std::optional<DocumentInfo>();
  return std::optional<DocumentInfo>(all.value().front());
}

Result<DocumentText> DocumentBook::read(const DocumentInfo& info) {
  const wire::DocumentIdentity identity = identity_of(info);
  auto& ds = state_.documents[info.id];
  if ((ds.identity && *ds.identity != identity) || (ds.pair != 0 && ds.pair != info.pair)) {
    return refused("the server presents document " + std::to_string(info.id) + " as the " + name_of(identity) +
                   ", but this device knows it as " +
                   (ds.identity ? "the " + name_of(*ds.identity) : "a document of pair " + std::to_string(ds.pair)));
  }
  const bool first_sight = !ds.identity;
  ds.pair = info.pair;
  ds.identity = identity;
  auto partner = partner_key(info.pair);
  if (!partner.is_ok()) return partner.status();
  const auto& ps = state_.pairs[info.pair];

  device::ChainExpectation expect;
  expect.identity = identity;
  expect.me = identity_.public_key();
  expect.partner_keys = ps.former_partner_keys;
  expect.partner_keys.push_back(partner.value());
  expect.unaccepted_partner_key = ps.changed_key;
  if (wire::kind_has_owner(info.kind)) {
    expect.writer = info.owner == me_ ? device::Writer::me : device::Writer::partner;
  }
  std::int64_t claimed = info.latest_version;

  const std::uint32_t from = ds.head ? ds.head->version : 1;
  std::vector<device::FetchedVersion> fetched;
  std::vector<std::int64_t> written_at;
  for (bool more = true; more;) {
    const auto next = static_cast<std::int64_t>(from + fetched.size());
    if (next > wire::kMaxDocumentVersion) return damaged("document.get");
    auto r = connection_.request("document.get", json::object{{"document", info.id}, {"from", next}});
    if (!r.is_ok()) return r.status();
    const auto document = decode_info(r.value().if_contains("document"));
    const auto* versions = array_at(r.value(), "versions");
    const auto more_flag = bool_at(r.value(), "more");
    if (!document || versions == nullptr || !more_flag) return damaged("document.get");
    if (identity_of(*document) != identity) {
      return refused("asked for document " + std::to_string(info.id) + " (the " + name_of(identity) +
                     "), the server answered with the " + name_of(identity_of(*document)));
    }
    claimed = std::max(claimed, document->latest_version);
    for (const auto& v : *versions) {
      if (!v.is_object()) return damaged("document.get");
      wire::FieldReader in(v.get_object());
      device::FetchedVersion f;
      f.version = static_cast<std::uint32_t>(in.integer("version", 1, wire::kMaxDocumentVersion));
      f.signature = in.fixed<wire::kSignatureBytes>("signature");
      const auto created_at = in.integer("created_at", 0, wire::kMaxId);
      const auto body = wire::base64url_decode(in.text("body", kMaxBodyText));
      if (!in.ok() || !body) return damaged("document.get");
      written_at.push_back(created_at);
      f.body = std::move(*body);
      fetched.push_back(std::move(f));
    }
    more = *more_flag && !versions->empty();
  }
  expect.claimed_latest = static_cast<std::uint32_t>(claimed);

  const auto check = device::verify_chain(expect, ds.head, from, fetched);
  if (check.error) {
    return Status::error(ErrorCode::bad_signature,
                         "document " + std::to_string(info.id) + " (the " + name_of(identity) +
                             "): " + std::string(device::describe(*check.error)) + " (at version " +
                             std::to_string(check.error_version) +
                             "); this device keeps what it verified before and trusts nothing new");
  }
  const bool moved = check.head && (!ds.head || check.head->version != ds.head->version ||
                                    check.head->partner_key != ds.head->partner_key);
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
    key = ds.keys.find(current.value().key_id)->second;  // read() just opened the newest version with it
  } else {
    key = device::new_document_key(device::system_random());
    ds.keys[device::document_key_id(key)] = key;
    if (auto s = persist_(); !s.is_ok()) return s;  // the key is safe before anything uses it
  }
  const device::VersionPlace place{*ds.identity, base_version + 1, ds.head ? ds.head->hash : wire::Hash{}};
  const auto sealed = device::seal_version(
      identity_, key, place, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
      device::system_random());
  if (!sealed) return Status::error(ErrorCode::invalid_field, "the document is too long");
  auto r = connection_.request("document.write", json::object{{"document", info.id},
                                                              {"version", place.version},
                                                              {"body", wire::base64url_encode(sealed->body)},
                                                              {"signature", wire::base64url_encode(sealed->signature)}});
  if (!r.is_ok()) return r.status();
  wire::FieldReader reply(r.value());
  const auto written_version = reply.integer("version", 1, wire::kMaxDocumentVersion);
  const auto created_at = reply.integer("created_at", 0, wire::kMaxId);
  if (!reply.ok() || written_version != place.version) return damaged("document.write");
  ds.head = device::ChainHead{place.version, sealed->hash, ds.head ? ds.head->partner_key : 0};
  if (auto s = persist_(); !s.is_ok()) return s;

  const auto id = device::document_key_id(key);
  if (ds.identity->kind != DocumentKind::reflection && ds.shared.count(id) == 0) {
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
  out.written_at = created_at;
  out.hash = sealed->hash;
  return out;
}

Status DocumentBook::share_pending(std::optional<DocumentId> only) {
  for (auto& [id, ds] : state_.documents) {
    if (only && id != *only) continue;
    if (!ds.to_share.empty() && (!ds.identity || ds.identity->kind == DocumentKind::reflection)) {
      ds.to_share.clear();  // never to be sent: a reflection, or a document this device cannot place
      if (auto s = persist_(); !s.is_ok()) return s;
      return Status::error(ErrorCode::forbidden, "refused to send the key of document " + std::to_string(id) +
                                                     " to anyone: " +
                                                     (ds.identity ? "it is a private reflection"
                                                                  : "this device never verified which document it is"));
    }
    while (!ds.to_share.empty()) {
      const auto key_id = *ds.to_share.begin();
      const auto key = ds.keys.find(key_id);
      if (key != ds.keys.end()) {
        const auto& place = *ds.identity;
        auto sent = messenger_.share_document_key(static_cast<PairId>(place.pair), {place.pair, place.document, key->second});
        if (!sent.is_ok()) return sent.status();
        ds.shared.insert(key_id);
      }
      ds.to_share.erase(key_id);
      if (auto s = persist_(); !s.is_ok()) return s;
    }
  }
  return Status::ok();
}

std::optional<json::object> checked_contract(const json::value* contract, PairId pair) {
  if (contract == nullptr || !contract->is_object()) return std::nullopt;
  const auto& o = contract->get_object();
  wire::FieldReader in(o);
  const auto about = in.integer("pair", 1, wire::kMaxId);
  in.choice("state", {"none", "draft", "signed_by_one", "signed"});
  in.optional_integer("document", 1, wire::kMaxId);
  in.integer("version", 0, wire::kMaxDocumentVersion);
  in.optional_integer("signed_at", 0, wire::kMaxId);
  const auto* signatures = array_at(o, "signatures");
  if (!in.ok() || about != pair || signatures == nullptr) return std::nullopt;
  for (const auto& s : *signatures) {
    if (!s.is_object()) return std::nullopt;
    wire::FieldReader sig(s.get_object());
    sig.integer("member", 1, wire::kMaxId);
    sig.fixed<wire::kSignatureBytes>("signature");
    sig.integer("signed_at", 0, wire::kMaxId);
    if (!sig.ok()) return std::nullopt;
  }
  return o;
}

Result<json::object> DocumentBook::sign_contract(const DocumentText& current, std::uint32_t version) {
  if (current.version == 0) return Status::error(ErrorCode::not_found, "the contract has no text to sign yet");
  if (current.info.kind != DocumentKind::contract) return refused("document " + std::to_string(current.info.id) + " is no contract");
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
  auto r = connection_.request("contract.sign", json::object{{"document", current.info.id},
                                                             {"version", version},
                                                             {"signature", wire::base64url_encode(signature)}});
  if (!r.is_ok()) return r.status();
  auto contract = checked_contract(r.value().if_contains("contract"), current.info.pair);
  if (!contract) return damaged("contract.sign");
  return std::move(*contract);
}

Result<DocumentBook::Signers> DocumentBook::verified_signers(const json::object& contract, const DocumentText& read) {
  Signers out;
  wire::FieldReader in(contract);
  const auto version = in.integer("version", 0, wire::kMaxDocumentVersion);
  const auto document = in.optional_integer("document", 1, wire::kMaxId);
  const auto* signatures = array_at(contract, "signatures");
  if (!in.ok() || signatures == nullptr) return damaged("contract.status");
  if (read.version == 0 || version != read.version || document != read.info.id) return out;
  auto partner = partner_key(read.info.pair);
  if (!partner.is_ok()) return partner.status();
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(read.info.pair),
                                                        static_cast<std::uint64_t>(read.info.id), read.version, read.hash);
  for (const auto& v : *signatures) {
    if (!v.is_object()) continue;
    wire::FieldReader sig(v.get_object());
    const auto s = sig.fixed<wire::kSignatureBytes>("signature");
    if (!sig.ok()) continue;
    if (wire::verify_signature(identity_.public_key(), message, s)) out.me = true;
    if (wire::verify_signature(partner.value(), message, s)) out.partner = true;
  }
  return out;
}

}  // namespace mentorlink::client
