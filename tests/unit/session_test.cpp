// X3DH + Double Ratchet sessions: a recorded session that locks the wire format, and the attack
// tests 2-8, 10, 21, 23, 30 and 31 of SECURITY.md at the library level.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <numeric>

#include "protocol/device/message_order.h"
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

constexpr std::uint64_t kPairId = 7;

struct Pair {
  SystemRandom& random = system_random();
  Party alice{0xA1, random};
  Party bob{0xB0, random};
  Session a = Session::initiate(alice.identity, alice.keys, bob.bundle(), kPairId, random).value();
  std::optional<Session> b;
  std::uint64_t a_counter = kFirstCounter;
  std::uint64_t b_counter = kFirstCounter;

  wire::Bytes a_to_b(std::string_view msg) { return a.encrypt(PayloadKind::chat, a_counter++, text(msg)).value(); }
  wire::Bytes b_to_a(std::string_view msg) { return b->encrypt(PayloadKind::chat, b_counter++, text(msg)).value(); }
  std::string at_b(const wire::Bytes& m) {
    if (!b) {
      auto accepted = Session::accept(bob.identity, bob.keys, kPairId, m, random);
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
  auto a = Session::initiate(alice.identity, alice.keys, bob.bundle(), kPairId, random_a).value();
  crypto_generichash_state transcript;
  crypto_generichash_init(&transcript, nullptr, 0, 32);
  auto record = [&](const wire::Bytes& m) { crypto_generichash_update(&transcript, m.data(), m.size()); };

  const auto m1 = a.encrypt(PayloadKind::chat, 1, text("Hello Bob, agenda attached.")).value();
  record(m1);
  auto accepted = Session::accept(bob.identity, bob.keys, kPairId, m1, random_b);
  REQUIRE(accepted.is_ok());
  auto b = std::move(accepted.value().session);
  const auto m2 = b.encrypt(PayloadKind::chat, 1, text("Thanks Alice, see you Tuesday.")).value();
  record(m2);
  REQUIRE(a.decrypt(m2, random_a).is_ok());
  const auto m3 = a.encrypt(PayloadKind::chat, 2, text("Great.")).value();
  record(m3);
  REQUIRE(str(b.decrypt(m3, random_b).value().payload) == "Great.");

  std::array<std::uint8_t, 32> digest{};
  crypto_generichash_final(&transcript, digest.data(), digest.size());
  CHECK(m1.size() == 1 + kPrekeyPartBytes + kHeaderBytes + 64 + 16);
  CHECK(m2.size() == 1 + kHeaderBytes + 64 + 16);
  // Computed independently by tests/vectors/ratchet_vectors.py from PROTOCOL.md §12-§13 alone.
  CHECK(wire::hex_encode(m1) ==
      "22bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce12205a5bd2e1d8b7ce4535f72278970d61456"
      "101753548010292a2c90b5e2ac0effaf502f678d30335869ff35a85eabd46e942e9d95cde30b0c38f2d7032931c27ad9"
      "b2886f3235dcd99461c5e3c1cd7b191f90643107a1d571b12eeaba0b04a35b9103100b4d4ee5b573c71e4f6c38f63205"
      "ee2e77d00aecf820a43a4f013419e1fd4600000001000000027f853e54bc761c378a47d40792101a9a6dd232aef42d7b"
      "e378e445976a57fd0400000000000000008d0899bddecedcfa087906f1c4c583f39ec6c6b5c8605927f8e7807d434532"
      "d7ba528bf333f0430765d93bc876bb81b533f5c0eba95f608e03990724991f6653ae2a912ab6897a9ac520be8f550cae"
      "d9");
  CHECK(wire::hex_encode(m2) ==
      "216ccba2125dab25896a3965bef7bc0dde59118f1df7db4ce92fa868c8ba6a674e0000000000000000a279a48b0cd613"
      "25149b23e708f5fcf96989edcb117b261b5e5263eb5e5a89152f9423ee45602a13ef9111737f7ea163fc9c1b8ff45057"
      "f9d21978af8c9fd0b6c792e593cb6339841a6e1c48bc2cd1b9");
  CHECK(wire::hex_encode(m3) ==
      "216dc6ce89dbed353fd3d99a582975b23ebfc9ddffa5d56667e20de648ba3f30740000000100000000342ea70716bf2d"
      "2f5c47486094b46ac46fa6ac2d501f16f5e2a5eb4e81d65c25724fd5044b62818c0f62a118b232270c970a078b8f20f7"
      "de002adb8dc7d2fa137c3d0dc1ee32f5804cbeeba225ecad1b");
  CHECK(wire::hex_encode(digest) == "e4c884742cbe83e865bf3c283b860001d06bc42c44ebade17d8a5a1130570bad");
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
  auto replay = Session::accept(p.bob.identity, p.bob.keys, kPairId, first, p.random);
  REQUIRE_FALSE(replay.is_ok());
  CHECK(replay.error() == SessionError::duplicated_message);
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
    CHECK_FALSE(Session::accept(p.bob.identity, keys_copy, kPairId, flipped, p.random).is_ok());
  }
  CHECK(p.at_b(m) == "first");
}

TEST_CASE("6: a prekey bundle with a bad signature aborts the session start", "[session][attack]") {
  Pair p;
  auto bundle = p.bob.bundle();
  SECTION("signed prekey swapped") { bundle.signed_prekey.key[0] ^= 1; }
  SECTION("identity DH key swapped") { bundle.identity_dh_key[5] ^= 1; }
  SECTION("signature by another identity") { bundle.identity_key = p.alice.identity.public_key(); }
  auto s = Session::initiate(p.alice.identity, p.alice.keys, bundle, kPairId, p.random);
  REQUIRE_FALSE(s.is_ok());
  CHECK(s.error() == SessionError::invalid_bundle);
}

TEST_CASE("a session starts without a one-time prekey when the supply is gone", "[session]") {
  SystemRandom& random = system_random();
  Party alice(0xA1, random), bob(0xB0, random);
  auto a = Session::initiate(alice.identity, alice.keys, bob.bundle(false), kPairId, random).value();
  const auto m = a.encrypt(PayloadKind::chat, 1, text("no otk")).value();
  auto accepted = Session::accept(bob.identity, bob.keys, kPairId, m, random);
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
  CHECK_FALSE(Session::accept(p.bob.identity, p.bob.keys, kPairId, captured[0], p.random).is_ok());
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
    auto doc = p.a.encrypt(PayloadKind::document_key, p.a_counter++, text("key")).value();
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
  const auto m = a2.encrypt(PayloadKind::chat, p.a_counter++, text("after reload")).value();
  CHECK(str(b2.decrypt(m, p.random).value().payload) == "after reload");
  auto keys2 = DeviceKeys::from_json(p.bob.keys.to_json());
  REQUIRE(keys2.has_value());
  CHECK(keys2->current_signed_prekey().key == p.bob.keys.current_signed_prekey().key);
}

namespace {

// A ratchet (or prekey) message whose header names ratchet_key, with a ciphertext of zeros.
wire::Bytes forged(const std::optional<PrekeyPart>& prekey, const wire::DhPublicKey& ratchet_key, std::uint32_t n) {
  auto m = encode_prefix(prekey, Header{ratchet_key, 0, n});
  m.resize(m.size() + 64 + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  return m;
}

}  // namespace

TEST_CASE("21: a header naming the partner's signed prekey before any reply is rejected and changes nothing",
          "[session][attack]") {
  Pair p;
  const auto first = p.a_to_b("first");  // the initiator has sent, the partner has not replied
  const auto before = p.a.to_json();
  const auto spk = p.bob.keys.current_signed_prekey().key;
  for (std::uint32_t n : {0U, 1U, 5U}) {
    auto r = p.a.decrypt(forged(std::nullopt, spk, n), p.random);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error() == SessionError::invalid_message);
    CHECK(p.a.to_json() == before);
  }
  // The session goes on as if nothing happened.
  CHECK(p.at_b(first) == "first");
  CHECK(p.at_a(p.b_to_a("reply")) == "reply");
}

TEST_CASE("21: a session that has no sending chain says so instead of reading an empty key", "[session][attack]") {
  auto& random = system_random();
  auto responder = Ratchet::responder(Key32{}, DhKeyPair::generate(random));
  const auto before = responder.to_json();
  auto sending = responder.next_sending();
  REQUIRE_FALSE(sending.is_ok());
  CHECK(sending.error() == SessionError::cannot_send_yet);
  CHECK(responder.to_json() == before);
  // A stored state with a receiving chain but no partner ratchet key is refused when read.
  auto broken = Ratchet::initiator(Key32{}, DhKeyPair::generate(random).public_key(), random).value().to_json();
  broken.erase("dh_remote");
  broken["receive_chain"] = broken["root"];
  CHECK_FALSE(Ratchet::from_json(broken).has_value());
}

TEST_CASE("23: every message carries the sender's counter inside the encryption", "[session][attack]") {
  Pair p;
  p.a_counter = 41;
  const auto m = p.a_to_b("counted");
  auto accepted = Session::accept(p.bob.identity, p.bob.keys, kPairId, m, p.random);
  REQUIRE(accepted.is_ok());
  CHECK(accepted.value().plaintext.counter == 41);
  CHECK_FALSE(p.a.encrypt(PayloadKind::chat, 0, text("no counter")).is_ok());
  CHECK_FALSE(p.a.encrypt(PayloadKind::chat, kMaxCounter + 1, text("too far")).is_ok());
  const auto padded = pad(PayloadKind::chat, 0x0102030405060708, text("x"));
  CHECK(wire::hex_encode(std::span(padded).first(11)) == "01010203040506070878" "80");
  CHECK(padded.size() == 64);
}

TEST_CASE("23: received counters show drops, late arrivals and replays, whatever the server's order",
          "[session][attack]") {
  ReceivedCounters got;
  CHECK(got.highest() == 0);
  CHECK(got.add(1));
  CHECK(got.add(3));  // 2 dropped (or late)
  CHECK(got.missing_between(1, 3) == 1);
  CHECK(got.add(5));
  CHECK(got.add(4));  // 4 arrived after 5: out of order
  CHECK_FALSE(got.add(4));  // a replay changes nothing
  CHECK_FALSE(got.add(0));
  CHECK(got.contains(4));
  CHECK_FALSE(got.contains(2));
  CHECK(got.highest() == 5);

  const std::vector<std::uint64_t> shown{1, 3, 5, 4};
  const auto notes = order_notes(shown, got);
  REQUIRE(notes.size() == 4);
  CHECK(notes[0].missing_before == 0);
  CHECK(notes[1].missing_before == 1);  // "1 message from Maria is missing here", above 3
  CHECK_FALSE(notes[1].out_of_order);
  CHECK(notes[2].missing_before == 0);  // 4 arrived, later
  CHECK(notes[3].out_of_order);

  CHECK(got.add(2));  // the late one fills the gap: nothing is missing any more
  CHECK(order_notes(shown, got)[1].missing_before == 0);

  // A counter near the limit costs nothing to count (attack 27's lesson, for counters).
  CHECK(got.add(kMaxCounter));
  CHECK(got.missing_between(5, kMaxCounter) == kMaxCounter - 6);
  auto back = ReceivedCounters::from_json(got.to_json());
  REQUIRE(back.has_value());
  CHECK(back->highest() == kMaxCounter);
  CHECK(back->contains(3));
  CHECK_FALSE(back->contains(6));
}

TEST_CASE("30: a session start without a one-time prekey cannot be replayed after its session is gone",
          "[session][attack]") {
  SystemRandom& random = system_random();
  Party alice(0xA1, random), bob(0xB0, random);
  auto a = Session::initiate(alice.identity, alice.keys, bob.bundle(false), kPairId, random).value();
  const auto first = a.encrypt(PayloadKind::chat, 1, text("no one-time prekey")).value();
  {
    auto accepted = Session::accept(bob.identity, bob.keys, kPairId, first, random);
    REQUIRE(accepted.is_ok());
  }  // Bob's session ages out of his store
  auto keys = DeviceKeys::from_json(bob.keys.to_json());  // and his keys were saved and read back
  REQUIRE(keys.has_value());
  const auto before = keys->to_json();
  auto replay = Session::accept(bob.identity, *keys, kPairId, first, random);
  REQUIRE_FALSE(replay.is_ok());
  CHECK(replay.error() == SessionError::duplicated_message);
  CHECK(keys->to_json() == before);

  // A second prekey message of the same start is refused the same way; a new start is not.
  const auto second = a.encrypt(PayloadKind::chat, 2, text("again")).value();
  CHECK(Session::accept(bob.identity, *keys, kPairId, second, random).error() == SessionError::duplicated_message);
  auto fresh = Session::initiate(alice.identity, alice.keys, bob.bundle(false), kPairId, random).value();
  CHECK(Session::accept(bob.identity, *keys, kPairId, fresh.encrypt(PayloadKind::chat, 3, text("new")).value(), random)
            .is_ok());
}

TEST_CASE("31: a session start moved to another pair of the same two members does not open", "[session][attack]") {
  Pair p;
  const auto m = p.a_to_b("for pair 7 only");
  DeviceKeys keys = p.bob.keys;
  const auto before = keys.to_json();
  auto moved = Session::accept(p.bob.identity, keys, kPairId + 1, m, p.random);
  REQUIRE_FALSE(moved.is_ok());
  CHECK(moved.error() == SessionError::bad_mac);
  CHECK(keys.to_json() == before);  // the one-time prekey is still there for the real pair
  CHECK(p.at_b(m) == "for pair 7 only");
  CHECK(p.b->pair() == kPairId);
}

TEST_CASE("version 1 messages and session state are refused cleanly", "[session]") {
  Pair p;
  auto m = p.a_to_b("v2");
  m[0] = 0x02;  // the v1 prekey message type
  DeviceKeys keys = p.bob.keys;
  auto r = Session::accept(p.bob.identity, keys, kPairId, m, p.random);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error() == SessionError::unrecognized_version);
  auto v1 = p.a.to_json();
  v1.erase("version");
  v1.erase("pair");
  CHECK_FALSE(Session::from_json(v1).has_value());
  v1["version"] = 1;
  v1["pair"] = kPairId;
  CHECK_FALSE(Session::from_json(v1).has_value());
  CHECK_FALSE(Session::from_json(boost::json::object{{"version", 2}}).has_value());
}

TEST_CASE("a kind this version does not know still decrypts, so the receiver can set it aside", "[session]") {
  Pair p;
  p.at_b(p.a_to_b("start"));
  const auto later = p.a.encrypt(static_cast<PayloadKind>(0x7F), p.a_counter++, text("from a later version")).value();
  auto r = p.b->decrypt(later, p.random);
  REQUIRE(r.is_ok());
  CHECK(static_cast<int>(r.value().kind) == 0x7F);
  CHECK(r.value().counter == 2);
  CHECK_FALSE(p.a.encrypt(static_cast<PayloadKind>(0), p.a_counter, text("kind zero")).is_ok());
}
