#pragma once
// Copies the write-ahead log back into the database file on a thread of its own, with its own
// connection, so that no commit waits for a checkpoint. SQLite's automatic checkpoint would run
// inside whichever COMMIT crosses the threshold (1000 pages), and with it a second fsync, on the
// path of the requests in that commit. PASSIVE checkpoints never block writers or readers;
// durability is unchanged, since a commit is durable once its WAL frames are synced.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace mentorlink::server::sqlite {

class WalCheckpointer {
 public:
  static constexpr std::chrono::milliseconds kInterval{100};

  // Opens its own connection to path (the database must exist). Throws sqlite::Error.
  explicit WalCheckpointer(const std::string& path);
  ~WalCheckpointer();  // stops the thread; the last connection to close checkpoints what is left
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace mentorlink::server::sqlite
