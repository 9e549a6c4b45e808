// The conformance suite's harness for SqliteStore: a real SQLite file in a fresh temporary folder.
#include <optional>

#include "server/store/sqlite/sqlite_store.h"
#include "tests/conformance/store_harness.h"
#include "tests/support/temp_dir.h"

namespace mentorlink::conformance {
namespace {

class SqliteHarness final : public StoreHarness {
 public:
  explicit SqliteHarness(const server::Quotas& quotas) : quotas_(quotas) { open(); }

  server::Store& store() override { return *store_; }
  void reopen() override {
    store_.reset();
    open();
  }

 private:
  void open() { store_.emplace(dir_.path().string(), nullptr, server::Durability::full, quotas_); }

  test::TempDir dir_;
  server::Quotas quotas_;
  std::optional<server::SqliteStore> store_;  // destroyed before dir_
};

}  // namespace

std::unique_ptr<StoreHarness> make_store_harness(const server::Quotas& quotas) {
  return std::make_unique<SqliteHarness>(quotas);
}

}  // namespace mentorlink::conformance
