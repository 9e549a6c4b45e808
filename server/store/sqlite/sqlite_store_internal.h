#pragma once
// Internals shared by the files that implement SqliteStore (sqlite_*.cpp, one per area of the
// store). Not part of the store's interface. The select_* functions run inside the caller's lock.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <span>
#include <string>
#include <vector>

#include "server/store/sqlite/database.h"
#include "server/store/sqlite/message_index.h"
#include "server/store/sqlite/sqlite_store.h"

namespace mentorlink::server {

namespace sqlite_detail {

template <std::size_t N>
inline std::array<std::uint8_t, N> to_array(std::span<const std::uint8_t> blob) {
  std::array<std::uint8_t, N> out{};
  std::copy_n(blob.begin(), std::min(N, blob.size()), out.begin());
  return out;
}

// The store's answer for a record that does not exist: not_found, naming it.
inline wire::Status absent(std::string_view record) {
  return wire::Status::error(wire::ErrorCode::not_found, "no such " + std::string(record), std::string(record));
}

// Columns for read_access, in order.
inline constexpr std::string_view kAccessColumns =
    "a.pair_id, a.seq, a.coordinator_id, a.at, a.what, a.fields, a.previous_hash, a.hash";

inline AccessRecord read_access(const sqlite::Statement& st) {
  return AccessRecord{st.column_int(0),  st.column_int(1),  st.column_int(2),
                      st.column_int(3),  st.column_text(4), st.column_text(5),
                      to_array<wire::kHashBytes>(st.column_blob(6)), to_array<wire::kHashBytes>(st.column_blob(7))};
}

// sqlite_programmes.cpp
wire::Result<ProgrammeRecord> select_programme(sqlite::Database& db, ProgrammeId id);
std::vector<EnrolmentRecord> select_enrolments(sqlite::Database& db, ProgrammeId programme);
// sqlite_pairs.cpp
std::vector<PairRecord> select_pairs_in(sqlite::Database& db, ProgrammeId programme);
// sqlite_meetings.cpp
wire::Result<std::vector<MeetingRecord>> select_meetings_of_pair(sqlite::Database& db, PairId pair);
// sqlite_documents.cpp
ContractRecord select_contract_of_pair(sqlite::Database& db, PairId pair);

// A sqlite::Transaction that the message index follows: if the transaction (or savepoint) does
// not commit, the index changes made since it began are taken back; when the outermost one
// commits, they are kept for good.
class IndexedTransaction {
 public:
  IndexedTransaction(sqlite::Database& db, sqlite::MessageIndex& index)
      : index_(index), mark_(index.mark()), outermost_(!db.in_transaction()), tx_(db) {}
  ~IndexedTransaction() {
    if (!done_) index_.undo_to(mark_);
  }
  IndexedTransaction(const IndexedTransaction&) = delete;
  IndexedTransaction& operator=(const IndexedTransaction&) = delete;
  void commit() {
    tx_.commit();
    if (outermost_) index_.forget_undo();
    done_ = true;
  }

 private:
  sqlite::MessageIndex& index_;
  std::size_t mark_;
  bool outermost_;
  sqlite::Transaction tx_;
  bool done_ = false;
};

}  // namespace sqlite_detail

template <class Body>
auto SqliteStore::run(std::string_view operation, Body&& body) -> decltype(body()) {
  const auto start = std::chrono::steady_clock::now();
  bool failed = false;
  auto finish = [&] {
    if (observer_ != nullptr) {
      observer_->store_call(operation, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                            failed);
    }
  };
  std::lock_guard lock(mutex_);
  if (batch_open_ && !db_->in_transaction()) {
    failed = true;
    finish();
    spdlog::error("event=store_failure operation={} reason=\"the batch's transaction was rolled back\"", operation);
    return Status::error(wire::ErrorCode::internal, std::string("storage failure in ") + std::string(operation));
  }
  try {
    auto result = body();
    finish();
    return result;
  } catch (const sqlite::Error& e) {
    failed = true;
    finish();
    spdlog::error("event=store_failure operation={} sqlite_code={} reason=\"{}\"", operation, e.code(), e.what());
    return Status::error(wire::ErrorCode::internal, std::string("storage failure in ") + std::string(operation));
  }
}

}  // namespace mentorlink::server
