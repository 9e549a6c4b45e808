#include "server/core/refusals.h"

#include <string>

namespace mentorlink::server {
using wire::ErrorCode;
using wire::Status;

Status refusal_status(const Refusal& r) {
  const std::string limit = std::to_string(r.limit);
  const std::string number = std::to_string(r.number);
  switch (r.rule) {
    case Refusal::Rule::pair_exists:
      return Status::error(ErrorCode::conflict, "this mentor and mentee already form an active pair");
    case Refusal::Rule::client_id_reused:
      return Status::error(ErrorCode::conflict,
                           "you already sent message " + number +
                               " with this client_id and a different body; use a new client_id",
                           "client_id");
    case Refusal::Rule::recipient_backlog_full:
      return Status::error(ErrorCode::quota_exceeded,
                           "your partner has " + limit +
                               " messages in this pair they have not collected yet; try again once they have caught up",
                           "pair");
    case Refusal::Rule::too_many_devices:
      return Status::error(ErrorCode::quota_exceeded,
                           "you already have keys for " + limit + " devices, the most this server keeps per member",
                           "device");
    case Refusal::Rule::too_many_one_time_prekeys:
      return Status::error(ErrorCode::quota_exceeded,
                           "a device may have at most " + limit + " one-time prekeys on the server; this would make " +
                               number,
                           "one_time_prekeys");
    case Refusal::Rule::too_many_documents:
      return Status::error(ErrorCode::quota_exceeded, "a pair may have at most " + limit + " documents", "pair");
    case Refusal::Rule::too_many_meetings:
      return Status::error(ErrorCode::quota_exceeded,
                           "this pair already has " + limit + " meetings, the most this server keeps per pair", "pair");
    case Refusal::Rule::version_stale:
      return Status::error(ErrorCode::conflict,
                           "the document changed: version " + number + " is the newest; read it and write version " +
                               std::to_string(r.number + 1),
                           "version");
    case Refusal::Rule::version_gap:
      return Status::error(ErrorCode::conflict,
                           "the next version of this document is " + std::to_string(r.number + 1), "version");
    case Refusal::Rule::version_not_on_latest:
      return Status::error(ErrorCode::conflict, "the version does not build on version " + number + " as stored",
                           "body");
    case Refusal::Rule::contract_version_stale:
      return Status::error(ErrorCode::conflict,
                           "the contract changed: version " + number + " is the newest; read it before signing",
                           "version");
  }
  return Status::error(ErrorCode::internal, "the store refused a write for a reason this server does not know");
}

}  // namespace mentorlink::server
