#include "protocol/wire/messages/calls.h"

#include <array>

namespace mentorlink::wire::messages {
namespace json = boost::json;

namespace {

bool is_ice_url(std::string_view url) {
  for (std::string_view scheme : std::array<std::string_view, 4>{"stun:", "stuns:", "turn:", "turns:"}) {
    if (url.size() > scheme.size() && url.substr(0, scheme.size()) == scheme) return true;
  }
  return false;
}

}  // namespace

json::object IceServer::encode() const {
  json::array list;
  for (const auto& u : urls) list.emplace_back(u);
  json::object out{{"urls", std::move(list)}};
  if (username) out["username"] = *username;
  if (credential) out["credential"] = *credential;
  return out;
}

Result<IceServer> IceServer::decode(const json::object& o) {
  const auto* urls = o.if_contains("urls");
  if (urls == nullptr) return Status::error(ErrorCode::missing_field, "field \"urls\" is missing", "urls");
  const auto* list = urls->if_array();
  if (list == nullptr || list->empty() || list->size() > kMaxIceUrls) {
    return Status::error(ErrorCode::invalid_field, "field \"urls\" must be 1 to 16 URLs", "urls");
  }
  IceServer v;
  for (const auto& u : *list) {
    const auto* s = u.if_string();
    if (s == nullptr || s->size() > kMaxIceTextBytes || !is_ice_url(*s)) {
      return Status::error(ErrorCode::invalid_field, "field \"urls\" must hold stun: or turn: URLs", "urls");
    }
    v.urls.emplace_back(*s);
  }
  FieldReader in(o);
  v.username = in.optional_text("username", kMaxIceTextBytes);
  v.credential = in.optional_text("credential", kMaxIceTextBytes);
  if (in.ok() && v.username.has_value() != v.credential.has_value()) {
    return Status::error(ErrorCode::invalid_field, "a TURN server has both username and credential, or neither",
                         "credential");
  }
  return finish(in, std::move(v));
}

json::object IceServersResult::encode() const {
  return {{"ice_servers", encode_all(ice_servers)}, {"expires_at", expires_at}};
}

Result<IceServersResult> IceServersResult::decode(const json::object& o) {
  FieldReader in(o);
  IceServersResult v;
  v.ice_servers = in.list<IceServer>("ice_servers", kMaxIceServers);
  v.expires_at = in.integer("expires_at", 0, kMaxTime);
  return finish(in, std::move(v));
}

}  // namespace mentorlink::wire::messages
