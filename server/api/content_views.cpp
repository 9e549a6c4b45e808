#include "server/api/content_views.h"

#include <boost/json/array.hpp>

#include "protocol/wire/base64url.h"
#include "server/api/views.h"

namespace mentorlink::server::api {
namespace json = boost::json;

json::object template_view(const TemplateRecord& t, bool with_text) {
  json::object o;
  o["id"] = t.id;
  o["programme"] = t.programme;
  o["name"] = t.name;
  o["version"] = t.version;
  o["published_by"] = t.published_by;
  o["published_at"] = t.published_at;
  if (with_text) o["text"] = t.text;
  return o;
}

json::object document_view(const DocumentRecord& d) {
  json::object o;
  o["id"] = d.id;
  o["pair"] = d.pair;
  o["kind"] = wire::to_string(d.kind);
  o["meeting"] = optional_int(d.meeting);
  o["owner"] = optional_int(d.owner);
  o["latest_version"] = d.latest_version;
  o["size"] = d.latest_size;
  o["created_at"] = d.created_at;
  o["updated_at"] = d.updated_at;
  o["format"] = d.format;
  return o;
}

json::object version_view(const VersionRecord& v) {
  json::object o;
  o["version"] = v.version;
  o["author"] = v.author;
  o["body"] = wire::base64url_encode(v.body);
  o["signature"] = wire::base64url_encode(v.signature);
  o["created_at"] = v.created_at;
  return o;
}

json::object contract_view(PairId pair, const ContractStatus& s) {
  json::object o;
  o["pair"] = pair;
  o["state"] = to_string(s.state);
  o["document"] = optional_int(s.document);
  o["version"] = s.version;
  o["version_hash"] = s.version > 0 ? json::value(wire::base64url_encode(s.version_hash)) : json::value(nullptr);
  json::array sigs;
  for (const auto& sig : s.signatures) {
    sigs.push_back(json::object{{"member", sig.member},
                                {"signature", wire::base64url_encode(sig.signature)},
                                {"signed_at", sig.signed_at}});
  }
  o["signatures"] = std::move(sigs);
  o["signed_at"] = optional_int(s.signed_at);
  return o;
}

json::object meeting_view(const MeetingRecord& m, const PairRecord& pair, TimeMs now, int min_held_minutes) {
  const auto facts = meeting_facts(m, pair.mentor, pair.mentee, now, min_held_minutes);
  json::object o;
  o["id"] = m.id;
  o["pair"] = m.pair;
  o["status"] = to_string(m.status);
  o["scheduled_at"] = optional_int(m.scheduled_at);
  o["started_at"] = optional_int(m.started_at);
  o["ended_at"] = optional_int(m.ended_at);
  o["cancelled_at"] = optional_int(m.cancelled_at);
  json::array present;
  for (const auto& p : m.presence) {
    if (!p.left_at) present.push_back(p.member);
  }
  o["present"] = std::move(present);
  o["both_present_ms"] = facts.both_present_ms;
  o["held"] = facts.held;
  o["agenda"] = json::object{{"shared_ahead", facts.agenda_shared_ahead}, {"ahead_ms", optional_int(facts.agenda_ahead_ms)}};
  json::array feedback;
  for (auto id : m.feedback_from) feedback.push_back(id);
  o["feedback_from"] = std::move(feedback);
  return o;
}

}  // namespace mentorlink::server::api
