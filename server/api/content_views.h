#pragma once
// JSON views of templates, documents, contract status and meetings (PROTOCOL.md §6, "Documents"
// and "Meetings"). Metadata only: document views never carry a body.

#include <boost/json/object.hpp>

#include "server/core/contracts.h"
#include "server/core/meeting_facts.h"
#include "server/store/records.h"

namespace mentorlink::server::api {

boost::json::object template_view(const TemplateRecord& t, bool with_text);
boost::json::object document_view(const DocumentRecord& d);
boost::json::object version_view(const VersionRecord& v);
boost::json::object contract_view(PairId pair, const ContractStatus& status);
// min_held_minutes: the pair's programme's setting, which decides "held".
boost::json::object meeting_view(const MeetingRecord& m, const PairRecord& pair, TimeMs now, int min_held_minutes);

}  // namespace mentorlink::server::api
