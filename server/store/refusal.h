#pragma once
// A write that a stored rule refused, as a value: which rule, and the numbers it concerns. Nothing
// was changed. The store never words it; the domain says what it means to a person
// (server/core/refusals.h).

#include <cstdint>
#include <variant>

namespace mentorlink::server {

struct Refusal {
  enum class Rule {
    pair_exists,               // the mentor and mentee already form an active pair
    client_id_reused,          // the sender's client_id names another body; number: its seq
    recipient_backlog_full,    // limit: Quotas::max_pending_envelopes_per_pair
    too_many_devices,          // limit: Quotas::max_devices_per_member
    too_many_one_time_prekeys, // limit: Quotas::max_one_time_prekeys_per_device; number: what it would make
    too_many_documents,        // limit: the max_documents passed in
    too_many_meetings,         // limit: Quotas::max_meetings_per_pair
    version_stale,             // the version is not newer than the latest; number: the latest
    version_gap,               // the version skips ahead of latest + 1; number: the latest
    version_not_on_latest,     // previous_hash is not the latest version's hash; number: the latest
    contract_version_stale,    // the signed version is not the latest; number: the latest
  };
  Rule rule;
  std::int64_t limit = 0;
  std::int64_t number = 0;
};

// What a refusable write returns (inside Result, whose Status is then only a storage fault).
template <class T>
using Written = std::variant<T, Refusal>;

}  // namespace mentorlink::server
