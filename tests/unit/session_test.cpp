// X3DH + Double Ratchet sessions: a recorded session that locks the wire format, and the attack
// tests 2-8 and 10 of SECURITY.md at the library level.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <numeric>

#include "protocol/device/session.h"
#include "protocol/wire/base64url.h"

using namespace mentorlink;
using namespace mentorlink::device;

namespace {

std::span<const std::uint8_t> text(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }
std::string str(const wire::Bytes& b) { return std::string(b.begin(), b.end()); }

struct Party {
  IdentityKeyPair identity;
  DeviceKeys keys;
  std::vector<wire::OneTimePrekey> published;

  Party(std::uint8_t seed_byte, RandomSource& random)
      : identity(IdentityKeyPair::from_seed(seed(seed_byte))), keys(DeviceKeys::generate(identity, 0, random)) {
    published = keys.add_one_time_prekeys(3, random);
  }
  static std::array<std::uint8_t, 32> seed(std::uint8_t b) {
    std::array<std::uint8_t, 32> s{};
    s.fill(b);
    return s;
  }
  wire::PrekeyBundle bundle(bool with_one_time = true) const {
    wire::PrekeyBundle b;
    b.identity_key = identity.public_key();
    b.identity_dh_key = keys.identity_dh().public_key();
    b.identity_dh_signature = keys.identity_dh_signature();
    b.signed_prekey = keys.current_signed_prekey();
    if (with_one_time) b.one_time_prekey = published.front();
    return b;
  }
};

struct Pair {
  SystemRandom& random = system_random();
  Party alice{0xA1, random};
  Party bob{0xB0, random};
  Session a = Session::initiate(alice.identity, alice.keys, bob.bundle(), random).value();
  std::optional<Session> b;

  wire::Bytes a_to_b(std::string_view msg) { return a.encrypt(PayloadKind::chat, text(msg)).value(); }
  wire::Bytes b_to_a(std::string_view msg) { return b->encrypt(PayloadKind::chat, text(msg)).value(); }
  std::string at_b(const wire::Bytes& m) {
    if (!b) {
      auto accepted = Session::accept(bob.identity, bob.keys, m, random);
      REQUIRE(accepted.is_ok());
      b = std::move(accepted.value().session);
      return str(accepted.value().plaintext.payload);
    }
    auto p = b->decrypt(m, random);
    REQUIRE(p.is_ok());
    return str(p.value().payload);
  }
  std::string at_a(const wire::Bytes& m) {
    auto p = a.decrypt(m, random);
    REQUIRE(p.is_ok());
    return str(p.value().payload);
  }
};

}  // namespace

TEST_CASE("a recorded session: fixed keys and randomness give exactly these bytes", "[session][kat]") {
  DeterministicRandom random_a(0x0A), random_b(0x0B);
  Party alice(0xA1, random_a);
  Party bob(0xB0, random_b);
  auto a = Session::initiate(alice.identity, alice.keys, bob.bundle(), random_a).value();
  crypto_generichash_state transcript;
  crypto_generichash_init(&transcript, nullptr, 0, 32);
  auto record = [&](const wire::Bytes& m) { crypto_generichash_update(&transcript, m.data(), m.size()); };

  const auto m1 = a.encrypt(PayloadKind::chat, text("Hello Bob, agenda attached.")).value();
  record(m1);
  auto accepted = Session::accept(bob.identity, bob.keys, m1, random_b);
  REQUIRE(accepted.is_ok());
  auto b = std::move(accepted.value().session);
  const auto m2 = b.encrypt(PayloadKind::chat, text("Thanks Alice, see you Tuesday.")).value();
  record(m2);
  REQUIRE(a.decrypt(m2, random_a).is_ok());
  const auto m3 = a.encrypt(PayloadKind::chat, text("Great.")).value();
  record(m3);
  REQUIRE(str(b.decrypt(m3, random_b).value().payload) == "Great.");

  std::array<std::uint8_t, 32> digest{};
  crypto_generichash_final(&transcript, digest.data(), digest.size());
  CHECK(m1.size() == 1 + kPrekeyPartBytes + kHeaderBytes + 64 + 16);
  CHECK(m2.size() == 1 + kHeaderBytes + 64 + 16);
  CHECK(wire::hex_encode(std::span(m1).first(48)) == "02bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce12205a5bd2e1d8b7ce4535f72278970d61456");
  CHECK(wire::hex_encode(digest) == "e86f911f4abb17c1ff49a0bf6ff5dc3583c065c118d1a1c03ba09b43b0c089c7");
}

