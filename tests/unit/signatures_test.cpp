// Known-answer tests for the login and enroll signatures. The expected values were computed
// independently (tests/vectors/login_vectors.py: Python cryptography + hashlib, not libsodium)
// and are the vectors printed in protocol/PROTOCOL.md.
#include <catch2/catch.hpp>
#include <numeric>
#include <set>

#include "protocol/device/identity.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/signatures.h"
#include "tests/support/counting.h"

using namespace mentorlink;
using mentorlink::test::counting_from;
using namespace mentorlink::wire;

namespace {

const auto kSeed = counting_from<32>(0x00);
const auto kNonce = counting_from<32>(0x20);
const auto kExporter = counting_from<32>(0x40);
constexpr std::string_view kInviteCode = "abcdefghijklmnopqrstuvwxyz234567";

device::IdentityKeyPair vector_identity() { return device::IdentityKeyPair::from_seed(kSeed); }

}  // namespace

TEST_CASE("login signature matches the PROTOCOL.md vector", "[signatures][kat]") {
  const auto identity = vector_identity();
  CHECK(hex_encode(identity.public_key()) == "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  CHECK(base64url_encode(identity.public_key()) == "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg");

  const auto message = login_message(kNonce, kExporter, identity.public_key());
  CHECK(message.size() == 116);
  CHECK(hex_encode(message) ==
        "6d656e746f726c696e6b2f76312f6c6f67696e00202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f4041"
        "42434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f"
        "1ddc8664125531b8");
  const auto signature = identity.sign(message);
  CHECK(hex_encode(signature) ==
        "8ca9448512954e8a468a02f00beb1b429de799901e99d7a14e7ba74c3d9a0d1912823096f9c445bff09aaebfe1852a03d631e40294a0"
        "4eed15f7f06a33c11205");
  CHECK(verify_signature(identity.public_key(), message, signature));
}

TEST_CASE("enroll signature and invite hash match the PROTOCOL.md vector", "[signatures][kat]") {
  const auto identity = vector_identity();
  const auto hash = invite_code_hash(kInviteCode);
  CHECK(hex_encode(hash) == "fe418e1bdf7e3422284d715577ed241f3d588396ad3e43500235220914951abc");
  const auto message = enroll_message(kNonce, kExporter, identity.public_key(), hash);
  CHECK(message.size() == 149);
  CHECK(hex_encode(identity.sign(message)) ==
        "ed15dfd98c31880f8cfb2efa4e1d5ece0f0acc4e46b8fcaff347400eb23235a1698c8f4fbc3e1c87f2716219e5712472c17a16d0f17c"
        "bb023d951919d3ba1100");
}

TEST_CASE("a login signature is bound to its nonce, its connection and its purpose", "[signatures]") {
  const auto identity = vector_identity();
  const auto message = login_message(kNonce, kExporter, identity.public_key());
  const auto signature = identity.sign(message);

  auto other_exporter = kExporter;
  other_exporter[0] ^= 1;
  CHECK_FALSE(verify_signature(identity.public_key(), login_message(kNonce, other_exporter, identity.public_key()),
                               signature));
  auto other_nonce = kNonce;
  other_nonce[31] ^= 0x80;
  CHECK_FALSE(verify_signature(identity.public_key(), login_message(other_nonce, kExporter, identity.public_key()),
                               signature));
  // The same bytes signed as an enrolment are not a login, and the other way round.
  const auto enroll = enroll_message(kNonce, kExporter, identity.public_key(), invite_code_hash(kInviteCode));
  CHECK_FALSE(verify_signature(identity.public_key(), enroll, signature));

  for (std::size_t bit = 0; bit < signature.size() * 8; bit += 37) {
    auto flipped = signature;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1U << (bit % 8));
    CHECK_FALSE(verify_signature(identity.public_key(), message, flipped));
  }
}

TEST_CASE("invite codes are 32 base32 characters and do not repeat", "[signatures]") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const auto code = new_invite_code();
    CHECK(code.size() == 32);
    CHECK(code.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567") == std::string::npos);
    seen.insert(code);
  }
  CHECK(seen.size() == 200);
}

// Web login and enrolment (PROTOCOL.md §10): expected values from tests/vectors/web_login_vectors.py.
TEST_CASE("web-login and web-enroll signatures match the PROTOCOL.md vectors", "[signatures][kat]") {
  const auto identity = vector_identity();
  constexpr std::string_view kOrigin = "https://localhost:8443";
  const auto login = web_login_message(kNonce, kOrigin, identity.public_key());
  CHECK(login.size() == 112);
  CHECK(hex_encode(login) ==
        "6d656e746f726c696e6b2f76322f7765622d6c6f67696e00202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d"
        "3e3f001668747470733a2f2f6c6f63616c686f73743a3834343303a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664"
        "125531b8");
  CHECK(hex_encode(identity.sign(login)) ==
        "be620c1de7e2a93f46aefb5c97b5a4d52afdf3aebdf2445bcfa3ba75e36ed2691c687bc06710a60b04f1cb05892188a3d6f2afc3edce"
        "50d48fe9f9c9af9c010a");

  const auto enroll = web_enroll_message(kNonce, kOrigin, identity.public_key(), invite_code_hash(kInviteCode));
  CHECK(enroll.size() == 145);
  CHECK(hex_encode(enroll) ==
        "6d656e746f726c696e6b2f76322f7765622d656e726f6c6c00202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c"
        "3d3e3f001668747470733a2f2f6c6f63616c686f73743a3834343303a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc86"
        "64125531b8fe418e1bdf7e3422284d715577ed241f3d588396ad3e43500235220914951abc");
  CHECK(hex_encode(identity.sign(enroll)) ==
        "1ecd5a42363939c9c8cd40d344b820fcd14ac344984e7cecf35494f26de55e0a239de7cdaabdaaf050097b648089db77da4449b489de"
        "0b44c76598d8af67050b");
}

TEST_CASE("a web-login signature is bound to its origin and is never a bound login", "[signatures]") {
  const auto identity = vector_identity();
  const auto signature = identity.sign(web_login_message(kNonce, "https://localhost:8443", identity.public_key()));
  CHECK_FALSE(verify_signature(identity.public_key(), web_login_message(kNonce, "https://localhost:8444", identity.public_key()),
                               signature));
  CHECK_FALSE(verify_signature(identity.public_key(), web_login_message(kNonce, "https://localhost:844", identity.public_key()),
                               signature));
  CHECK_FALSE(verify_signature(identity.public_key(), login_message(kNonce, kExporter, identity.public_key()), signature));
  CHECK_FALSE(verify_signature(identity.public_key(),
                               web_enroll_message(kNonce, "https://localhost:8443", identity.public_key(),
                                                  invite_code_hash(kInviteCode)),
                               signature));
  CHECK_THROWS_AS(web_login_message(kNonce, std::string(kMaxWebOriginBytes + 1, 'a'), identity.public_key()),
                  std::invalid_argument);
}
