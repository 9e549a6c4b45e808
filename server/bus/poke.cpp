#include "server/bus/poke.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>

#include "protocol/wire/base64url.h"

namespace mentorlink::server::bus {
namespace json = boost::json;
using wire::ErrorCode;
using wire::Status;

namespace {

constexpr int kPokeVersion = 1;
constexpr std::array<std::pair<PokeKind, std::string_view>, 7> kKinds{{
    {PokeKind::envelopes, "envelopes"},
    {PokeKind::event, "event"},
    {PokeKind::online, "online"},
    {PokeKind::offline, "offline"},
    {PokeKind::activity, "activity"},
    {PokeKind::lease_ended, "lease_ended"},
    {PokeKind::resync, "resync"},
}};

Status bad(std::string what) { return Status::error(ErrorCode::malformed, "poke: " + std::move(what)); }

std::optional<std::int64_t> positive(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_int64() || v->get_int64() <= 0) return std::nullopt;
  return v->get_int64();
}

std::optional<std::string_view> text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

}  // namespace

std::string encode(const Poke& poke) {
  json::object o;
  o["v"] = kPokeVersion;
  const auto kind = std::find_if(kKinds.begin(), kKinds.end(), [&](const auto& k) { return k.first == poke.kind; });
  o["k"] = kind->second;
  o["n"] = poke.node;
  json::array members;
  for (const auto m : poke.members) members.push_back(m);
  o["m"] = std::move(members);
  switch (poke.kind) {
    case PokeKind::envelopes:
      o["p"] = poke.pair;
      o["s"] = poke.seq;
      break;
    case PokeKind::event:
      o["f"] = poke.frame;
      break;
    case PokeKind::activity:
      o["f"] = poke.frame;
      o["g"] = poke.programme;
      break;
    case PokeKind::lease_ended:
      o["h"] = wire::base64url_encode(poke.session);
      o["c"] = poke.close_code;
      break;
    case PokeKind::online:
    case PokeKind::offline:
    case PokeKind::resync:
      break;
  }
  return json::serialize(o);
}

wire::Result<Poke> decode(std::string_view text_in) {
  if (text_in.size() > kMaxPokeBytes) return bad("too long");
  json::error_code ec;
  auto parsed = json::parse(text_in, ec);
  if (ec || !parsed.is_object()) return bad("not a JSON object");
  const auto& o = parsed.get_object();
  const auto* version = o.if_contains("v");
  if (version == nullptr || !version->is_int64() || version->get_int64() != kPokeVersion) return bad("unknown version");
  Poke poke;
  const auto kind_name = text(o, "k");
  const auto kind = std::find_if(kKinds.begin(), kKinds.end(),
                                 [&](const auto& k) { return kind_name && k.second == *kind_name; });
  if (kind == kKinds.end()) return bad("unknown kind");
  poke.kind = kind->first;
  const auto node = positive(o, "n");
  if (!node) return bad("no node");
  poke.node = *node;
  const auto* members = o.if_contains("m");
  if (members == nullptr || !members->is_array() || members->get_array().size() > kMaxMembersPerPoke) {
    return bad("members must be a list of at most " + std::to_string(kMaxMembersPerPoke));
  }
  for (const auto& m : members->get_array()) {
    if (!m.is_int64() || m.get_int64() <= 0) return bad("a member id is not a positive integer");
    poke.members.push_back(m.get_int64());
  }
  const bool one_member = poke.members.size() == 1;
  switch (poke.kind) {
    case PokeKind::envelopes: {
      const auto pair = positive(o, "p");
      const auto seq = positive(o, "s");
      if (!one_member || !pair || !seq) return bad("envelopes names one member, a pair and a sequence number");
      poke.pair = *pair;
      poke.seq = *seq;
      break;
    }
    case PokeKind::event: {
      const auto frame = text(o, "f");
      if (!one_member || !frame) return bad("event names one member and carries a frame");
      poke.frame = std::string(*frame);
      break;
    }
    case PokeKind::activity: {
      const auto body = text(o, "f");
      const auto programme = positive(o, "g");
      if (!poke.members.empty() || !body || !programme) return bad("activity carries a programme and a body");
      poke.frame = std::string(*body);
      poke.programme = *programme;
      break;
    }
    case PokeKind::lease_ended: {
      const auto hash = text(o, "h");
      const auto code = positive(o, "c");
      const auto bytes = hash ? wire::base64url_decode(*hash) : std::nullopt;
      if (!bytes || bytes->size() != poke.session.size() || !code || *code > 4999) {
        return bad("lease_ended carries a session hash and a close code");
      }
      std::copy(bytes->begin(), bytes->end(), poke.session.begin());
      poke.close_code = static_cast<std::uint16_t>(*code);
      break;
    }
    case PokeKind::online:
    case PokeKind::offline:
      if (poke.members.empty()) return bad("presence names at least one member");
      break;
    case PokeKind::resync:
      if (!poke.members.empty()) return bad("resync names no member");
      break;
  }
  return poke;
}

}  // namespace mentorlink::server::bus
