// Known-answer tests for the ratchet's KDFs, X3DH's key derivation and the safety number.
// Expected values were computed independently by tests/vectors/ratchet_vectors.py (Python
// hmac/hashlib) and are printed in protocol/PROTOCOL.md.
#include <catch2/catch.hpp>
#include <numeric>

#include "protocol/device/ratchet.h"
#include "protocol/device/safety_number.h"
#include "protocol/device/session.h"
#include "protocol/wire/base64url.h"

using namespace mentorlink;
using namespace mentorlink::device;

namespace {
std::array<std::uint8_t, 32> counting_from(std::uint8_t start) {
  std::array<std::uint8_t, 32> a{};
  std::iota(a.begin(), a.end(), start);
  return a;
}
}  // namespace

TEST_CASE("KDF_RK matches the vector", "[ratchet][kat]") {
  const auto step = kdf_rk(Key32(counting_from(0x00)), counting_from(0x20));
  CHECK(wire::hex_encode(step.root_key.bytes) == "d88b58cbaec3c7be083e4e841435f8e728b56414aa643f1cef97c77556881b98");
  CHECK(wire::hex_encode(step.chain_key.bytes) == "392c99235a03e8a684a533461f566a6e054775c7cd5b58e5a098ed63240fae4d");
}

TEST_CASE("KDF_CK matches the vector", "[ratchet][kat]") {
  const auto step = kdf_ck(Key32(counting_from(0x40)));
  CHECK(wire::hex_encode(step.message_key.bytes) ==
        "01156abd78ef59f755f1e6945e5d1e2d7ddd1f1e5fe0a164b2f5fa8ad500bfba");
  CHECK(wire::hex_encode(step.next_chain_key.bytes) ==
        "f0bdefbbad3cf097dccb03f2c87159f7608e2480543eef7741c8f2e7f226e78f");
}

TEST_CASE("message keys match the vector", "[ratchet][kat]") {
  const auto keys = message_keys(Key32(counting_from(0x60)));
  CHECK(wire::hex_encode(keys.key) == "3d4cdbb4cda1610635e69290563ed235b414f367783baf9ac79ea3840f9618ab");
  CHECK(wire::hex_encode(keys.nonce) == "df965d76c99dd900201eb95d1e76a9e73501aa59263c1b92");
}

TEST_CASE("X3DH shared key matches the vector with and without a one-time prekey", "[x3dh][kat]") {
  std::vector<SharedSecret> dh;
  for (std::uint8_t i = 1; i <= 4; ++i) {
    SharedSecret s{};
    s.fill(i);
    dh.push_back(s);
  }
  CHECK(wire::hex_encode(x3dh_shared_key(dh).bytes) ==
        "dabadfa1db44f76df09c8160ce962fffb6adec2d691e121632232296a6188045");
  CHECK(wire::hex_encode(x3dh_shared_key(std::span(dh).first(3)).bytes) ==
        "217b00f96e3d8a186029c04e665cc6a7a23595d9ab2899eba9a5b7f6004db325");
}

TEST_CASE("safety number matches the vector and is the same from both sides", "[safety][kat]") {
  wire::IdentityKey a{}, b{};
  a.fill(0xAA);
  b.fill(0xBB);
  CHECK(safety_number(a, b) == "136183033158514518987980306489975475809545434567341138578562");
  CHECK(safety_number(b, a) == safety_number(a, b));
  CHECK(format_safety_number(safety_number(a, b)) ==
        "13618 30331 58514 51898\n79803 06489 97547 58095\n45434 56734 11385 78562");
  wire::IdentityKey c = b;
  c[0] ^= 1;
  CHECK(safety_number(a, c) != safety_number(a, b));
}

TEST_CASE("padding hides lengths inside buckets", "[padding]") {
  CHECK(padded_size(1) == 64);
  CHECK(padded_size(63) == 64);
  CHECK(padded_size(64) == 128);
  CHECK(padded_size(1000) == 1024);
  const wire::Bytes text(100, 'x');
  const auto padded = pad(PayloadKind::chat, text);
  CHECK(padded.size() == 128);
  auto back = unpad(padded);
  REQUIRE(back.is_ok());
  CHECK(back.value().kind == PayloadKind::chat);
  CHECK(back.value().payload == text);
}
