#pragma once
// A thin RAII layer over one sqlite3 connection: prepared statements with typed binds and
// columns, and transactions. Not thread-safe; SqliteStore serialises access.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace mentorlink::server::sqlite {

// Thrown for storage faults (I/O error, corrupt file). Constraint violations are reported
// through Statement::step's return value so callers can map them to protocol errors.
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

class Statement {
 public:
  enum class Step { row, done, constraint };

  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  // Resets the statement, so no finished or abandoned query keeps a read snapshot open
  // (which would make a later write fail with SQLITE_BUSY_SNAPSHOT).
  ~Statement();
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::span<const std::uint8_t> blob);
  Statement& bind(int index, std::optional<std::int64_t> value);
  Statement& bind_null(int index);

  // row: a row is ready; done: finished. Any failure throws Error, a refused constraint included,
  // so no write is ever dropped silently.
  Step step();
  // As step(), but a UNIQUE/FOREIGN KEY/CHECK/trigger refusal is returned as constraint, for the
  // callers that turn it into an answer (a duplicate, a conflict).
  Step step_or_constraint();
  // Steps to the end and resets. A write with RETURNING must be finished before COMMIT.
  void finish();
  // Resets without stepping, so the statement can be bound and run again.
  void reset();

  std::int64_t column_int(int index) const;
  std::optional<std::int64_t> column_optional_int(int index) const;
  std::string column_text(int index) const;
  std::span<const std::uint8_t> column_blob(int index) const;

 private:
  friend class Database;
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  // Opens (creating if needed) the file at path. Throws Error on failure.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  // One statement, prepared once and cached (exec compiles its text at every call).
  void run(std::string_view sql);
  // A cached, reset statement for sql. At most one Statement per SQL text may be alive at once.
  Statement prepare(std::string_view sql);
  std::int64_t last_insert_id() const;
  int changes() const;
  int user_version();
  void set_user_version(int version);
  bool in_transaction() const;

 private:
  sqlite3* db_ = nullptr;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// Begins IMMEDIATE on construction; rolls back on destruction unless commit() was called.
// Inside a transaction already open (a batch, SqliteStore::in_one_transaction) it is a
// savepoint instead: commit() releases it into the outer transaction, and a failure rolls back
// only its own changes.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool nested_ = false;
  bool done_ = false;
};

}  // namespace mentorlink::server::sqlite
