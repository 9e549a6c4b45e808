#pragma once
// Who may do what (PRODUCT.md, "Who uses it"). Every rule is here, as a pure function of records,
// so that permissions can be read and tested in one place. Each returns ok or forbidden with a
// sentence naming what is missing.

#include <optional>

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server::policy {

using wire::Status;

// Only bootstrap coordinators (made by the operator) create programmes.
Status may_create_programme(const MemberRecord& actor);

// Seeing a programme (its members and pairs) needs enrolment in it, in any role.
Status may_view_programme(const std::optional<EnrolmentRecord>& actor);

// A programme's settings (cadence, minimum meeting time) are changed by its coordinators.
Status may_change_programme(const std::optional<EnrolmentRecord>& actor);

// Invites (of participants or coordinators) come from the programme's coordinators.
Status may_invite(const std::optional<EnrolmentRecord>& actor);

// Pairs are formed by the programme's coordinators, from two distinct enrolled members.
Status may_form_pair(const std::optional<EnrolmentRecord>& actor);

// Either member of the pair, or a coordinator of its programme, may end it.
Status may_end_pair(const PairRecord& pair, MemberId actor, const std::optional<EnrolmentRecord>& actor_enrolment);

// A pair's content (messages, keys for sessions, documents) belongs to its two members alone,
// whatever their role in the programme: a coordinator who is the pair's mentor or mentee reads it
// as a member (the report marks such pairs), any other coordinator sees metadata only.
Status may_use_pair_content(const PairRecord& pair, MemberId actor);

// Writing new content needs the pair to be active; history stays on the members' devices.
Status may_write_pair_content(const PairRecord& pair, MemberId actor);

// Contract templates are published by the programme's coordinators (members read them).
Status may_publish_template(const std::optional<EnrolmentRecord>& actor);

// Reports, the programme's cadence and live metadata are for the programme's coordinators.
Status may_read_reports(const std::optional<EnrolmentRecord>& actor);

// A document is readable by both members of its pair, except a reflection, which only its owner
// may see: to anyone else it does not exist (not_found). The caller has already passed
// may_use_pair_content.
Status may_read_document(const DocumentRecord& document, MemberId actor);

// Writing: the pair must be active (may_write_pair_content), and feedback and reflections are
// written by their owner alone.
Status may_write_document(const DocumentRecord& document, MemberId actor);

}  // namespace mentorlink::server::policy