TEST_CASE("messages flow both ways, out of order, across many ratchet steps", "[session]") {
  Pair p;
  CHECK(p.at_b(p.a_to_b("one")) == "one");
  const auto r1 = p.b_to_a("r1");
  const auto r2 = p.b_to_a("r2");
  const auto r3 = p.b_to_a("r3");
  CHECK(p.at_a(r3) == "r3");
  CHECK(p.at_a(r1) == "r1");
  for (int round = 0; round < 20; ++round) {
    CHECK(p.at_b(p.a_to_b("a" + std::to_string(round))) == "a" + std::to_string(round));
    CHECK(p.at_a(p.b_to_a("b" + std::to_string(round))) == "b" + std::to_string(round));
  }
  CHECK(p.at_a(r2) == "r2");  // a skipped key from many steps ago still works
}

TEST_CASE("2: a header claiming a message beyond MAX_SKIP is rejected and changes nothing", "[session][attack]") {
  Pair p;
  p.at_b(p.a_to_b("start"));
  const auto next = p.a_to_b("next");
  wire::Bytes far;
  for (std::uint32_t i = 0; i <= kMaxSkip + 1; ++i) far = p.a_to_b("filler");
  auto r = p.b->decrypt(far, p.random);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error() == SessionError::too_many_skipped);
  CHECK(p.b->skipped_keys() == 0);
  CHECK(p.at_b(next) == "next");
}

TEST_CASE("3: a flood of out-of-order messages keeps the skipped-key store under its cap", "[session][attack]") {
  Pair p;
  p.at_b(p.a_to_b("start"));
  std::vector<wire::Bytes> sent;
  for (int i = 0; i < 2600; ++i) sent.push_back(p.a_to_b("m" + std::to_string(i)));
  for (std::size_t i : {999U, 1998U, 2599U}) {
    CHECK(p.at_b(sent[i]) == "m" + std::to_string(i));
    CHECK(p.b->skipped_keys() <= kMaxStoredSkipped);
  }
  CHECK(p.b->skipped_keys() == kMaxStoredSkipped);
  // The oldest skipped keys were dropped; recent ones still decrypt.
  CHECK(p.at_b(sent[2500]) == "m2500");
  CHECK_FALSE(p.b->decrypt(sent[3], p.random).is_ok());
}

TEST_CASE("4: the same ciphertext delivered twice is rejected the second time", "[session][attack]") {
  Pair p;
  const auto first = p.a_to_b("once");
  p.at_b(first);
  const auto second = p.a_to_b("twice?");
  p.at_b(second);
  for (const auto* m : {&first, &second}) {
    auto again = p.b->decrypt(*m, p.random);
    REQUIRE_FALSE(again.is_ok());
    CHECK(again.error() == SessionError::duplicated_message);
  }
  // Replaying the very first (prekey) message as a new session fails: its one-time prekey is gone.
  auto replay = Session::accept(p.bob.identity, p.bob.keys, first, p.random);
  REQUIRE_FALSE(replay.is_ok());
  CHECK(replay.error() == SessionError::unknown_prekey);
}

TEST_CASE("5: one flipped bit anywhere in a message is rejected", "[session][attack]") {
  Pair p;
  p.at_b(p.a_to_b("start"));
  p.at_a(p.b_to_a("reply"));
  const auto m = p.a_to_b("the real text");
  for (std::size_t bit = 0; bit < m.size() * 8; bit += 7) {
    auto flipped = m;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    CHECK_FALSE(p.b->decrypt(flipped, p.random).is_ok());
  }
  CHECK(p.at_b(m) == "the real text");  // and the session is unharmed
}

TEST_CASE("5: a flipped bit in a prekey message, including its prekey part, is rejected", "[session][attack]") {
  Pair p;
  const auto m = p.a_to_b("first");
  for (std::size_t byte = 0; byte < m.size(); byte += 3) {
    auto flipped = m;
    flipped[byte] ^= 0x10;
    DeviceKeys keys_copy = p.bob.keys;
    CHECK_FALSE(Session::accept(p.bob.identity, keys_copy, flipped, p.random).is_ok());
  }
  CHECK(p.at_b(m) == "first");
}

