#pragma once
// What most conformance tests start from, made through the store's own calls and nothing else:
// a programme run by Ada, with Maria (mentor) and Tom (mentee) enrolled and paired.

#include <catch2/catch.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "tests/conformance/store_harness.h"

namespace mentorlink::conformance {

using server::Refusal;
using server::Written;

struct World {
  explicit World(const server::Quotas& quotas = {});

  server::Store& store() { return harness->store(); }
  // A new member with an identity key filled with `fill`, enrolled as a participant.
  server::MemberRecord enrol(std::uint8_t fill, const std::string& name);
  server::PairRecord pair_of(const server::MemberRecord& mentor, const server::MemberRecord& mentee);

  std::unique_ptr<StoreHarness> harness;
  server::TimeMs now = 1'800'000'000'000;
  server::MemberRecord ada;
  server::ProgrammeRecord programme;
  server::MemberRecord maria;
  server::MemberRecord tom;
  server::PairRecord pair;
};

wire::IdentityKey identity_key(std::uint8_t fill);

// The value a write stored; fails the test if it was refused or failed.
template <class T>
T written(wire::Result<Written<T>> result) {
  REQUIRE(result.is_ok());
  REQUIRE(std::holds_alternative<T>(result.value()));
  return std::get<T>(std::move(result.value()));
}

// The refusal of a write; fails the test if it was stored or failed.
template <class T>
Refusal refused(wire::Result<Written<T>> result) {
  REQUIRE(result.is_ok());
  REQUIRE(std::holds_alternative<Refusal>(result.value()));
  return std::get<Refusal>(result.value());
}

}  // namespace mentorlink::conformance
