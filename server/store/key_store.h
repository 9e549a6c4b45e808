#pragma once
// Devices' published X3DH keys (public halves only) and the one-time prekeys handed out.

#include <cstdint>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"
#include "server/store/refusal.h"

namespace mentorlink::server {

class KeyStore {
 public:
  virtual ~KeyStore() = default;

  // Replaces the device's identity-DH key and signed prekey and adds the one-time prekeys (an id
  // already present or already handed out is left as it is, so a retried publish is harmless).
  // Refused with too_many_devices beyond Quotas::max_devices_per_member device ids, or
  // too_many_one_time_prekeys beyond Quotas::max_one_time_prekeys_per_device stored prekeys.
  virtual wire::Result<Written<std::monostate>> publish_keys(const DeviceKeysRecord& keys,
                                                             const std::vector<OneTimePrekeyRecord>& one_time) = 0;
  // The keys of member's lowest-numbered device, for `requester` in `pair`, with one one-time
  // prekey, deleted atomically (no prekey is ever handed out twice), unless requester was given
  // one for this pair less than Quotas::one_time_prekey_interval_ms before now: then none.
  // not_found if the member has published no keys.
  virtual wire::Result<BundleRecord> take_bundle(MemberId member, PairId pair, MemberId requester, TimeMs now) = 0;
  virtual wire::Result<std::int64_t> one_time_prekey_count(MemberId member, std::int64_t device) = 0;
};

}  // namespace mentorlink::server
