// The client's check of a document's history (SECURITY.md 11): rollback, fork, truncation,
// dropped and reordered versions, versions moved from elsewhere, forged and foreign signatures.
#include <catch2/catch.hpp>

#include "protocol/device/document_chain.h"
#include "protocol/device/document_cipher.h"

using namespace mentorlink;
using device::ChainError;

namespace {

struct Chain {
  device::IdentityKeyPair mentor = device::IdentityKeyPair::generate();
  device::IdentityKeyPair mentee = device::IdentityKeyPair::generate();
  device::DocumentKey key = device::new_document_key(device::system_random());
  std::vector<device::FetchedVersion> versions;
  std::vector<wire::Hash> hashes;

  device::ChainExpectation expect() const {
    return {5, 9, wire::DocumentKind::agenda, {mentor.public_key(), mentee.public_key()}};
  }

  device::FetchedVersion make(const device::IdentityKeyPair& author, std::uint32_t version, const wire::Hash& previous,
                              std::uint64_t document = 9) {
    auto v = device::seal_version(author, key, {5, document, wire::DocumentKind::agenda, version, previous},
                                  wire::to_bytes("version " + std::to_string(version)), device::system_random());
    return {version, v->body, v->signature};
  }

  // Appends a version that follows the chain.
  void add(const device::IdentityKeyPair& author) {
    const auto version = static_cast<std::uint32_t>(versions.size() + 1);
    versions.push_back(make(author, version, hashes.empty() ? wire::Hash{} : hashes.back()));
    hashes.push_back(wire::document_version_hash(versions.back().body));
  }

  device::ChainCheck check(const std::optional<device::ChainHead>& known, std::uint32_t from,
                           const std::vector<device::FetchedVersion>& shown) const {
    return device::verify_chain(expect(), known, from, shown);
  }
};

Chain three() {
  Chain c;
  c.add(c.mentee);
  c.add(c.mentor);
  c.add(c.mentee);
  return c;
}

}  // namespace

TEST_CASE("an honest history verifies from the start and from a known head", "[documents][chain]") {
  auto c = three();
  auto all = c.check(std::nullopt, 1, c.versions);
  REQUIRE_FALSE(all.error);
  REQUIRE(all.head);
  CHECK(all.head->version == 3);
  CHECK(all.head->hash == c.hashes[2]);
  const device::ChainHead known{2, c.hashes[1]};
  auto later = c.check(known, 2, {c.versions[1], c.versions[2]});
  REQUIRE_FALSE(later.error);
  CHECK(later.head->version == 3);
  auto unchanged = c.check(known, 2, {c.versions[1]});
  REQUIRE_FALSE(unchanged.error);
  CHECK(unchanged.head->version == 2);
  CHECK_FALSE(c.check(std::nullopt, 1, {}).error);  // nothing written yet
}

TEST_CASE("rollback: the server no longer shows what the device saw", "[documents][chain]") {
  auto c = three();
  const device::ChainHead known{3, c.hashes[2]};
  CHECK(c.check(known, 3, {}).error == ChainError::rolled_back);
}

TEST_CASE("fork: another version sits where the device saw one", "[documents][chain]") {
  auto c = three();
  const device::ChainHead known{2, c.hashes[1]};
  const auto other_2 = c.make(c.mentee, 2, c.hashes[0]);  // validly signed, but not the version 2 we saw
  CHECK(c.check(known, 2, {other_2}).error == ChainError::forked);
  // A version 3 that does not build on version 2.
  const auto loose_3 = c.make(c.mentee, 3, c.hashes[0]);
  CHECK(c.check(std::nullopt, 1, {c.versions[0], c.versions[1], loose_3}).error == ChainError::forked);
  // Version 1 must start from nothing.
  const auto late_1 = c.make(c.mentee, 1, c.hashes[2]);
  CHECK(c.check(std::nullopt, 1, {late_1}).error == ChainError::forked);
}

TEST_CASE("dropped and reordered versions", "[documents][chain]") {
  auto c = three();
  CHECK(c.check(std::nullopt, 1, {c.versions[0], c.versions[2]}).error == ChainError::dropped);
  CHECK(c.check(std::nullopt, 1, {c.versions[1], c.versions[2]}).error == ChainError::dropped);
  auto reordered = c.check(std::nullopt, 1, {c.versions[0], c.versions[2], c.versions[1]});
  CHECK(reordered.error == ChainError::reordered);
  CHECK(reordered.versions.size() == 1);  // nothing past the problem counts
}

TEST_CASE("a version from another document, or relabelled, is misplaced", "[documents][chain]") {
  auto c = three();
  const auto elsewhere = c.make(c.mentee, 1, {}, 10);
  CHECK(c.check(std::nullopt, 1, {elsewhere}).error == ChainError::misplaced);
  auto relabelled = c.versions[1];
  relabelled.version = 1;
  CHECK(c.check(std::nullopt, 1, {relabelled}).error == ChainError::misplaced);
}

TEST_CASE("signatures: forged, swapped, or by someone outside the pair", "[documents][chain]") {
  auto c = three();
  auto swapped = c.versions;
  swapped[0].signature = swapped[1].signature;
  CHECK(c.check(std::nullopt, 1, swapped).error == ChainError::bad_signature);
  auto bent = c.versions;
  bent[2].body.back() ^= 1;  // the signature covers the ciphertext too
  CHECK(c.check(std::nullopt, 1, bent).error == ChainError::bad_signature);
  const auto stranger = device::IdentityKeyPair::generate();
  const auto foreign = c.make(stranger, 1, {});
  CHECK(c.check(std::nullopt, 1, {foreign}).error == ChainError::foreign_author);
  auto garbage = c.versions[0];
  garbage.body.resize(20);
  CHECK(c.check(std::nullopt, 1, {garbage}).error == ChainError::malformed);
}
