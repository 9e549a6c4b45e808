// What each store refusal says to a person (server/core/refusals.h): the code, sentence and field
// clients have always received for it.
#include <catch2/catch.hpp>

#include "server/core/refusals.h"

using namespace mentorlink;
using namespace mentorlink::server;
using wire::ErrorCode;
using Rule = Refusal::Rule;

TEST_CASE("refusals: each rule has its code, sentence and field", "[refusals]") {
  struct Case {
    Refusal refusal;
    ErrorCode code;
    std::string message;
    std::string field;
  };
  const Case cases[] = {
      {{Rule::pair_exists}, ErrorCode::conflict, "this mentor and mentee already form an active pair", ""},
      {{Rule::client_id_reused, 0, 7}, ErrorCode::conflict,
       "you already sent message 7 with this client_id and a different body; use a new client_id", "client_id"},
      {{Rule::recipient_backlog_full, 10000}, ErrorCode::quota_exceeded,
       "your partner has 10000 messages in this pair they have not collected yet; try again once they have caught up",
       "pair"},
      {{Rule::too_many_devices, 4}, ErrorCode::quota_exceeded,
       "you already have keys for 4 devices, the most this server keeps per member", "device"},
      {{Rule::too_many_one_time_prekeys, 1000, 1001}, ErrorCode::quota_exceeded,
       "a device may have at most 1000 one-time prekeys on the server; this would make 1001", "one_time_prekeys"},
      {{Rule::too_many_documents, 20}, ErrorCode::quota_exceeded, "a pair may have at most 20 documents", "pair"},
      {{Rule::too_many_meetings, 5000}, ErrorCode::quota_exceeded,
       "this pair already has 5000 meetings, the most this server keeps per pair", "pair"},
      {{Rule::version_stale, 0, 3}, ErrorCode::conflict,
       "the document changed: version 3 is the newest; read it and write version 4", "version"},
      {{Rule::version_gap, 0, 3}, ErrorCode::conflict, "the next version of this document is 4", "version"},
      {{Rule::version_not_on_latest, 0, 3}, ErrorCode::conflict, "the version does not build on version 3 as stored",
       "body"},
      {{Rule::contract_version_stale, 0, 2}, ErrorCode::conflict,
       "the contract changed: version 2 is the newest; read it before signing", "version"},
  };
  for (const auto& c : cases) {
    const auto s = refusal_status(c.refusal);
    CHECK(s.code() == c.code);
    CHECK(s.message() == c.message);
    CHECK(s.field() == c.field);
  }
}

TEST_CASE("refusals: accepted passes a value, words a refusal and keeps a fault", "[refusals]") {
  CHECK(accepted(wire::Result<Written<int>>(Written<int>{5})).value() == 5);
  const auto refused = accepted(wire::Result<Written<int>>(Written<int>{Refusal{Rule::too_many_documents, 2}}));
  CHECK(refused.status().code() == ErrorCode::quota_exceeded);
  const auto fault = accepted(wire::Result<Written<int>>(wire::Status::error(ErrorCode::internal, "disk")));
  CHECK(fault.status().message() == "disk");
}
