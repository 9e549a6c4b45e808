#pragma once
// Views of templates, documents, contract status and meetings (PROTOCOL.md §6, "Documents" and
// "Meetings"), as the typed messages the client decodes. Metadata only: document views never
// carry a body.

#include "protocol/wire/messages/documents.h"
#include "protocol/wire/messages/meetings.h"
#include "server/core/contracts.h"
#include "server/core/meeting_facts.h"
#include "server/store/records.h"

namespace mentorlink::server::api {

wire::messages::TemplateView template_view(const TemplateRecord& t, bool with_text);
wire::messages::DocumentView document_view(const DocumentRecord& d);
wire::messages::VersionView version_view(const VersionRecord& v);
wire::messages::ContractView contract_view(PairId pair, const ContractStatus& status);
// min_held_minutes: the pair's programme's setting, which decides "held".
wire::messages::MeetingView meeting_view(const MeetingRecord& m, const PairRecord& pair, TimeMs now,
                                         int min_held_minutes);

}  // namespace mentorlink::server::api
