#include "client-cli/lib/documents.h"

#include <algorithm>

#include "protocol/wire/signatures.h"

namespace mentorlink::client {
namespace msg = wire::messages;
using wire::DocumentKind;
using wire::ErrorCode;

namespace {

// The server answered with something other than what was asked: it is lying, or broken.
Status refused(const std::string& what) {
  return Status::error(ErrorCode::bad_signature, what + "; this device trusts none of it and wrote nothing");
}

// A reply about another document or version than the one asked for.
Status answered_otherwise(std::string_view type, std::string what, std::string field) {
  return unreadable_reply(type, Status::error(ErrorCode::invalid_field, "it is about " + std::move(what), std::move(field)));
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

wire::DocumentIdentity identity_of_info(const DocumentInfo& info) {
  return wire::DocumentIdentity{static_cast<std::uint64_t>(info.pair), static_cast<std::uint64_t>(info.id), info.kind,
                                static_cast<std::uint64_t>(info.meeting.value_or(0)),
                                static_cast<std::uint64_t>(info.owner.value_or(0))};
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
  d.format = v.format;
  return d;
}

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

wire::DocumentIdentity DocumentBook::identity_of(const DocumentInfo& info) const { return identity_of_info(info); }

Result<DocumentInfo> DocumentBook::checked_info(std::string_view type, const msg::DocumentView& view,
                                                const DocumentRequest& request, bool must_be_mine) {
  if (view.format != 2 && type == msg::DocumentOpenRequest::kType) {
    return answered_otherwise(type, "a document kept from protocol version 1", "document.format");
  }
  const DocumentInfo d = document_info(view);
  const std::string asked = "you asked for " + name_of(request);
  if (d.pair != request.pair || d.kind != request.kind) {
    return refused("the server answered with the " + std::string(wire::to_string(d.kind)) + " of pair " +
                   std::to_string(d.pair) + " (document " + std::to_string(d.id) + ") when " + asked);
  }
  const auto meeting = wire::kind_has_meeting(request.kind) ? request.meeting : std::nullopt;
  if (d.meeting != meeting) {
    return refused("the server answered with a document of " +
                   (d.meeting ? "meeting " + std::to_string(*d.meeting) : std::string("no meeting")) + " when " + asked);
  }
  if (wire::kind_has_owner(request.kind)) {
    const bool only_mine = must_be_mine || request.kind == DocumentKind::reflection;
    if (!d.owner || (only_mine && *d.owner != me_)) {
      return refused("the server answered with another member's " + std::string(wire::to_string(request.kind)) +
                     " when " + asked);
    }
  } else if (d.owner) {
    return refused("the server answered with a document that belongs to one member when " + asked);
  }
  return d;
}

std::vector<DocumentId> DocumentBook::known_in(const DocumentRequest& request,
                                               std::optional<std::int64_t> owner) const {
  const std::uint64_t meeting = wire::kind_has_meeting(request.kind) && request.meeting
                                    ? static_cast<std::uint64_t>(*request.meeting)
                                    : 0;
  std::vector<DocumentId> out;
  for (const auto& [id, ds] : state_.documents) {
    if (!ds.identity || !ds.head) continue;
    const auto& identity = *ds.identity;
    if (identity.pair == static_cast<std::uint64_t>(request.pair) && identity.kind == request.kind &&
        identity.meeting == meeting && (!owner || identity.owner == static_cast<std::uint64_t>(*owner))) {
      out.push_back(id);
    }
  }
  return out;
}

Result<DocumentInfo> DocumentBook::open(const DocumentRequest& request) {
  const auto meeting = wire::kind_has_meeting(request.kind) ? request.meeting : std::nullopt;
  auto r = connection_.call(msg::DocumentOpenRequest{request.pair, request.kind, meeting});
  if (!r.is_ok()) return r.status();
  auto checked = checked_info(msg::DocumentOpenRequest::kType, r.value().document, request, true);
  if (!checked.is_ok()) return checked;
  const auto known = known_in(request, wire::kind_has_owner(request.kind) ? me_ : 0);
  if (!known.empty() && std::find(known.begin(), known.end(), checked.value().id) == known.end()) {
    return refused("the server opened document " + std::to_string(checked.value().id) + " as " +
                   name_of(request) + ", which this device knows as document " + std::to_string(known.front()));
  }
  return checked;
}

Result<std::vector<DocumentInfo>> DocumentBook::list(const DocumentRequest& request) {
  auto r = connection_.call(msg::DocumentListRequest{request.pair});
  if (!r.is_ok()) return r.status();
  std::vector<DocumentInfo> out;
  older_.clear();
  const auto known = known_in(request, std::nullopt);
  const auto is_known = [&known](DocumentId id) { return std::find(known.begin(), known.end(), id) != known.end(); };
  const bool with_meeting = wire::kind_has_meeting(request.kind);
  for (const auto& v : r.value().documents) {
    const DocumentInfo d = document_info(v);
    const bool same_meeting = with_meeting ? (request.meeting.has_value() && d.meeting.has_value() &&
                                              *d.meeting == *request.meeting) ||
                                                 (!request.meeting.has_value() && !d.meeting.has_value())
                                           : !d.meeting.has_value();
    if (d.kind != request.kind || !same_meeting) continue;  // another of the pair's documents
    if (d.format == 1) {
      if (is_known(d.id)) {
        return refused("the server presents document " + std::to_string(d.id) + " (" + name_of(request) +
                       "), which this device has read as protocol version 2, as written by protocol version 1");
      }
      older_.push_back("document " + std::to_string(d.id) + " (" + name_of(request) +
                       ") was written by an older mentorlink (protocol version 1), which this version cannot check; "
                       "it stays on the server unread, and a new one starts when you write");
      continue;
    }
    auto checked = checked_info(msg::DocumentListRequest::kType, v, request, false);
    if (!checked.is_ok()) return checked.status();
    out.push_back(checked.value());
  }
  const auto listed = [&out](DocumentId id) {
    return std::any_of(out.begin(), out.end(), [id](const DocumentInfo& d) { return d.id == id; });
  };
  for (const DocumentId id : known) {
    if (!listed(id)) {
      return refused("the server no longer lists document " + std::to_string(id) + " (" + name_of(request) +
                     "), which this device has read up to version " +
                     std::to_string(state_.documents.at(id).head->version));
    }
  }
  // The documents this device has read come first, so find() never trades one for a newcomer.
  std::stable_partition(out.begin(), out.end(), [&is_known](const DocumentInfo& d) { return is_known(d.id); });
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
  if (ds.identity && *ds.identity != identity) {
    return refused("the server presents document " + std::to_string(info.id) + " as the " + name_of(identity) +
                   ", but this device knows it as the " + name_of(*ds.identity));
  }
  const bool first_sight = !ds.identity;
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
    if (next > wire::kMaxDocumentVersion) {
      return answered_otherwise(msg::DocumentGetRequest::kType, "versions beyond the last possible one", "versions");
    }
    auto r = connection_.call(msg::DocumentGetRequest{info.id, next, std::nullopt});
    if (!r.is_ok()) return r.status();
    const auto answered = document_info(r.value().document);
    if (identity_of(answered) != identity) {
      return refused("asked for document " + std::to_string(info.id) + " (the " + name_of(identity) +
                     "), the server answered with the " + name_of(identity_of(answered)));
    }
    claimed = std::max(claimed, answered.latest_version);
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
  // The identity is the device's only once the chain verified under it: a failed read binds nothing.
  ds.pair = info.pair;
  ds.identity = identity;
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
  if (ds.unopened_shares.erase(newest.header.key_id) > 0) {  // a shared key that opens a version waits no more
    if (auto s = persist_(); !s.is_ok()) {
      device::wipe(*plaintext);
      return s;
    }
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
  // Whether this write adds a key to to_share (a version 1 makes a new key; a later one reuses the key it read).
  const bool starts_share = ds.identity->kind != DocumentKind::reflection &&
                            (current.value().version == 0 || (ds.shared.count(current.value().key_id) == 0 &&
                                                              ds.to_share.count(current.value().key_id) == 0));
  if (starts_share) {
    if (auto room = room_for_unsent_key_share(state_, info.pair); !room.is_ok()) return room;
  }
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
  const device::VersionPlace place{*ds.identity, base_version + 1, ds.head ? ds.head->hash : wire::Hash{}};
  const auto sealed = device::seal_version(
      identity_, key, place, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
      device::system_random());
  if (!sealed) return Status::error(ErrorCode::invalid_field, "the document is too long");
  auto r = connection_.call(msg::DocumentWriteRequest{info.id, place.version, sealed->body, sealed->signature});
  if (!r.is_ok()) return r.status();
  if (r.value().document.id != info.id || r.value().version != place.version) {
    return answered_otherwise(msg::DocumentWriteRequest::kType, "another document or version", "version");
  }
  const auto created_at = r.value().created_at;
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

Result<msg::ContractView> DocumentBook::sign_contract(const DocumentText& current, std::uint32_t version) {
  if (current.version == 0) return Status::error(ErrorCode::not_found, "the contract has no text to sign yet");
  if (current.info.kind != DocumentKind::contract) {
    return refused("document " + std::to_string(current.info.id) + " is no contract");
  }
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
  if (r.value().contract.pair != current.info.pair || r.value().contract.document != current.info.id) {
    return answered_otherwise(msg::ContractSignRequest::kType, "another contract", "contract.document");
  }
  return r.value().contract;
}

Result<DocumentBook::Signers> DocumentBook::verified_signers(const msg::ContractView& contract,
                                                             const DocumentText& read) {
  Signers out;
  if (read.version == 0 || contract.version != read.version || contract.document != read.info.id) return out;
  auto partner = partner_key(read.info.pair);
  if (!partner.is_ok()) return partner.status();
  const auto message = wire::contract_signature_message(static_cast<std::uint64_t>(read.info.pair),
                                                        static_cast<std::uint64_t>(read.info.id), read.version, read.hash);
  for (const auto& v : contract.signatures) {
    if (wire::verify_signature(identity_.public_key(), message, v.signature)) out.me = true;
    if (wire::verify_signature(partner.value(), message, v.signature)) out.partner = true;
  }
  return out;
}

}  // namespace mentorlink::client
