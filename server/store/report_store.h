#pragma once
// What coordinator reports read and write: one consistent snapshot of a programme's metadata,
// and each pair's access log (chained by the domain: server/core/access_chain.h).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/wire/status.h"
#include "server/store/records.h"

namespace mentorlink::server {

// One pair's metadata as a report needs it.
struct PairSnapshot {
  PairRecord pair;
  std::vector<MeetingRecord> meetings;  // as meetings_of_pair
  ContractRecord contract;              // as contract_of_pair
  std::int64_t messages = 0;            // as message_count(pair, since)
};

// A programme's metadata read in one transaction, so every number agrees with every other.
struct ProgrammeSnapshot {
  ProgrammeRecord programme;
  std::vector<EnrolmentRecord> enrolments;  // as enrolments_in
  std::vector<PairSnapshot> pairs;          // as pairs_in
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // One call, one read transaction. messages_since: where each pair's message count starts.
  virtual wire::Result<ProgrammeSnapshot> programme_snapshot(ProgrammeId programme, TimeMs messages_since) = 0;

  // The pair's newest access-log entry, if it has any.
  virtual wire::Result<std::optional<AccessRecord>> last_access(PairId pair) = 0;
  // Stores the entry as given; a (pair, seq) already stored is a fault.
  virtual wire::Status insert_access(const AccessRecord& entry) = 0;
  // The pair's log from seq `from` upwards, at most limit.
  virtual wire::Result<std::vector<AccessRecord>> access_log(PairId pair, std::int64_t from, std::size_t limit) = 0;
  // A coordinator's own entries across the programme's pairs, newest first.
  virtual wire::Result<std::vector<AccessRecord>> access_entries_by(MemberId coordinator, ProgrammeId programme,
                                                                    std::size_t limit) = 0;
};

}  // namespace mentorlink::server
