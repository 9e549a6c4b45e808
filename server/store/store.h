#pragma once
// The server's durable state, behind an interface: SQLite today (sqlite/sqlite_store.h),
// PostgreSQL later. Storage only: the rules of the domain (which meeting step fits which status,
// what may be signed, what a refusal means to a person) are in server/core.
//
// Contract for every implementation (tests/conformance/ checks it):
// - Each mutating call is one transaction; when it returns ok, the change is durable (survives a
//   process crash and a power cut). Callers acknowledge to clients only after that.
// - Answers: a value; not_found when the record asked for does not exist; a Refusal value (refusal.h)
//   when a stored rule refuses a write; internal for storage faults. A call that does not
//   return a value changes nothing.
// - Implementations are safe to call from several threads at once.

#include <functional>
#include <optional>
#include <utility>

#include "protocol/wire/status.h"
#include "server/store/dashboard_store.h"
#include "server/store/document_store.h"
#include "server/store/key_store.h"
#include "server/store/meeting_store.h"
#include "server/store/member_store.h"
#include "server/store/message_store.h"
#include "server/store/pair_store.h"
#include "server/store/programme_store.h"
#include "server/store/records.h"
#include "server/store/refusal.h"
#include "server/store/report_store.h"

namespace mentorlink::server {

using wire::Result;
using wire::Status;

class Store : public MemberStore,
              public ProgrammeStore,
              public PairStore,
              public KeyStore,
              public MessageStore,
              public DocumentStore,
              public MeetingStore,
              public ReportStore,
              public DashboardStore {
 public:
  ~Store() override = default;

  // Group commit: runs body on this thread with every call it makes to this store inside one
  // transaction, durable when this returns ok. The store is held for other threads meanwhile.
  // A call in body that fails still changes nothing (it rolls back alone); if the transaction
  // as a whole cannot commit, this returns internal and nothing body did is kept.
  virtual Status in_one_transaction(const std::function<void()>& body) = 0;
  // Runs body on this thread inside one serializable transaction (no other writer runs between its
  // reads and its writes) and keeps what it did only if it returns ok: a failed status (from body
  // or from the commit) leaves the store as it was.
  virtual Status all_or_nothing(const std::function<Status()>& body) = 0;
};

// all_or_nothing for a body that returns a value: the value if body and the commit succeed.
template <class T, class Body>
Result<T> all_or_nothing(Store& store, Body&& body) {
  std::optional<Result<T>> out;
  const Status done = store.all_or_nothing([&]() -> Status {
    out.emplace(body());
    return out->is_ok() ? Status::ok() : out->status();
  });
  if (!done.is_ok()) return done;
  return std::move(*out);
}

}  // namespace mentorlink::server
