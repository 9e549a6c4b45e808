#include "server/policy/access.h"

namespace mentorlink::server::policy {
using wire::ErrorCode;

namespace {

bool is_coordinator(const std::optional<EnrolmentRecord>& e) {
  return e.has_value() && e->role == ProgrammeRole::coordinator;
}

}  // namespace

Status may_create_programme(const MemberRecord& actor) {
  if (actor.may_create_programmes) return Status::ok();
  return Status::error(ErrorCode::forbidden,
                       "only a coordinator created by the operator (mentorlink-server bootstrap) may create programmes");
}

Status may_view_programme(const std::optional<EnrolmentRecord>& actor) {
  if (actor.has_value()) return Status::ok();
  return Status::error(ErrorCode::forbidden, "you are not a member of this programme", "programme");
}

Status may_change_programme(const std::optional<EnrolmentRecord>& actor) {
  if (is_coordinator(actor)) return Status::ok();
  return Status::error(ErrorCode::forbidden, "only a coordinator of this programme may change its settings",
                       "programme");
}

Status may_invite(const std::optional<EnrolmentRecord>& actor) {
  if (is_coordinator(actor)) return Status::ok();
  return Status::error(ErrorCode::forbidden, "only a coordinator of this programme may invite people to it",
                       "programme");
}

Status may_form_pair(const std::optional<EnrolmentRecord>& actor) {
  if (is_coordinator(actor)) return Status::ok();
  return Status::error(ErrorCode::forbidden, "only a coordinator of this programme may form pairs", "programme");
}

Status may_end_pair(const PairRecord& pair, MemberId actor, const std::optional<EnrolmentRecord>& actor_enrolment) {
  if (pair.has_member(actor)) return Status::ok();
  if (is_coordinator(actor_enrolment) && actor_enrolment->programme == pair.programme) return Status::ok();
  return Status::error(ErrorCode::forbidden,
                       "only the pair's mentor or mentee, or a coordinator of its programme, may end it", "pair");
}

Status may_use_pair_content(const PairRecord& pair, MemberId actor) {
  if (pair.has_member(actor)) return Status::ok();
  return Status::error(ErrorCode::forbidden,
                       "only the pair's mentor and mentee may read or write its content; coordinators see metadata only",
                       "pair");
}

Status may_write_pair_content(const PairRecord& pair, MemberId actor) {
  if (auto s = may_use_pair_content(pair, actor); !s.is_ok()) return s;
  if (!pair.active()) return Status::error(ErrorCode::conflict, "this pair has ended", "pair");
  return Status::ok();
}

Status may_publish_template(const std::optional<EnrolmentRecord>& actor) {
  if (is_coordinator(actor)) return Status::ok();
  return Status::error(ErrorCode::forbidden, "only a coordinator of this programme may publish contract templates",
                       "programme");
}

Status may_read_reports(const std::optional<EnrolmentRecord>& actor) {
  if (is_coordinator(actor)) return Status::ok();
  return Status::error(ErrorCode::forbidden, "only a coordinator of this programme may see its reports", "programme");
}

Status may_read_document(const DocumentRecord& document, MemberId actor) {
  if (document.kind == wire::DocumentKind::reflection && document.owner != actor) {
    return Status::error(ErrorCode::not_found, "no such document", "document");
  }
  return Status::ok();
}

Status may_write_document(const DocumentRecord& document, MemberId actor) {
  if (auto s = may_read_document(document, actor); !s.is_ok()) return s;
  if (document.owner && document.owner != actor) {
    return Status::error(ErrorCode::forbidden, "only its author may write this feedback", "document");
  }
  return Status::ok();
}

}  // namespace mentorlink::server::policy
