// The conformance suite's harness for PostgresStore: a fresh schema in the test binary's own
// PostgreSQL (tests/support/postgres_instance.h).
#include <optional>

#include "server/store/postgresql/postgres_store.h"
#include "tests/conformance/store_harness.h"
#include "tests/support/postgres_instance.h"

namespace mentorlink::conformance {
namespace {

class PostgresHarness final : public StoreHarness {
 public:
  explicit PostgresHarness(const server::Quotas& quotas)
      : url_(test::PostgresInstance::shared().fresh_store_url()), quotas_(quotas) {
    open();
  }

  server::Store& store() override { return *store_; }
  void reopen() override {
    store_.reset();
    open();
  }

 private:
  void open() { store_.emplace(url_, nullptr, quotas_); }

  std::string url_;
  server::Quotas quotas_;
  std::optional<server::PostgresStore> store_;
};

}  // namespace

std::unique_ptr<StoreHarness> make_store_harness(const server::Quotas& quotas) {
  return std::make_unique<PostgresHarness>(quotas);
}

}  // namespace mentorlink::conformance
