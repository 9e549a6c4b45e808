#include "server/store/sqlite/sqlite_store.h"
#include "server/store/sqlite/wal_checkpointer.h"

#include <filesystem>

#include <spdlog/spdlog.h>

#include "server/store/sqlite/database.h"
#include "server/store/sqlite/migrations.h"
#include "server/store/sqlite/sqlite_store_internal.h"

namespace mentorlink::server {

std::string SqliteStore::database_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "mentorlink.db").string();
}

SqliteStore::SqliteStore(const std::string& data_dir, StoreObserver* observer, Durability durability, Quotas quotas)
    : observer_(observer), quotas_(quotas) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw std::runtime_error("cannot create the data folder " + data_dir + ": " + ec.message());
  try {
    db_ = std::make_unique<sqlite::Database>(database_path(data_dir));
    db_->exec("PRAGMA journal_mode = WAL");
    // See the header: FULL is durable at COMMIT, also on power loss.
    db_->exec(durability == Durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF");
    db_->exec("PRAGMA foreign_keys = ON");
    sqlite::migrate(*db_);
    messages_ = std::make_unique<sqlite::MessageIndex>();
    load_message_index();
    db_->exec("PRAGMA wal_autocheckpoint = 0");  // the checkpointer's thread does it, off the commit path
    checkpointer_ = std::make_unique<sqlite::WalCheckpointer>(database_path(data_dir));
  } catch (const sqlite::Error& e) {
    throw std::runtime_error(std::string("cannot open the store: ") + e.what());
  }
}

SqliteStore::~SqliteStore() { checkpointer_.reset(); }

Status SqliteStore::in_one_transaction(const std::function<void()>& body) {
  return run("batch", [&]() -> Status {
    sqlite_detail::IndexedTransaction tx(*db_, *messages_);
    batch_open_ = true;
    try {
      body();
    } catch (...) {
      batch_open_ = false;
      throw;
    }
    batch_open_ = false;
    tx.commit();
    return Status::ok();
  });
}

Status SqliteStore::all_or_nothing(const std::function<Status()>& body) {
  return run("all_or_nothing", [&]() -> Status {
    sqlite_detail::IndexedTransaction tx(*db_, *messages_);
    if (auto s = body(); !s.is_ok()) return s;  // tx rolls back everything body did
    tx.commit();
    return Status::ok();
  });
}

}  // namespace mentorlink::server
