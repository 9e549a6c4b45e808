// A pair's contract (server/core/contracts.h): its state from the signatures on its latest
// version, and what may be signed, over a real store.
#include <catch2/catch.hpp>

#include "server/core/contracts.h"
#include "server/core/pairs.h"
#include "server/core/programmes.h"
#include "server/core/refusals.h"
#include "tests/support/store_fixture.h"

using namespace mentorlink;
using namespace mentorlink::server;
using Fixture = mentorlink::test::StoreFixture;
using wire::ErrorCode;

TEST_CASE("contracts: none, draft, signed by one, signed by both; a new version needs new signatures", "[contracts]") {
  Fixture f;
  const auto [ada, programme, maria, tom, pair] = f.programme_with_pair();

  DocumentRecord identity;
  identity.pair = pair.id;
  identity.kind = wire::DocumentKind::contract;
  identity.created_by = tom.id;
  const auto doc = accepted(f.store.open_document(identity, f.clock.now_ms(), 100)).value();
  auto version = [&](std::int64_t n, std::uint8_t fill) {
    VersionRecord v;
    v.document = doc.id;
    v.version = n;
    v.author = tom.id;
    v.body = wire::Bytes(200, fill);
    v.hash.fill(fill);
    v.created_at = f.clock.now_ms();
    return v;
  };
  CHECK(contract_status(f.store, pair.id).value().state == ContractState::none);
  CHECK(contract_status(f.store, pair.id).value().document == doc.id);
  REQUIRE(accepted(f.store.append_version(version(1, 1), wire::Hash{})).is_ok());
  CHECK(contract_status(f.store, pair.id).value().state == ContractState::draft);
  REQUIRE(accepted(f.store.append_version(version(2, 2), version(1, 1).hash)).is_ok());

  wire::Signature sig{};
  const auto stale = sign_contract(f.store, doc, 1, tom.id, sig, f.clock.now_ms());
  CHECK(stale.status().code() == ErrorCode::conflict);
  CHECK(stale.status().message() == "the contract changed: version 2 is the newest; read it before signing");
  const auto one = sign_contract(f.store, doc, 2, tom.id, sig, f.clock.now_ms()).value();
  CHECK(one.state == ContractState::signed_by_one);
  CHECK(one.signature_added);
  const auto again = sign_contract(f.store, doc, 2, tom.id, sig, f.clock.now_ms()).value();
  CHECK(again.state == ContractState::signed_by_one);
  CHECK_FALSE(again.signature_added);
  f.clock.advance_ms(5);
  const auto both = sign_contract(f.store, doc, 2, maria.id, sig, f.clock.now_ms()).value();
  CHECK(both.state == ContractState::signed_by_both);
  CHECK(both.signed_at == f.clock.now_ms());
  CHECK(both.version_hash == version(2, 2).hash);
  CHECK(to_string(both.state) == "signed");
  REQUIRE(accepted(f.store.append_version(version(3, 3), version(2, 2).hash)).is_ok());
  CHECK(contract_status(f.store, pair.id).value().state == ContractState::draft);

  identity.kind = wire::DocumentKind::goals;
  const auto goals = accepted(f.store.open_document(identity, f.clock.now_ms(), 100)).value();
  const auto not_a_contract = sign_contract(f.store, goals, 0, tom.id, sig, f.clock.now_ms());
  CHECK(not_a_contract.status().code() == ErrorCode::invalid_field);
  CHECK(not_a_contract.status().message() == "only a contract can be signed");
}
