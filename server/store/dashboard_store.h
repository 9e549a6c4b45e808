#pragma once
// Dashboard sign-in (server/dashboard/). Only hashes of the link token and session id are stored.

#include <string>

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server {

class DashboardStore {
 public:
  virtual ~DashboardStore() = default;

  virtual wire::Status insert_dashboard_link(const wire::Hash& token_hash, MemberId member, ProgrammeId programme,
                                             TimeMs now, TimeMs expires_at) = 0;
  // The link, if it is unused and unexpired at now (not_found otherwise); changes nothing.
  virtual wire::Result<DashboardLinkRecord> dashboard_link(const wire::Hash& token_hash, TimeMs now) = 0;
  // Atomically: the link must be unused and unexpired at now (not_found otherwise); marks it used
  // and opens a session.
  virtual wire::Result<DashboardSessionRecord> redeem_dashboard_link(const wire::Hash& token_hash,
                                                                     const wire::Hash& session_hash,
                                                                     const std::string& csrf, TimeMs now,
                                                                     TimeMs session_expires_at) = 0;
  // not_found if unknown or expired at now.
  virtual wire::Result<DashboardSessionRecord> dashboard_session(const wire::Hash& session_hash, TimeMs now) = 0;
  virtual wire::Status end_dashboard_session(const wire::Hash& session_hash) = 0;
};

}  // namespace mentorlink::server
