#include "tests/support/postgres_instance.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "tests/support/process.h"

namespace mentorlink::test {
namespace {

// The unprivileged account Debian's postgresql package creates; the server runs as it under root.
constexpr const char* kServerUser = "postgres";
// Attempts at starting on a free port (another process may take the port between probe and start).
constexpr int kStartAttempts = 5;
// How long pg_ctl waits for the server to start or stop, in seconds.
constexpr int kPgCtlWaitSeconds = 60;

std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string bin(const char* program) { return std::string(kPostgresBin) + "/" + program; }

}  // namespace

PostgresInstance::PostgresInstance() {
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam(kServerUser);
    if (user == nullptr) throw std::runtime_error("no `postgres` user: install postgresql-15 (scripts/install-deps.sh)");
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all);
    if (::chown(dir_.path().c_str(), user->pw_uid, user->pw_gid) != 0) {
      throw std::runtime_error("cannot give the PostgreSQL folder to the postgres user");
    }
  }
  run_as_owner({bin("initdb"), "-D", (dir_ / "data").string(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync", "--no-instructions"});
  std::string last_error;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    port_ = free_loopback_port();
    try {
      start();
      sql("SELECT 1");
      return;
    } catch (const std::runtime_error& e) {
      last_error = e.what();
    }
  }
  throw std::runtime_error("PostgreSQL did not start: " + last_error);
}

PostgresInstance::~PostgresInstance() {
  if (!running_) return;
  try {
    run_as_owner({bin("pg_ctl"), "-D", (dir_ / "data").string(), "-m", "immediate", "-w", "-t",
                  std::to_string(kPgCtlWaitSeconds), "stop"});
  } catch (const std::exception&) {
    // The folder goes anyway; a server that outlived its pg_ctl has nothing left to serve.
  }
}

PostgresInstance& PostgresInstance::shared() {
  static PostgresInstance instance;
  return instance;
}

std::string PostgresInstance::url() const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

std::string PostgresInstance::fresh_store_url() {
  const std::string schema = "store_" + std::to_string(::getpid()) + "_" + std::to_string(++schemas_);
  sql("CREATE SCHEMA " + schema);
  return url() + "?options=-csearch_path%3D" + schema;
}

void PostgresInstance::sql(const std::string& statements) const {
  PGconn* conn = PQconnectdb(url().c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("cannot connect to the test PostgreSQL: " + why);
  }
  PGresult* r = PQexec(conn, statements.c_str());
  const auto status = PQresultStatus(r);
  const std::string why = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error("SQL failed: " + why);
}

void PostgresInstance::start() {
  const std::string options = "-p " + std::to_string(port_) + " -k " + dir_.path().string() +
                              " -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on"
                              " -c max_connections=200 -c shared_buffers=32MB";
  run_as_owner({bin("pg_ctl"), "-D", (dir_ / "data").string(), "-l", (dir_ / "server.log").string(), "-o", options,
                "-w", "-t", std::to_string(kPgCtlWaitSeconds), "start"});
  running_ = true;
}

void PostgresInstance::stop() {
  run_as_owner({bin("pg_ctl"), "-D", (dir_ / "data").string(), "-m", "fast", "-w", "-t",
                std::to_string(kPgCtlWaitSeconds), "stop"});
  running_ = false;
}

void PostgresInstance::run_as_owner(const std::vector<std::string>& argv) const {
  std::vector<std::string> args;
  std::string program = argv.front();
  if (::geteuid() == 0) {
    args = {"-u", kServerUser, "--"};
    args.insert(args.end(), argv.begin(), argv.end());
    program = "/usr/sbin/runuser";
  } else {
    args.assign(argv.begin() + 1, argv.end());
  }
  const auto r = run_process(program, args);
  if (r.exit_code != 0) {
    throw std::runtime_error(argv.front() + " failed (" + std::to_string(r.exit_code) + "): " + r.out + r.err +
                             read_file(dir_ / "server.log"));
  }
}

}  // namespace mentorlink::test
