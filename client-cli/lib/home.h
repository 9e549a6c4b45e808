#pragma once
// The device's mentorlink folder (--home): where this member's config and key store live.
//   config.json    server address, CA file, member id and name (no secrets)
//   keystore.json  the identity key, sealed under the passphrase (protocol/device/key_store.h)
//   state.sealed   sessions and history (device_state.h)
//   lock           taken by whoever changes the home (HomeLock)
// Files are written atomically (temp file, fsync, rename, fsync of the folder) with mode 0600 in
// a 0700 folder.

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>

#include "protocol/wire/status.h"

namespace mentorlink::client {

using wire::Result;
using wire::Status;

struct HomeConfig {
  std::string server_url;
  std::string ca_file;  // absolute path
  std::int64_t member_id = 0;
  std::string name;
  std::string identity_key;  // base64url, for display and checks
};

class Home {
 public:
  explicit Home(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // $MENTORLINK_HOME, else $XDG_DATA_HOME/mentorlink, else ~/.local/share/mentorlink.
  static std::filesystem::path default_dir();

  const std::filesystem::path& dir() const { return dir_; }
  bool enrolled() const;

  Result<HomeConfig> load_config() const;
  Status save_config(const HomeConfig& config) const;

  Result<std::string> read_key_store() const;
  // The key store is first written aside, and only made current once the server accepted the
  // enrolment, so a failed enrolment leaves no half-made home behind.
  Status write_pending_key_store(const std::string& text) const;
  Status commit_pending_key_store() const;
  void discard_pending_key_store() const;

 private:
  std::filesystem::path dir_;
};

// Writes text to path atomically with mode 0600; once it returns ok, the new file survives a crash.
Status write_file_atomically(const std::filesystem::path& path, const std::string& text);

// How long a command waits for another mentorlink process to release the home, unless
// $MENTORLINK_LOCK_WAIT gives a number of seconds.
inline constexpr std::chrono::seconds kHomeLockWait{30};
std::chrono::milliseconds home_lock_wait();

// One writer per home (SECURITY.md, attack 22): an exclusive flock(2) on <home>/lock, held from
// acquire() until the object is destroyed or release()d. Whoever holds it reads the device state
// afresh before using it, so two processes never encrypt from the same ratchet state.
class HomeLock {
 public:
  // Waits up to wait; after that, an error that says another mentorlink command is using the home.
  static Result<HomeLock> acquire(const Home& home, std::chrono::milliseconds wait);

  HomeLock() = default;
  HomeLock(HomeLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  HomeLock& operator=(HomeLock&& other) noexcept;
  HomeLock(const HomeLock&) = delete;
  HomeLock& operator=(const HomeLock&) = delete;
  ~HomeLock() { release(); }

  bool held() const { return fd_ >= 0; }
  void release();

 private:
  explicit HomeLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace mentorlink::client
