#pragma once
// Envelopes: numbered per pair, kept until their recipient acknowledges them.

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"
#include "server/store/refusal.h"

namespace mentorlink::server {

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // Assigns the pair's next sequence number, unless (pair, sender, client_id) was stored before:
  // then it returns that envelope marked duplicate if the body is the same, and is refused with
  // client_id_reused if not. Refused with recipient_backlog_full when the recipient already has
  // Quotas::max_pending_envelopes_per_pair unacknowledged envelopes in the pair. not_found: no such pair.
  virtual wire::Result<Written<StoredEnvelope>> store_envelope(const EnvelopeRecord& envelope) = 0;
  // Envelopes for recipient not yet acknowledged, by pair then sequence, at most limit; in a
  // pair named in `after`, only those with a greater sequence number.
  virtual wire::Result<std::vector<EnvelopeRecord>> pending_envelopes(
      MemberId recipient, std::size_t limit, const std::map<PairId, std::int64_t>& after = {}) = 0;
  // Deletes the bodies of recipient's envelopes in pair with seq <= up_to; returns how many.
  virtual wire::Result<std::int64_t> ack_envelopes(MemberId recipient, PairId pair, std::int64_t up_to, TimeMs now) = 0;
  // Envelopes sent in pair at or after since (existence only; bodies may be gone).
  virtual wire::Result<std::int64_t> message_count(PairId pair, TimeMs since) = 0;
};

}  // namespace mentorlink::server
