// Known-answer tests for the ratchet's KDFs, X3DH's key derivation, the padded plaintext and the
// safety number and key fingerprint (protocol version 2).
// Expected values were computed independently by tests/vectors/ratchet_vectors.py (Python
// hmac/hashlib) and are printed in protocol/PROTOCOL.md.
#include <catch2/catch.hpp>
#include <numeric>

#include "protocol/device/ratchet.h"
#include "protocol/device/safety_number.h"
#include "protocol/device/session.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/key_fingerprint.h"

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
  CHECK(wire::hex_encode(step.root_key.bytes) == "ddc09e8538e458f1423aeddfc52533be2d4a5b1d216b248d4a233cc75a57fa3a");
  CHECK(wire::hex_encode(step.chain_key.bytes) == "6e115b9a885aca0a69138a096704deeae8725795125142659073d3dd408194c8");
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
  CHECK(wire::hex_encode(keys.key) == "7879d73a9f84dea05514825bcb9f005d45e5dcc992bcd5620075ef1b01a1ad70");
  CHECK(wire::hex_encode(keys.nonce) == "dabdc9b52c6401c86dae4fba7f465c1be0e34ba56873f8b5");
}

TEST_CASE("X3DH shared key matches the vector with and without a one-time prekey", "[x3dh][kat]") {
  std::vector<SharedSecret> dh;
  for (std::uint8_t i = 1; i <= 4; ++i) {
    SharedSecret s{};
    s.fill(i);
    dh.push_back(s);
  }
  CHECK(wire::hex_encode(x3dh_shared_key(dh).bytes) ==
        "9806d19e78189506efcdc0b27d91105ff45ba14dbee8098d1d2a669f90d25c01");
  CHECK(wire::hex_encode(x3dh_shared_key(std::span(dh).first(3)).bytes) ==
        "7dc2cad2dad64085e3b869a2ae3ad64f97a7c50d50fec10e05e3fa218f6a6c4e");
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

TEST_CASE("key fingerprint matches the vector and is the key's half of every safety number", "[safety][kat]") {
  wire::IdentityKey a{}, b{};
  a.fill(0xAA);
  b.fill(0xBB);
  CHECK(wire::key_fingerprint(a) == "975475809545434567341138578562");
  CHECK(wire::format_key_fingerprint(wire::key_fingerprint(a)) == "97547 58095 45434 56734 11385 78562");
  CHECK(wire::key_fingerprint(b) == "136183033158514518987980306489");
  CHECK(safety_number(a, b) == wire::key_fingerprint(b) + wire::key_fingerprint(a));
  wire::IdentityKey c = a;
  c[31] ^= 0x80;
  CHECK(wire::key_fingerprint(c) != wire::key_fingerprint(a));
}

TEST_CASE("padding hides lengths inside buckets", "[padding]") {
  CHECK(padded_size(1) == 64);
  CHECK(padded_size(63) == 64);
  CHECK(padded_size(64) == 128);
  CHECK(padded_size(1000) == 1024);
  const wire::Bytes text(100, 'x');
  const auto padded = pad(PayloadKind::chat, 1, text);
  CHECK(padded.size() == 128);
  auto back = unpad(padded);
  REQUIRE(back.is_ok());
  CHECK(back.value().kind == PayloadKind::chat);
  CHECK(back.value().counter == 1);
  CHECK(back.value().payload == text);
}

TEST_CASE("the padded plaintext matches the vector: kind, counter, payload, 0x80, zeros", "[padding][kat]") {
  const std::uint8_t x = 'x';
  CHECK(wire::hex_encode(pad(PayloadKind::chat, 0x0102030405060708, std::span(&x, 1))) ==
        "0101020304050607087880" + std::string(2 * 53, '0'));
}
