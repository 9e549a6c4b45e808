#include "server/store/postgresql/postgres_store.h"

#include "server/store/postgresql/migrations.h"
#include "server/store/postgresql/postgres_store_internal.h"

namespace mentorlink::server {

bool PostgresStore::is_url(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

PostgresStore::PostgresStore(const std::string& url, StoreObserver* observer, Quotas quotas)
    : observer_(observer), quotas_(quotas) {
  try {
    db_ = std::make_unique<pg::Connection>(url);
    pg::migrate(*db_);
  } catch (const pg::Unavailable& e) {
    throw std::runtime_error(std::string("cannot reach the PostgreSQL store: ") + e.what());
  } catch (const pg::Error& e) {
    throw std::runtime_error(std::string("cannot open the PostgreSQL store: ") + e.what());
  }
}

PostgresStore::~PostgresStore() = default;

Status PostgresStore::in_one_transaction(const std::function<void()>& body) {
  return run("batch", [&]() -> Status {
    pg::Transaction tx(*db_);
    body();
    tx.commit();
    return Status::ok();
  });
}

Status PostgresStore::all_or_nothing(const std::function<Status()>& body) {
  std::lock_guard lock(mutex_);
  const bool outermost = db_->depth() == 0;
  for (int attempt = 0;; ++attempt) {
    retry_ = false;
    const Status done = run("all_or_nothing", [&]() -> Status {
      pg::Transaction tx(*db_, pg::Isolation::serializable);  // a savepoint when nested
      if (auto s = body(); !s.is_ok()) return s;               // tx rolls back everything body did
      tx.commit();
      return Status::ok();
    });
    if (!outermost || !retry_ || attempt == kSerializationRetries) return done;
  }
}

}  // namespace mentorlink::server
