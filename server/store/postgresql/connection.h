#pragma once
// A thin RAII layer over one libpq connection: parameterised statements (prepared once per
// connection and reused), results read by row and column, and transactions that nest as
// savepoints. Not thread-safe; PostgresStore serialises access.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace mentorlink::server::pg {

// How long one connection attempt may take before the server is called unreachable.
inline constexpr int kConnectTimeoutSeconds = 3;

// A statement the server refused, with its SQLSTATE ("23505" a unique violation, "40001" a
// serialization failure, ...).
class Error : public std::runtime_error {
 public:
  Error(std::string sqlstate, const std::string& what) : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // Another transaction won: running the whole transaction again may succeed.
  bool retryable() const noexcept { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }
  // A unique, foreign key or check constraint refused the write.
  bool constraint() const noexcept { return sqlstate_.rfind("23", 0) == 0; }

 private:
  std::string sqlstate_;
};

// The server cannot be reached or the connection broke: nothing can be known about a transaction
// that was open.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The values of one statement's $1, $2, ...: integers and text as text, byte strings as binary.
class Params {
 public:
  Params& add(std::int64_t value);
  Params& add(std::string_view text);
  Params& add(std::span<const std::uint8_t> bytes);
  Params& add(std::optional<std::int64_t> value);
  Params& add_null();

 private:
  friend class Connection;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;  // 0 text, 1 binary
};

class Result {
 public:
  explicit Result(pg_result* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;

  int rows() const;
  // Rows a command changed (UPDATE, DELETE, INSERT).
  std::int64_t affected() const;
  bool is_null(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  std::optional<std::int64_t> optional_integer(int row, int column) const;
  std::string text(int row, int column) const;
  std::vector<std::uint8_t> bytes(int row, int column) const;
  template <std::size_t N>
  std::array<std::uint8_t, N> fixed_bytes(int row, int column) const {
    std::array<std::uint8_t, N> out{};
    const auto b = bytes(row, column);
    for (std::size_t i = 0; i < N && i < b.size(); ++i) out[i] = b[i];
    return out;
  }

 private:
  pg_result* result_;
};

class Connection {
 public:
  // Connects to url (postgresql://...). Throws Unavailable if the server cannot be reached.
  explicit Connection(std::string url);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One or more statements without parameters (migrations, BEGIN, SAVEPOINT).
  void exec(std::string_view sql);
  // sql with $1, $2 ...; prepared on first use on this connection. Throws Error if the server
  // refuses it, Unavailable if the connection is gone.
  Result run(const std::string& sql, const Params& params = {});

  // Whether the connection is usable; if not, connects again (outside any transaction).
  bool healthy() const;
  void reconnect();
  // Savepoint depth: 0 outside a transaction.
  int depth() const { return depth_; }

 private:
  friend class Transaction;
  [[noreturn]] void fail(pg_result* result, std::string_view what);
  void connect();

  std::string url_;
  pg_conn* conn_ = nullptr;
  std::map<std::string, std::string, std::less<>> prepared_;  // sql -> statement name
  int depth_ = 0;
};

enum class Isolation { read_committed, repeatable_read, serializable };

// BEGIN on construction at depth 0, a savepoint inside a transaction already open; commit()
// COMMITs or releases the savepoint, destruction without commit() rolls back to where it began.
class Transaction {
 public:
  explicit Transaction(Connection& connection, Isolation isolation = Isolation::read_committed);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();
  bool outermost() const { return level_ == 0; }

 private:
  Connection& connection_;
  int level_;
  bool done_ = false;
};

}  // namespace mentorlink::server::pg
