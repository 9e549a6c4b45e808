#pragma once
// The attacker's hands on a running server's store (SECURITY.md: the server is an adversary for
// content): raw SQL against its SQLite file, for tests in which the server misbehaves.

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/server_process.h"

namespace mentorlink::test {

class Tamper {
 public:
  explicit Tamper(const std::filesystem::path& data_dir) {
    REQUIRE(sqlite3_open((data_dir / "mentorlink.db").c_str(), &db_) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Tamper() { sqlite3_close(db_); }
  Tamper(const Tamper&) = delete;
  Tamper& operator=(const Tamper&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    INFO(sql << ": " << (err != nullptr ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
  }

  // The first column of every row of sql, as bytes.
  std::vector<std::vector<std::uint8_t>> blobs(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::uint8_t>> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
      out.emplace_back(data, data + sqlite3_column_bytes(st, 0));
    }
    sqlite3_finalize(st);
    return out;
  }

  std::int64_t integer(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const auto v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

// The attacker edits its envelopes: the server is stopped while this is open and started again
// when it closes, so that what it keeps in memory about envelopes (which are pending, by pair
// and recipient) is rebuilt from the edited file, as at any start.
class TamperWithRestart {
 public:
  explicit TamperWithRestart(ServerProcess& server) : server_(server) {
    REQUIRE(server_.stop() == 0);
    tamper_.emplace(server_.data_dir());
  }
  ~TamperWithRestart() noexcept(false) {
    tamper_.reset();
    server_.start();
  }
  TamperWithRestart(const TamperWithRestart&) = delete;
  TamperWithRestart& operator=(const TamperWithRestart&) = delete;

  void exec(const std::string& sql) { tamper_->exec(sql); }
  std::int64_t integer(const std::string& sql) { return tamper_->integer(sql); }
  Tamper& tamper() { return *tamper_; }

 private:
  ServerProcess& server_;
  std::optional<Tamper> tamper_;
};

}  // namespace mentorlink::test
