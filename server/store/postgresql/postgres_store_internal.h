#pragma once
// Internals shared by the files that implement PostgresStore (postgres_*.cpp, one per area of
// the store). Not part of the store's interface. The select_* functions run inside the caller's lock.

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>
#include <vector>

#include "server/store/postgresql/connection.h"
#include "server/store/postgresql/postgres_store.h"

namespace mentorlink::server {

namespace pg_detail {

// The store's answer for a record that does not exist: not_found, naming it.
inline wire::Status absent(std::string_view record) {
  return wire::Status::error(wire::ErrorCode::not_found, "no such " + std::string(record), std::string(record));
}

inline wire::Status unavailable(std::string_view operation) {
  return wire::Status::error(wire::ErrorCode::unavailable,
                             "the database is unavailable (" + std::string(operation) + "); try again shortly");
}

// postgres_programmes.cpp
wire::Result<ProgrammeRecord> select_programme(pg::Connection& db, ProgrammeId id);
std::vector<EnrolmentRecord> select_enrolments(pg::Connection& db, ProgrammeId programme);
std::vector<PairRecord> select_pairs_in(pg::Connection& db, ProgrammeId programme);
// postgres_meetings.cpp
wire::Result<std::vector<MeetingRecord>> select_meetings_of_pair(pg::Connection& db, PairId pair);
// postgres_documents.cpp
ContractRecord select_contract_of_pair(pg::Connection& db, PairId pair);
// postgres_messages.cpp
std::int64_t select_message_count(pg::Connection& db, PairId pair, TimeMs since);

}  // namespace pg_detail

template <class Body>
auto PostgresStore::run(std::string_view operation, Body&& body) -> decltype(body()) {
  const auto start = std::chrono::steady_clock::now();
  bool failed = false;
  auto finish = [&] {
    if (observer_ != nullptr) {
      observer_->store_call(operation, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                            failed);
    }
  };
  std::lock_guard lock(mutex_);
  try {
    if (db_->depth() == 0) {
      if (!db_->healthy()) db_->reconnect();
      auto result = body();
      finish();
      return result;
    }
    // Inside a batch or all_or_nothing: a statement that fails must not abort the whole transaction.
    pg::Transaction savepoint(*db_);
    auto result = body();
    savepoint.commit();
    finish();
    return result;
  } catch (const pg::Unavailable& e) {
    failed = true;
    finish();
    spdlog::error("event=store_unavailable operation={} reason=\"{}\"", operation, e.what());
    return pg_detail::unavailable(operation);
  } catch (const pg::Error& e) {
    failed = true;
    finish();
    if (e.retryable()) {
      retry_ = true;
      spdlog::warn("event=store_conflict operation={} sqlstate={}", operation, e.sqlstate());
      return pg_detail::unavailable(operation);
    }
    spdlog::error("event=store_failure operation={} sqlstate={} reason=\"{}\"", operation, e.sqlstate(), e.what());
    return Status::error(wire::ErrorCode::internal, std::string("storage failure in ") + std::string(operation));
  }
}

}  // namespace mentorlink::server
