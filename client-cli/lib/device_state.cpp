#include "client-cli/lib/device_state.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>

#include "client-cli/lib/output.h"
#include "protocol/device/json_bytes.h"
#include "protocol/device/sealed_file.h"

namespace mentorlink::client {
namespace json = boost::json;
using wire::ErrorCode;
using wire::Status;

namespace {

constexpr const char* kStateFile = "state.sealed";
constexpr std::string_view kPurpose = "device-state";

json::object pair_to_json(const PairState& p) {
  json::object o;
  json::array sessions;
  for (const auto& s : p.sessions) sessions.push_back(s.to_json());
  o["sessions"] = std::move(sessions);
  o["active"] = p.active;
  if (p.partner_key) o["partner_key"] = device::b64(*p.partner_key);
  o["verified"] = p.verified;
  if (p.changed_key) o["changed_key"] = device::b64(*p.changed_key);
  if (!p.partner_name.empty()) o["partner_name"] = p.partner_name;
  o["next_counter"] = p.next_counter;
  o["received"] = p.received.to_json();
  json::array former;
  for (const auto& k : p.former_partner_keys) former.push_back(json::value(device::b64(k)));
  o["former_partner_keys"] = std::move(former);
  o["contiguous"] = p.contiguous;
  json::array seen;
  for (auto s : p.seen_above) seen.push_back(s);
  o["seen_above"] = std::move(seen);
  json::array pending;
  for (const auto& s : p.pending) {
    json::object e;
    e["client_id"] = device::b64(s.client_id);
    e["body"] = device::b64(s.body);
    e["text"] = s.text;
    e["kind"] = static_cast<int>(s.kind);
    e["counter"] = s.counter;
    pending.push_back(std::move(e));
  }
  o["pending"] = std::move(pending);
  json::array history;
  for (const auto& h : p.history) {
    json::object e;
    e["seq"] = h.seq;
    e["mine"] = h.mine;
    e["text"] = h.text;
    e["sent_at"] = h.sent_at;
    e["counter"] = h.counter;
    history.push_back(std::move(e));
  }
  o["history"] = std::move(history);
  o["access_seq"] = p.access_seq;
  o["access_hash"] = device::b64(p.access_hash);
  return o;
}

PairState pair_from_json(const json::object& o) {
  PairState p;
  for (const auto& v : o.at("sessions").as_array()) {
    auto s = device::Session::from_json(v.as_object());
    if (!s) throw std::invalid_argument("session");
    p.sessions.push_back(std::move(*s));
  }
  p.active = o.at("active").to_number<std::size_t>();
  if (!p.sessions.empty() && p.active >= p.sessions.size()) throw std::invalid_argument("active");
  if (o.contains("partner_key")) p.partner_key = device::fixed_from_b64<32>(o.at("partner_key"));
  p.verified = o.at("verified").as_bool();
  if (o.contains("changed_key")) p.changed_key = device::fixed_from_b64<32>(o.at("changed_key"));
  if (const auto* name = o.if_contains("partner_name")) p.partner_name = std::string(name->as_string());
  p.next_counter = o.at("next_counter").to_number<std::uint64_t>();
  if (p.next_counter < device::kFirstCounter || p.next_counter > device::kMaxCounter) throw std::invalid_argument("counter");
  auto received = device::ReceivedCounters::from_json(o.at("received"));
  if (!received) throw std::invalid_argument("received");
  p.received = std::move(*received);
  if (const auto* former = o.if_contains("former_partner_keys")) {
    for (const auto& k : former->as_array()) p.former_partner_keys.push_back(device::fixed_from_b64<32>(k));
  }
  p.contiguous = o.at("contiguous").to_number<std::int64_t>();
  for (const auto& v : o.at("seen_above").as_array()) p.seen_above.insert(v.to_number<std::int64_t>());
  for (const auto& v : o.at("pending").as_array()) {
    p.pending.push_back(PendingSend{device::bytes_from_b64(v.at("client_id")), device::bytes_from_b64(v.at("body")),
                                    std::string(v.at("text").as_string()),
                                    static_cast<device::PayloadKind>(v.at("kind").to_number<std::uint8_t>()),
                                    v.at("counter").to_number<std::uint64_t>()});
  }
  for (const auto& v : o.at("history").as_array()) {
    p.history.push_back(HistoryEntry{v.at("seq").to_number<std::int64_t>(), v.at("mine").as_bool(),
                                     std::string(v.at("text").as_string()), v.at("sent_at").to_number<std::int64_t>(),
                                     v.at("counter").to_number<std::uint64_t>()});
  }
  if (const auto* seq = o.if_contains("access_seq")) {
    p.access_seq = seq->to_number<std::int64_t>();
    p.access_hash = device::fixed_from_b64<wire::kHashBytes>(o.at("access_hash"));
  }
  return p;
}

json::object document_to_json(DocumentId id, const DocumentState& d) {
  json::object o;
  o["document"] = id;
  o["pair"] = d.pair;
  json::array keys;
  for (const auto& [key_id, key] : d.keys) {
    json::object entry{
        {"key", device::b64(key)}, {"shared", d.shared.count(key_id) > 0}, {"to_share", d.to_share.count(key_id) > 0}};
    if (const auto unopened = d.unopened_shares.find(key_id); unopened != d.unopened_shares.end()) {
      entry["unopened_share_of"] = unopened->second;
    }
    keys.push_back(std::move(entry));
  }
  o["keys"] = std::move(keys);
  if (d.identity) {
    o["identity"] = json::object{{"pair", d.identity->pair},       {"document", d.identity->document},
                                 {"kind", static_cast<int>(d.identity->kind)}, {"meeting", d.identity->meeting},
                                 {"owner", d.identity->owner}};
  }
  if (d.head) {
    o["head"] = json::object{
        {"version", d.head->version}, {"hash", device::b64(d.head->hash)}, {"partner_key", d.head->partner_key}};
  }
  return o;
}

DocumentState document_from_json(const json::object& o) {
  DocumentState d;
  d.pair = o.at("pair").to_number<PairId>();
  for (const auto& v : o.at("keys").as_array()) {
    const auto key = device::fixed_from_b64<device::kDocumentKeyBytes>(v.at("key"));
    const auto id = device::document_key_id(key);
    d.keys[id] = key;
    if (v.at("shared").as_bool()) d.shared.insert(id);
    if (const auto* pending = v.as_object().if_contains("to_share"); pending != nullptr && pending->as_bool()) {
      d.to_share.insert(id);
    }
    if (const auto* unopened = v.as_object().if_contains("unopened_share_of")) {
      d.unopened_shares[id] = unopened->to_number<PairId>();
    }
  }
  if (const auto* id = o.if_contains("identity")) {
    const auto kind = wire::document_kind_from_byte(id->at("kind").to_number<std::uint8_t>());
    if (!kind) throw std::invalid_argument("document kind");
    d.identity = wire::DocumentIdentity{id->at("pair").to_number<std::uint64_t>(), id->at("document").to_number<std::uint64_t>(),
                                        *kind, id->at("meeting").to_number<std::uint64_t>(),
                                        id->at("owner").to_number<std::uint64_t>()};
  }
  if (const auto* head = o.if_contains("head")) {
    const auto* floor = head->as_object().if_contains("partner_key");
    d.head = device::ChainHead{head->at("version").to_number<std::uint32_t>(),
                               device::fixed_from_b64<wire::kHashBytes>(head->at("hash")),
                               floor != nullptr ? floor->to_number<std::uint32_t>() : 0};
  }
  return d;
}

}  // namespace

std::size_t unopened_key_shares(const DeviceState& state, PairId pair) {
  std::size_t n = 0;
  for (const auto& [id, d] : state.documents) {
    for (const auto& [key, from] : d.unopened_shares) n += from == pair ? 1 : 0;
  }
  return n;
}

std::size_t unsent_key_shares(const DeviceState& state, PairId pair) {
  std::size_t n = 0;
  for (const auto& [id, d] : state.documents) {
    if (d.identity && d.identity->pair == static_cast<std::uint64_t>(pair)) n += d.to_share.size();
  }
  return n;
}

Status room_for_key_share(const DeviceState& state, PairId pair, DocumentId document, const wire::DocumentKeyId& key) {
  if (const auto known = state.documents.find(document);
      known != state.documents.end() && known->second.keys.count(key) > 0) {
    return Status::ok();
  }
  if (unopened_key_shares(state, pair) < kMaxPendingKeySharesPerPair) return Status::ok();
  const std::string p = std::to_string(pair);
  return Status::error(ErrorCode::forbidden,
                       "your partner in pair " + p + " has sent keys for " + std::to_string(kMaxPendingKeySharesPerPair) +
                           " documents that have not been opened on this device, the most it keeps waiting; their "
                           "later messages stay on the server, unread, until you open the pair's documents (say, "
                           "mentorlink goals show " + p + ")");
}

Status room_for_unsent_key_share(const DeviceState& state, PairId pair) {
  if (unsent_key_shares(state, pair) < kMaxPendingKeySharesPerPair) return Status::ok();
  return Status::error(ErrorCode::forbidden,
                       "the keys of " + std::to_string(kMaxPendingKeySharesPerPair) + " documents of pair " +
                           std::to_string(pair) +
                           " have not reached your partner yet, the most this device keeps waiting; nothing was "
                           "written: run mentorlink sync once the server delivers your messages again, then retry");
}

void PairState::mark_seen(std::int64_t seq) {
  if (seq <= contiguous) return;
  seen_above.insert(seq);
  if (seen_above.size() > kMaxSeenAbove) {
    contiguous = *seen_above.begin();
    seen_above.erase(seen_above.begin());
  }
  while (!seen_above.empty() && *seen_above.begin() == contiguous + 1) {
    seen_above.erase(seen_above.begin());
    ++contiguous;
  }
}

namespace {

constexpr const char* kV1StateFile = "state.v1.sealed";

// The JSON inside state.sealed; nullopt if there is no such file.
wire::Result<std::optional<json::object>> open_state_json(const Home& home, const device::SecureBuffer& storage_key) {
  const auto path = home.dir() / kStateFile;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<json::object>();
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string sealed = ss.str();
  auto plain = device::open_file(storage_key, kPurpose,
                                 std::span(reinterpret_cast<const std::uint8_t*>(sealed.data()), sealed.size()));
  if (!plain.is_ok()) return plain.status();
  boost::system::error_code ec;
  auto root = json::parse(std::string_view(reinterpret_cast<const char*>(plain.value().data()), plain.value().size()), ec);
  device::wipe(plain.value());
  if (ec || !root.is_object()) return Status::error(ErrorCode::malformed, path.string() + " is damaged");
  return std::optional<json::object>(std::move(root.as_object()));
}

Status made_by_protocol_1(const Home& home) {
  return Status::error(ErrorCode::conflict,
                       "this device's home (" + home.dir().string() +
                           ") was made by an older mentorlink (protocol 1), whose sessions this one (protocol 2) "
                           "cannot continue; run mentorlink upgrade-home once: it keeps your identity, your message "
                           "history and the partner keys you trusted, and starts new sessions with your partners");
}

}  // namespace

wire::Result<DeviceState> load_state(const Home& home, const device::SecureBuffer& storage_key) {
  const auto path = home.dir() / kStateFile;
  auto opened = open_state_json(home, storage_key);
  if (!opened.is_ok()) return opened.status();
  if (!opened.value()) return DeviceState{};
  const json::object& o = *opened.value();
  const auto* format = o.if_contains("format");
  if (format == nullptr) return made_by_protocol_1(home);
  if (!format->is_int64() || format->as_int64() != kStateFormat) {
    return Status::error(ErrorCode::conflict, path.string() + " was written by a newer mentorlink; use that version on this device");
  }
  try {
    DeviceState state;
    if (o.contains("keys")) {
      state.keys = device::DeviceKeys::from_json(o.at("keys").as_object());
      if (!state.keys) throw std::invalid_argument("keys");
    }
    state.keys_published = o.at("keys_published").as_bool();
    for (const auto& v : o.at("pairs").as_array()) {
      state.pairs.emplace(v.at("pair").to_number<PairId>(), pair_from_json(v.as_object()));
    }
    if (const auto* docs = o.if_contains("documents")) {
      for (const auto& v : docs->as_array()) {
        state.documents.emplace(v.at("document").to_number<DocumentId>(), document_from_json(v.as_object()));
      }
    }
    return state;
  } catch (const std::exception&) {
    return Status::error(ErrorCode::malformed, path.string() + " is damaged");
  }
}

wire::Result<UpgradeSummary> upgrade_protocol_1_state(const Home& home, const device::SecureBuffer& storage_key) {
  const auto path = home.dir() / kStateFile;
  auto opened = open_state_json(home, storage_key);
  if (!opened.is_ok()) return opened.status();
  if (!opened.value() || opened.value()->contains("format")) {
    return Status::error(ErrorCode::conflict, "this device's home (" + home.dir().string() +
                                                  ") is already kept the way this mentorlink needs; nothing to upgrade");
  }
  const json::object& o = *opened.value();
  DeviceState state;
  UpgradeSummary summary;
  try {
    // The device keys stay, so partners' sessions started from the published bundle still open.
    if (const auto* keys = o.if_contains("keys"); keys != nullptr && keys->is_object()) {
      state.keys = device::DeviceKeys::from_json(keys->as_object());
      state.keys_published = state.keys && o.at("keys_published").as_bool();
    }
    for (const auto& v : o.at("pairs").as_array()) {
      const auto& p = v.as_object();
      PairState ps;
      if (p.contains("partner_key")) ps.partner_key = device::fixed_from_b64<32>(p.at("partner_key"));
      ps.verified = p.at("verified").as_bool();
      if (p.contains("changed_key")) ps.changed_key = device::fixed_from_b64<32>(p.at("changed_key"));
      ps.contiguous = p.at("contiguous").to_number<std::int64_t>();
      for (const auto& seq : p.at("seen_above").as_array()) ps.mark_seen(seq.to_number<std::int64_t>());
      for (const auto& h : p.at("history").as_array()) {
        // Protocol 1 carried no counters: counter 0 marks a message from before (no order notes).
        ps.history.push_back(HistoryEntry{h.at("seq").to_number<std::int64_t>(), h.at("mine").as_bool(),
                                          std::string(h.at("text").as_string()), h.at("sent_at").to_number<std::int64_t>(),
                                          0});
      }
      summary.unsent += p.at("pending").as_array().size();
      summary.history += ps.history.size();
      ++summary.pairs;
      state.pairs.emplace(v.at("pair").to_number<PairId>(), std::move(ps));
    }
  } catch (const std::exception&) {
    return Status::error(ErrorCode::malformed, path.string() + " is damaged");
  }
  // The old file is kept aside first, so a crash in between leaves the upgrade to be run again.
  std::ifstream in(path, std::ios::binary);
  std::ostringstream old;
  old << in.rdbuf();
  if (auto s = write_file_atomically(home.dir() / kV1StateFile, old.str()); !s.is_ok()) return s;
  if (auto s = save_state(home, storage_key, state); !s.is_ok()) return s;
  return summary;
}

Status save_state(const Home& home, const device::SecureBuffer& storage_key, const DeviceState& state) {
  json::object o;
  o["format"] = kStateFormat;
  if (state.keys) o["keys"] = state.keys->to_json();
  o["keys_published"] = state.keys_published;
  json::array pairs;
  for (const auto& [id, p] : state.pairs) {
    auto j = pair_to_json(p);
    j["pair"] = id;
    pairs.push_back(std::move(j));
  }
  o["pairs"] = std::move(pairs);
  json::array documents;
  for (const auto& [id, d] : state.documents) documents.push_back(document_to_json(id, d));
  o["documents"] = std::move(documents);
  // A partner's text may hold any bytes, yet the file must always parse again: bytes that are not
  // UTF-8 are kept as U+FFFD (output.h shows text escaped in any case).
  std::string text = repair_utf8(json::serialize(o));
  auto sealed = device::seal_file(storage_key, kPurpose,
                                  std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  device::wipe(text);
  return write_file_atomically(home.dir() / kStateFile, std::string(sealed.begin(), sealed.end()));
}

}  // namespace mentorlink::client
