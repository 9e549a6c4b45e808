// Decoder: session messages (ratchet and prekey), fed to sessions in every state a device holds
// one in, and to X3DH acceptance. Property: an input that is rejected leaves the session and the
// device keys byte-identical (their to_json serialisations before and after); anything else aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "protocol/device/session.h"

namespace {
using namespace mentorlink;
using namespace mentorlink::device;

constexpr std::uint64_t kPair = 7;

struct Fixture {
  DeterministicRandom random{0x5A};
  IdentityKeyPair alice = IdentityKeyPair::from_seed(seed(0xA1));
  IdentityKeyPair bob = IdentityKeyPair::from_seed(seed(0xB0));
  DeviceKeys alice_keys = DeviceKeys::generate(alice, 0, random);
  DeviceKeys bob_keys = DeviceKeys::generate(bob, 0, random);
  std::optional<Session> waiting;    // initiator that has sent and heard nothing back (attack 21's victim)
  std::optional<Session> answered;   // responder that has received one message
  std::optional<Session> talking;    // initiator that has had a reply

  static std::array<std::uint8_t, 32> seed(std::uint8_t v) {
    std::array<std::uint8_t, 32> s{};
    s.fill(v);
    return s;
  }
  wire::PrekeyBundle bundle(bool one_time) {
    wire::PrekeyBundle b;
    b.identity_key = bob.public_key();
    b.identity_dh_key = bob_keys.identity_dh().public_key();
    b.identity_dh_signature = bob_keys.identity_dh_signature();
    b.signed_prekey = bob_keys.current_signed_prekey();
    if (one_time) b.one_time_prekey = bob_keys.add_one_time_prekeys(1, random).front();
    return b;
  }
  Fixture() {
    const std::uint8_t hello[] = {'h', 'i'};
    waiting = Session::initiate(alice, alice_keys, bundle(false), kPair, random).value();
    (void)waiting->encrypt(PayloadKind::chat, 1, hello).value();
    talking = Session::initiate(alice, alice_keys, bundle(true), kPair, random).value();
    auto first = talking->encrypt(PayloadKind::chat, 1, hello).value();
    answered = std::move(Session::accept(bob, bob_keys, kPair, first, random).value().session);
    auto reply = answered->encrypt(PayloadKind::chat, 1, hello).value();
    if (!talking->decrypt(reply, random).is_ok()) std::abort();
  }
};

// Decrypts on s; if that fails, s must be exactly as it was.
void must_not_change_on_failure(Session& s, std::span<const std::uint8_t> input, RandomSource& random) {
  const auto before = s.to_json();
  if (!s.decrypt(input, random).is_ok() && s.to_json() != before) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture f;
  const std::span<const std::uint8_t> input(data, size);
  (void)parse_message(input);
  (void)unpad(input);
  // Copies, so a (forged-but-valid) success in one run cannot steer the next.
  Session waiting = *f.waiting, answered = *f.answered, talking = *f.talking;
  must_not_change_on_failure(waiting, input, f.random);
  must_not_change_on_failure(answered, input, f.random);
  must_not_change_on_failure(talking, input, f.random);
  DeviceKeys keys = f.bob_keys;
  const auto keys_before = keys.to_json();
  if (!Session::accept(f.bob, keys, kPair, input, f.random).is_ok() && keys.to_json() != keys_before) std::abort();
  return 0;
}
