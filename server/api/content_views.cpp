#include "server/api/content_views.h"

namespace mentorlink::server::api {
namespace msg = wire::messages;

msg::TemplateView template_view(const TemplateRecord& t, bool with_text) {
  msg::TemplateView v{t.id, t.programme, t.name, t.version, t.published_by, t.published_at, std::nullopt};
  if (with_text) v.text = t.text;
  return v;
}

msg::DocumentView document_view(const DocumentRecord& d) {
  return msg::DocumentView{d.id,         d.pair,       d.kind,      d.meeting, d.owner, d.latest_version,
                           d.latest_size, d.created_at, d.updated_at, d.format};
}

msg::VersionView version_view(const VersionRecord& v) {
  return msg::VersionView{v.version, v.author, v.body, v.signature, v.created_at};
}

msg::ContractView contract_view(PairId pair, const ContractStatus& s) {
  msg::ContractView v;
  v.pair = pair;
  v.state = std::string(to_string(s.state));
  v.document = s.document;
  v.version = s.version;
  if (s.version > 0) v.version_hash = s.version_hash;
  for (const auto& sig : s.signatures) v.signatures.push_back(msg::ContractSignatureView{sig.member, sig.signature, sig.signed_at});
  v.signed_at = s.signed_at;
  return v;
}

msg::MeetingView meeting_view(const MeetingRecord& m, const PairRecord& pair, TimeMs now, int min_held_minutes) {
  const auto facts = meeting_facts(m, pair.mentor, pair.mentee, now, min_held_minutes);
  msg::MeetingView v;
  v.id = m.id;
  v.pair = m.pair;
  v.status = std::string(to_string(m.status));
  v.scheduled_at = m.scheduled_at;
  v.started_at = m.started_at;
  v.ended_at = m.ended_at;
  v.cancelled_at = m.cancelled_at;
  for (const auto& p : m.presence) {
    if (!p.left_at) v.present.push_back(p.member);
  }
  v.both_present_ms = facts.both_present_ms;
  v.held = facts.held;
  v.agenda = msg::MeetingView::Agenda{facts.agenda_shared_ahead, facts.agenda_ahead_ms};
  v.feedback_from = m.feedback_from;
  return v;
}

}  // namespace mentorlink::server::api