TEST_CASE("6: a prekey bundle with a bad signature aborts the session start", "[session][attack]") {
  Pair p;
  auto bundle = p.bob.bundle();
  SECTION("signed prekey swapped") { bundle.signed_prekey.key[0] ^= 1; }
  SECTION("identity DH key swapped") { bundle.identity_dh_key[5] ^= 1; }
  SECTION("signature by another identity") { bundle.identity_key = p.alice.identity.public_key(); }
  auto s = Session::initiate(p.alice.identity, p.alice.keys, bundle, p.random);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.error() == SessionError::invalid_bundle);
}

TEST_CASE("a session starts without a one-time prekey when the supply is gone", "[session]") {
  SystemRandom& random = system_random();
  Party alice(0xA1, random), bob(0xB0, random);
  auto a = Session::initiate(alice.identity, alice.keys, bob.bundle(false), random).value();
  const auto m = a.encrypt(PayloadKind::chat, text("no otk")).value();
  auto accepted = Session::accept(bob.identity, bob.keys, m, random);
  REQUIRE(accepted.is_ok());
  CHECK(str(accepted.value().plaintext.payload) == "no otk");
  CHECK(bob.keys.one_time_count() == 3);
}

TEST_CASE("8: forward secrecy: today's state cannot read yesterday's messages", "[session][attack]") {
  Pair p;
  std::vector<wire::Bytes> captured;
  captured.push_back(p.a_to_b("secret 1"));
  p.at_b(captured.back());
  captured.push_back(p.b_to_a("secret 2"));
  p.at_a(captured.back());
  for (int i = 0; i < 3; ++i) {
    p.at_b(p.a_to_b("later"));
    p.at_a(p.b_to_a("later"));
  }
  // An attacker who now steals both devices' complete session state:
  auto stolen_a = Session::from_json(p.a.to_json()).value();
  auto stolen_b = Session::from_json(p.b->to_json()).value();
  CHECK_FALSE(stolen_b.decrypt(captured[0], p.random).is_ok());
  CHECK_FALSE(stolen_a.decrypt(captured[1], p.random).is_ok());
  // The one-time prekey the first message used is gone from Bob's keys too.
  CHECK_FALSE(Session::accept(p.bob.identity, p.bob.keys, captured[0], p.random).is_ok());
}

TEST_CASE("10: a message cannot be moved to another session or relabelled", "[session][attack]") {
  Pair p;
  p.at_b(p.a_to_b("start"));
  p.at_a(p.b_to_a("reply"));
  const auto m = p.a_to_b("for bob only");

  SECTION("relabelled as a prekey message") {
    auto relabelled = m;
    relabelled[0] = kPrekeyMessageType;
    CHECK_FALSE(p.b->decrypt(relabelled, p.random).is_ok());
  }
  SECTION("delivered into another pair's session") {
    Pair other;
    other.at_b(other.a_to_b("x"));
    CHECK_FALSE(other.b->decrypt(m, other.random).is_ok());
  }
  SECTION("an unknown version byte") {
    auto v = m;
    v[0] = 0x7F;
    auto r = p.b->decrypt(v, p.random);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error() == SessionError::unrecognized_version);
  }
  SECTION("a document key arrives as a document key, not as chat") {
    auto doc = p.a.encrypt(PayloadKind::document_key, text("key")).value();
    auto r = p.b->decrypt(doc, p.random);
    REQUIRE(r.is_ok());
    CHECK(r.value().kind == PayloadKind::document_key);
  }
}

TEST_CASE("session state survives serialisation", "[session]") {
  Pair p;
  p.at_b(p.a_to_b("one"));
  auto a2 = Session::from_json(p.a.to_json()).value();
  auto b2 = Session::from_json(p.b->to_json()).value();
  const auto m = a2.encrypt(PayloadKind::chat, text("after reload")).value();
  CHECK(str(b2.decrypt(m, p.random).value().payload) == "after reload");
  auto keys2 = DeviceKeys::from_json(p.bob.keys.to_json());
  REQUIRE(keys2.has_value());
  CHECK(keys2->current_signed_prekey().key == p.bob.keys.current_signed_prekey().key);
}
