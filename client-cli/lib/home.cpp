#include "client-cli/lib/home.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace mentorlink::client {
namespace fs = std::filesystem;
namespace json = boost::json;
using wire::ErrorCode;

namespace {

constexpr const char* kConfigFile = "config.json";
constexpr const char* kKeyStoreFile = "keystore.json";
constexpr const char* kPendingKeyStoreFile = "keystore.json.pending";
constexpr const char* kLockFile = "lock";
// How often a waiting command tries the lock again.
constexpr std::chrono::milliseconds kLockRetry{5};

Status io_error(const std::string& what) {
  return Status::error(ErrorCode::internal, what + ": " + std::strerror(errno));
}

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(ErrorCode::not_found, "cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

Status write_file_atomically(const fs::path& path, const std::string& text) {
  std::error_code ec;
  const fs::path dir = path.parent_path();
  fs::create_directories(dir, ec);
  if (ec) return Status::error(ErrorCode::internal, "cannot create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  std::string tmp = path.string() + ".XXXXXX";
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // a name of its own, so no writer clobbers another's
  if (fd < 0) return io_error("cannot write " + tmp);
  auto fail = [&](const std::string& what) {
    const Status s = io_error(what);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  if (::fchmod(fd, 0600) != 0) return fail("cannot protect " + tmp);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write " + tmp);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot flush " + tmp);
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const Status s = io_error("cannot replace " + path.string());
    ::unlink(tmp.c_str());
    return s;
  }
  // The rename itself is durable only once the folder is.
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return io_error("cannot open " + dir.string());
  const bool synced = ::fsync(dir_fd) == 0;
  ::close(dir_fd);
  if (!synced) return io_error("cannot flush " + dir.string());
  return Status::ok();
}

std::chrono::milliseconds home_lock_wait() {
  if (const char* s = std::getenv("MENTORLINK_LOCK_WAIT"); s != nullptr && *s != '\0') {
    char* end = nullptr;
    const double seconds = std::strtod(s, &end);
    if (end != s && *end == '\0' && seconds >= 0 && seconds <= 3600) {
      return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
    }
  }
  return kHomeLockWait;
}

Result<HomeLock> HomeLock::acquire(const Home& home, std::chrono::milliseconds wait) {
  std::error_code ec;
  fs::create_directories(home.dir(), ec);
  const fs::path path = home.dir() / kLockFile;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot open " + path.string());
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return HomeLock(fd);
    if (errno != EWOULDBLOCK && errno != EINTR) {
      const Status s = io_error("cannot lock " + path.string());
      ::close(fd);
      return s;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(kLockRetry);
  }
  ::close(fd);
  const std::string waited = wait.count() % 1000 == 0 ? std::to_string(wait.count() / 1000) + " s"
                                                      : std::to_string(wait.count()) + " ms";
  return Status::error(ErrorCode::conflict,
                       "another mentorlink command has been using this device's home (" + home.dir().string() +
                           ") for more than " + waited +
                           "; try again when it has finished (set MENTORLINK_LOCK_WAIT to wait longer)");
}

HomeLock& HomeLock::operator=(HomeLock&& other) noexcept {
  if (this != &other) {
    release();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void HomeLock::release() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

fs::path Home::default_dir() {
  if (const char* h = std::getenv("MENTORLINK_HOME"); h != nullptr && *h != '\0') return h;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x != nullptr && *x != '\0') return fs::path(x) / "mentorlink";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".local" / "share" / "mentorlink";
  }
  return fs::path(".mentorlink");
}

bool Home::enrolled() const { return fs::exists(dir_ / kKeyStoreFile) && fs::exists(dir_ / kConfigFile); }

Result<HomeConfig> Home::load_config() const {
  auto text = read_file(dir_ / kConfigFile);
  if (!text.is_ok()) {
    return Status::error(ErrorCode::not_found, "this device has not enrolled yet (no " + (dir_ / kConfigFile).string() +
                                                   "); run mentorlink enroll first, or pass the right --home");
  }
  boost::system::error_code ec;
  auto root = json::parse(text.value(), ec);
  if (ec || !root.is_object()) return Status::error(ErrorCode::malformed, (dir_ / kConfigFile).string() + " is damaged");
  const auto& o = root.as_object();
  HomeConfig c;
  try {
    c.server_url = std::string(o.at("server").as_string());
    c.ca_file = std::string(o.at("ca").as_string());
    c.member_id = o.at("member_id").to_number<std::int64_t>();
    c.name = std::string(o.at("name").as_string());
    c.identity_key = std::string(o.at("identity_key").as_string());
  } catch (const std::exception&) {
    return Status::error(ErrorCode::malformed, (dir_ / kConfigFile).string() + " is damaged");
  }
  return c;
}

Status Home::save_config(const HomeConfig& c) const {
  json::object o;
  o["server"] = c.server_url;
  o["ca"] = c.ca_file;
  o["member_id"] = c.member_id;
  o["name"] = c.name;
  o["identity_key"] = c.identity_key;
  return write_file_atomically(dir_ / kConfigFile, json::serialize(o) + "\n");
}

Result<std::string> Home::read_key_store() const {
  auto text = read_file(dir_ / kKeyStoreFile);
  if (!text.is_ok()) {
    return Status::error(ErrorCode::not_found, "no key store in " + dir_.string() + "; run mentorlink enroll first");
  }
  return text;
}

Status Home::write_pending_key_store(const std::string& text) const {
  return write_file_atomically(dir_ / kPendingKeyStoreFile, text);
}

Status Home::commit_pending_key_store() const {
  if (::rename((dir_ / kPendingKeyStoreFile).c_str(), (dir_ / kKeyStoreFile).c_str()) != 0) {
    return io_error("cannot install the key store in " + dir_.string());
  }
  return Status::ok();
}

void Home::discard_pending_key_store() const {
  std::error_code ec;
  fs::remove(dir_ / kPendingKeyStoreFile, ec);
}

}  // namespace mentorlink::client
