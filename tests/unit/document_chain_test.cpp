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

  // The agenda of meeting 3 in pair 5 (document 9), read on the mentor's device.
  static constexpr wire::DocumentIdentity kAgenda{5, 9, wire::DocumentKind::agenda, 3, 0};

  device::ChainExpectation expect() const {
    device::ChainExpectation e;
    e.identity = kAgenda;
    e.me = mentor.public_key();
    e.partner_keys = {mentee.public_key()};
    return e;
  }

  device::FetchedVersion make(const device::IdentityKeyPair& author, std::uint32_t version, const wire::Hash& previous,
                              wire::DocumentIdentity identity = kAgenda) {
    auto v = device::seal_version(author, key, {identity, version, previous},
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
  const auto elsewhere = c.make(c.mentee, 1, {}, {5, 10, wire::DocumentKind::agenda, 3, 0});
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

TEST_CASE("24: a version of another pair, kind, meeting or owner is misplaced", "[documents][chain][attack]") {
  Chain c;
  const std::vector<wire::DocumentIdentity> others{
      {6, 9, wire::DocumentKind::agenda, 3, 0},       // another pair
      {5, 9, wire::DocumentKind::agenda, 4, 0},       // another meeting's agenda
      {5, 9, wire::DocumentKind::feedback, 3, 1},     // the meeting's feedback
      {5, 9, wire::DocumentKind::goals, 0, 0},        // the goals
  };
  for (const auto& other : others) {
    INFO("kind " << static_cast<int>(other.kind) << " meeting " << other.meeting);
    CHECK(c.check(std::nullopt, 1, {c.make(c.mentee, 1, {}, other)}).error == ChainError::misplaced);
  }
  // A signature over the same bytes but another identity does not verify: the identity is signed.
  auto v = c.make(c.mentee, 1, {});
  v.signature = c.mentee.sign(wire::document_signature_message({5, 9, wire::DocumentKind::agenda, 4, 0}, 1,
                                                               wire::document_version_hash(v.body)));
  CHECK(c.check(std::nullopt, 1, {v}).error == ChainError::bad_signature);
}

TEST_CASE("24: a member's own document signed by the other member is refused", "[documents][chain][attack]") {
  Chain c;
  const wire::DocumentIdentity reflection{5, 9, wire::DocumentKind::reflection, 0, 1};
  auto expect = c.expect();
  expect.identity = reflection;
  expect.writer = device::Writer::me;
  const std::vector<device::FetchedVersion> by_partner{c.make(c.mentee, 1, {}, reflection)};
  CHECK(device::verify_chain(expect, std::nullopt, 1, by_partner).error == ChainError::not_owner);
  const std::vector<device::FetchedVersion> by_me{c.make(c.mentor, 1, {}, reflection)};
  CHECK_FALSE(device::verify_chain(expect, std::nullopt, 1, by_me).error);
  expect.writer = device::Writer::partner;  // the partner's feedback, say
  CHECK(device::verify_chain(expect, std::nullopt, 1, by_me).error == ChainError::not_owner);
}

TEST_CASE("34: a reader with no known head notices a history shorter than the server says", "[documents][chain][attack]") {
  auto c = three();
  auto expect = c.expect();
  expect.claimed_latest = 3;
  const std::vector<device::FetchedVersion> first_two{c.versions[0], c.versions[1]};
  const auto cut = device::verify_chain(expect, std::nullopt, 1, first_two);
  CHECK(cut.error == ChainError::truncated);
  CHECK(cut.error_version == 3);
  CHECK(device::verify_chain(expect, std::nullopt, 1, {}).error == ChainError::truncated);
  CHECK_FALSE(device::verify_chain(expect, std::nullopt, 1, c.versions).error);
}

TEST_CASE("34: versions signed with a partner key accepted before the current one still verify, in order",
          "[documents][chain][attack]") {
  Chain c;
  const auto old_key = device::IdentityKeyPair::generate();
  c.add(old_key);   // written with the partner's first key; c.mentee is the key it changed to, accepted
  c.add(c.mentee);
  auto expect = c.expect();
  CHECK(device::verify_chain(expect, std::nullopt, 1, c.versions).error == ChainError::foreign_author);
  expect.partner_keys = {old_key.public_key(), c.mentee.public_key()};
  const auto both = device::verify_chain(expect, std::nullopt, 1, c.versions);
  REQUIRE_FALSE(both.error);
  CHECK(both.head->partner_key == 1);
  // The old key may not sign after the new one has: not in this answer, nor after a known head.
  const auto late_old = c.make(old_key, 3, c.hashes[1]);
  auto with_late = c.versions;
  with_late.push_back(late_old);
  CHECK(device::verify_chain(expect, std::nullopt, 1, with_late).error == ChainError::replaced_author);
  const std::vector<device::FetchedVersion> after_head{c.versions[1], late_old};
  CHECK(device::verify_chain(expect, both.head, 2, after_head).error == ChainError::replaced_author);
  // A changed key the member has not accepted is named as such.
  auto pending = c.expect();
  pending.partner_keys = {old_key.public_key()};
  pending.unaccepted_partner_key = c.mentee.public_key();
  CHECK(device::verify_chain(pending, std::nullopt, 1, c.versions).error == ChainError::unaccepted_author);
}

TEST_CASE("a version written by a protocol version 1 client is named as such", "[documents][chain]") {
  auto c = three();
  auto v1 = c.versions[0];
  v1.body[0] = wire::kDocumentVersionFormatV1;
  CHECK(c.check(std::nullopt, 1, {v1}).error == ChainError::written_by_v1);
}
