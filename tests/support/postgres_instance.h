#pragma once
// A private PostgreSQL 15 for tests: initdb into a temporary folder, started with pg_ctl on a free
// loopback port, its unix socket inside that folder and fsync on; stopped and removed on
// destruction. As root (CI), where initdb refuses to run, the server runs as Debian's unprivileged
// `postgres` user, which then owns the folder. Each test gets a store of its own cheaply: a fresh
// schema in the one database, named in the URL (fresh_store_url).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace mentorlink::test {

// Debian's PostgreSQL 15 programs (initdb, pg_ctl, postgres).
inline constexpr const char* kPostgresBin = "/usr/lib/postgresql/15/bin";

class PostgresInstance {
 public:
  // Starts the server; throws std::runtime_error with its log if it does not come up.
  PostgresInstance();
  ~PostgresInstance();
  PostgresInstance(const PostgresInstance&) = delete;
  PostgresInstance& operator=(const PostgresInstance&) = delete;

  // One instance for the whole test binary, started on first use and stopped at exit.
  static PostgresInstance& shared();

  std::uint16_t port() const { return port_; }
  // The superuser's URL of the instance's database (postgresql://postgres@127.0.0.1:PORT/postgres).
  std::string url() const;
  // A new, empty schema; the URL whose connections use it (search_path set by the URL's options).
  // Several servers given the same URL share one store.
  std::string fresh_store_url();
  // Runs statements as the superuser on the instance's database; throws on failure.
  void sql(const std::string& statements) const;

  // Fault tests: stops the server (fast shutdown: open connections break) and starts it again on
  // the same port and folder. Both return once pg_ctl has seen the server stop or accept connections.
  void stop();
  void start();
  bool running() const { return running_; }

 private:
  // argv run as the server's user (through runuser when this process is root); throws with its
  // output on a non-zero exit.
  void run_as_owner(const std::vector<std::string>& argv) const;

  TempDir dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
  int schemas_ = 0;
};

}  // namespace mentorlink::test
