#include "client-cli/lib/home.h"

#include <fcntl.h>
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

namespace mentorlink::client {
namespace fs = std::filesystem;
namespace json = boost::json;
using wire::ErrorCode;

namespace {

constexpr const char* kConfigFile = "config.json";
constexpr const char* kKeyStoreFile = "keystore.json";
constexpr const char* kPendingKeyStoreFile = "keystore.json.pending";

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
  fs::create_directories(path.parent_path(), ec);
  if (ec) return Status::error(ErrorCode::internal, "cannot create " + path.parent_path().string() + ": " + ec.message());
  ::chmod(path.parent_path().c_str(), 0700);
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot write " + tmp.string());
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return io_error("cannot write " + tmp.string());
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    ::close(fd);
    return io_error("cannot flush " + tmp.string());
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error("cannot replace " + path.string());
  return Status::ok();
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
