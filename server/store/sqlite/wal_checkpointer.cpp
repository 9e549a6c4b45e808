#include "server/store/sqlite/wal_checkpointer.h"

#include <spdlog/spdlog.h>

#include "server/store/sqlite/database.h"

namespace mentorlink::server::sqlite {

WalCheckpointer::WalCheckpointer(const std::string& path) {
  auto db = std::make_shared<Database>(path);  // opened here, so a failure reaches the caller
  thread_ = std::thread([this, db] {
    std::unique_lock lock(mutex_);
    while (!stop_requested_.wait_for(lock, kInterval, [this] { return stopping_; })) {
      lock.unlock();
      try {
        db->exec("PRAGMA wal_checkpoint(PASSIVE)");
      } catch (const Error& e) {
        spdlog::warn("event=checkpoint_failed sqlite_code={} reason=\"{}\"", e.code(), e.what());
      }
      lock.lock();
    }
  });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_one();
  thread_.join();
}

}  // namespace mentorlink::server::sqlite
