#pragma once
// The device's mentorlink folder (--home): where this member's config and key store live.
//   config.json    server address, CA file, member id and name (no secrets)
//   keystore.json  the identity key, sealed under the passphrase (protocol/device/key_store.h)
// Files are written atomically (temp file, fsync, rename) with mode 0600 in a 0700 folder.

#include <filesystem>
#include <string>

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

// Writes text to path atomically with mode 0600.
Status write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace mentorlink::client
