#include "server/store/postgresql/connection.h"

#include <libpq-fe.h>

#include <charconv>

namespace mentorlink::server::pg {
namespace {

std::string sqlstate_of(const pg_result* result) {
  const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? std::string() : std::string(state);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Params& Params::add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  formats_.push_back(0);
  return *this;
}

Params& Params::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  formats_.push_back(0);
  return *this;
}

Params& Params::add(std::span<const std::uint8_t> bytes) {
  values_.emplace_back(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  formats_.push_back(1);
  return *this;
}

Params& Params::add(std::optional<std::int64_t> value) {
  return value ? add(*value) : add_null();
}

Params& Params::add_null() {
  values_.emplace_back(std::nullopt);
  formats_.push_back(0);
  return *this;
}

Result::~Result() {
  if (result_ != nullptr) PQclear(result_);
}

int Result::rows() const { return PQntuples(result_); }

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(result_);
  std::int64_t out = 0;
  if (n != nullptr) std::from_chars(n, n + std::char_traits<char>::length(n), out);
  return out;
}

bool Result::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::int64_t Result::integer(int row, int column) const {
  const char* v = PQgetvalue(result_, row, column);
  const int length = PQgetlength(result_, row, column);
  std::int64_t out = 0;
  if (v[0] == 't' || v[0] == 'f') return v[0] == 't' ? 1 : 0;  // booleans
  const auto [end, ec] = std::from_chars(v, v + length, out);
  if (ec != std::errc() || end != v + length) throw Error("22P02", std::string("not an integer column: ") + v);
  return out;
}

std::optional<std::int64_t> Result::optional_integer(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return integer(row, column);
}

std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::vector<std::uint8_t> Result::bytes(int row, int column) const {
  // bytea in text format: \x followed by two hex digits per byte.
  const char* v = PQgetvalue(result_, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result_, row, column));
  std::vector<std::uint8_t> out;
  if (length < 2 || v[0] != '\\' || v[1] != 'x') return out;
  out.reserve((length - 2) / 2);
  for (std::size_t i = 2; i + 1 < length; i += 2) {
    const int hi = hex_value(v[i]);
    const int lo = hex_value(v[i + 1]);
    if (hi < 0 || lo < 0) throw Error("22P02", "not a bytea column");
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

Connection::Connection(std::string url) : url_(std::move(url)) { connect(); }

Connection::~Connection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void Connection::connect() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
  prepared_.clear();
  depth_ = 0;
  const char* keywords[] = {"dbname", "connect_timeout", "application_name", nullptr};
  const std::string timeout = std::to_string(kConnectTimeoutSeconds);
  const char* values[] = {url_.c_str(), timeout.c_str(), "mentorlink-server", nullptr};
  conn_ = PQconnectdbParams(keywords, values, 1);  // expand_dbname: dbname holds the URL
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = conn_ == nullptr ? "out of memory" : PQerrorMessage(conn_);
    if (conn_ != nullptr) PQfinish(conn_);  // a constructor that throws runs no destructor
    conn_ = nullptr;
    throw Unavailable("cannot connect to PostgreSQL: " + why);
  }
  // Durable at COMMIT, whatever the server's default; times and names never depend on the session.
  exec("SET synchronous_commit = on; SET client_min_messages = warning");
}

bool Connection::healthy() const {
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) return false;
  // Reads what the server may have sent meanwhile (e.g. that it is shutting down) without waiting.
  return PQconsumeInput(conn_) == 1 && PQstatus(conn_) == CONNECTION_OK;
}

void Connection::reconnect() { connect(); }

void Connection::fail(pg_result* result, std::string_view what) {
  std::string message = std::string(what) + ": " + PQerrorMessage(conn_);
  std::string state = sqlstate_of(result);
  if (result != nullptr) PQclear(result);
  if (PQstatus(conn_) != CONNECTION_OK || state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
    throw Unavailable(message);
  }
  throw Error(std::move(state), message);
}

void Connection::exec(std::string_view sql) {
  pg_result* r = PQexec(conn_, std::string(sql).c_str());
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "statement failed");
  PQclear(r);
}

Result Connection::run(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(prepared_.size() + 1);
    pg_result* r = PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) fail(r, "cannot prepare a statement");
    PQclear(r);
    it = prepared_.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.values_.size());
  for (const auto& v : params.values_) {
    values.push_back(v ? v->data() : nullptr);
    lengths.push_back(v ? static_cast<int>(v->size()) : 0);
  }
  pg_result* r = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()), values.data(),
                                lengths.data(), params.formats_.data(), 0);
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "statement failed");
  return Result(r);
}

Transaction::Transaction(Connection& connection, Isolation isolation)
    : connection_(connection), level_(connection.depth_) {
  if (level_ == 0) {
    switch (isolation) {
      case Isolation::read_committed: connection_.exec("BEGIN"); break;
      case Isolation::repeatable_read: connection_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ"); break;
      case Isolation::serializable: connection_.exec("BEGIN ISOLATION LEVEL SERIALIZABLE"); break;
    }
  } else {
    connection_.exec("SAVEPOINT sp" + std::to_string(level_));
  }
  ++connection_.depth_;
}

Transaction::~Transaction() {
  if (done_) return;
  connection_.depth_ = level_;
  try {
    if (level_ == 0) {
      connection_.exec("ROLLBACK");
    } else {
      const std::string sp = "sp" + std::to_string(level_);
      connection_.exec("ROLLBACK TO SAVEPOINT " + sp + "; RELEASE SAVEPOINT " + sp);
    }
  } catch (const std::exception&) {
    // The connection is gone or the transaction already aborted: PostgreSQL discards it.
  }
}

void Transaction::commit() {
  done_ = true;
  connection_.depth_ = level_;
  if (level_ != 0) {
    connection_.exec("RELEASE SAVEPOINT sp" + std::to_string(level_));
    return;
  }
  pg_result* r = PQexec(connection_.conn_, "COMMIT");
  if (PQresultStatus(r) != PGRES_COMMAND_OK) connection_.fail(r, "commit failed");
  // COMMIT of a transaction that had already failed answers ROLLBACK instead of an error.
  const bool rolled_back = std::string_view(PQcmdStatus(r)) == "ROLLBACK";
  PQclear(r);
  if (rolled_back) throw Error("25P02", "the transaction was rolled back");
}

}  // namespace mentorlink::server::pg
