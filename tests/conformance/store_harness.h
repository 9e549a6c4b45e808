#pragma once
// The store conformance suite runs against any Store implementation. Each implementation links
// the suite's files unchanged with one file of its own that defines make_store_harness
// (sqlite_store_harness.cpp for SqliteStore).

#include <memory>

#include "server/store/quotas.h"
#include "server/store/store.h"

namespace mentorlink::conformance {

class StoreHarness {
 public:
  virtual ~StoreHarness() = default;
  virtual server::Store& store() = 0;
  // Closes the store and opens the same data again: what it acknowledged must still be there.
  virtual void reopen() = 0;
};

// A new, empty store of the implementation under test, enforcing these quotas.
std::unique_ptr<StoreHarness> make_store_harness(const server::Quotas& quotas);

}  // namespace mentorlink::conformance
