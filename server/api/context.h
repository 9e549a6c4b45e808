#pragma once
// What a request handler may use. Everything here outlives every connection.

#include "server/core/address_limiter.h"
#include "server/core/clock.h"
#include "server/core/hub.h"
#include "server/core/limits.h"
#include "server/observability/metrics.h"
#include "server/store/store.h"

namespace mentorlink::server {

struct ServerContext {
  Store& store;
  const Clock& clock;
  Hub& hub;
  Metrics& metrics;
  const Limits& limits;
  AddressLimiter& address_limiter;
};

}  // namespace mentorlink::server
