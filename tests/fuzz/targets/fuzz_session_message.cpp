// Decoder: session messages (ratchet and prekey), fed to a live session and to X3DH acceptance.
// Property: nothing that fails changes the session (a real message still decrypts afterwards).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "protocol/device/session.h"

namespace {
using namespace mentorlink;
using namespace mentorlink::device;

struct Fixture {
  DeterministicRandom random{0x5A};
  IdentityKeyPair alice = IdentityKeyPair::from_seed(seed(0xA1));
  IdentityKeyPair bob = IdentityKeyPair::from_seed(seed(0xB0));
  DeviceKeys alice_keys = DeviceKeys::generate(alice, 0, random);
  DeviceKeys bob_keys = DeviceKeys::generate(bob, 0, random);
  std::optional<Session> a, b;

  static std::array<std::uint8_t, 32> seed(std::uint8_t v) {
    std::array<std::uint8_t, 32> s{};
    s.fill(v);
    return s;
  }
  Fixture() {
    const auto otk = bob_keys.add_one_time_prekeys(1, random).front();
    wire::PrekeyBundle bundle;
    bundle.identity_key = bob.public_key();
    bundle.identity_dh_key = bob_keys.identity_dh().public_key();
    bundle.identity_dh_signature = bob_keys.identity_dh_signature();
    bundle.signed_prekey = bob_keys.current_signed_prekey();
    bundle.one_time_prekey = otk;
    a = Session::initiate(alice, alice_keys, bundle, random).value();
    const std::uint8_t hello[] = {'h', 'i'};
    auto first = a->encrypt(PayloadKind::chat, hello).value();
    b = std::move(Session::accept(bob, bob_keys, first, random).value().session);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture f;
  const std::span<const std::uint8_t> input(data, size);
  (void)parse_message(input);
  (void)unpad(input);
  auto before = f.b->to_json();
  if (f.b->decrypt(input, f.random).is_ok()) return 0;  // only a forged-but-valid input could get here
  DeviceKeys keys = f.bob_keys;
  (void)Session::accept(f.bob, keys, input, f.random);
  if (f.b->to_json() != before) std::abort();  // a failed decryption must not change the session
  return 0;
}
