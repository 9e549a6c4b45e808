#pragma once
// The contract template a programme starts with (server/templates/default-contract.md): purpose
// and goals, cadence and format, the mentee's agenda, confidentiality, the unpaid mentor,
// feedback both ways, ending. Placeholders {{mentor}}, {{mentee}}, {{programme}}, {{date}} are
// filled in by the client when a pair drafts its contract.

#include <string_view>

namespace mentorlink::server {

inline constexpr std::string_view kDefaultContractName = "Mentoring contract";

std::string_view default_contract_text();

}  // namespace mentorlink::server
