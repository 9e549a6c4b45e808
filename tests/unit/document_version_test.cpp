// Known-answer tests for document versions (PROTOCOL.md §14.5). The expected bytes were computed
// independently by tests/vectors/document_vectors.py (hashlib + Python cryptography, with
// XChaCha20 built from HChaCha20 there), not by libsodium.
#include <catch2/catch.hpp>
#include <numeric>

#include "protocol/device/document_cipher.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/signatures.h"
#include "tests/support/counting.h"

using namespace mentorlink;
using mentorlink::test::counting_from;

namespace {

// Hands out the vector's nonce, c0 c1 .. d7.
class VectorNonce final : public device::RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override { std::iota(out.begin(), out.end(), std::uint8_t{0xC0}); }
};

const auto kSeed = counting_from<32>(0x00);
const auto kKey = counting_from<32>(0x60);
const auto kPrevious = counting_from<32>(0xA0);
constexpr std::string_view kText = "We meet every 3 weeks.\n";

device::SealedVersion vector_version() {
  const auto author = device::IdentityKeyPair::from_seed(kSeed);
  VectorNonce nonce;
  const device::VersionPlace place{{7, 42, wire::DocumentKind::feedback, 9, 5}, 2, kPrevious};
  return *device::seal_version(author, kKey, place, wire::to_bytes(kText), nonce);
}

}  // namespace

TEST_CASE("document version bytes match the PROTOCOL.md vector", "[documents][kat]") {
  CHECK(wire::hex_encode(device::document_key_id(kKey)) == "6616d04ac6747d86185cb95e9a9b4750");
  const auto v = vector_version();
  REQUIRE(v.body.size() == wire::kDocumentHeaderBytes + 64 + 16);
  CHECK(wire::hex_encode(std::span(v.body).first(wire::kDocumentHeaderBytes)) ==
        "02" "0000000000000007" "000000000000002a" "04" "0000000000000009" "0000000000000005" "00000002"
        "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
        "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b86616d04ac6747d86185cb95e9a9b4750"
        "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7");
  CHECK(wire::hex_encode(std::span(v.body).subspan(wire::kDocumentHeaderBytes)) ==
        "fcde7418ee4acc79f9ff831c36a5881df59f33604c634047f9e7097e88488f289fa5dd2c5dee333f052d26efbadb4413"
        "402463c9d3b0201c2de1fc6c345bd52f0356d0ac64e4fa546b8f20695ccf2b16");
  CHECK(wire::hex_encode(v.hash) == "aa4a58fe5855576a93e9d4f615445c45a307b0721324fe42f3cab50730933ba3");
  CHECK(wire::hex_encode(v.signature) ==
        "4e5388d1c142c32c2c3349b2c6808a68a4c875221083a594a048acd06968f837bbd6cea43a58abb84e36c8f1d88f33e0"
        "de77ac8ec9060c818e5016f64da97801");
  const auto author = device::IdentityKeyPair::from_seed(kSeed);
  CHECK(wire::hex_encode(author.sign(wire::contract_signature_message(7, 42, 2, v.hash))) ==
        "c174fb2ee8968175bc1ccdc4b692cdea79d40915b4b019ad7caba8b10d039ce1112553c56ef0af5ca79419fcc835acd6"
        "a228e4d2c67e5c569dd59f09b164e90f");
  CHECK(wire::hex_encode(device::encode_key_share({7, 42, kKey})) ==
        "010000000000000007000000000000002a606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f");
}

TEST_CASE("a document version opens with its key and header, and with nothing else", "[documents]") {
  const auto v = vector_version();
  const auto opened = device::open_version(kKey, v.body);
  REQUIRE(opened);
  CHECK(std::string(opened->begin(), opened->end()) == kText);
  auto other_key = kKey;
  other_key[0] ^= 1;
  CHECK_FALSE(device::open_version(other_key, v.body));
  // One flipped bit anywhere, header or ciphertext, and it does not open (SECURITY.md 5).
  for (std::size_t i = 0; i < v.body.size(); ++i) {
    auto bent = v.body;
    bent[i] ^= 0x01;
    INFO("byte " << i);
    CHECK_FALSE(device::open_version(kKey, bent));
  }
  CHECK_FALSE(device::open_version(kKey, std::span(v.body).first(wire::kDocumentHeaderBytes + 15)));
}

TEST_CASE("document headers parse back, and refuse what is not one", "[documents]") {
  const auto v = vector_version();
  const auto h = wire::parse_document_header(v.body);
  REQUIRE(h);
  CHECK(h->identity == wire::DocumentIdentity{7, 42, wire::DocumentKind::feedback, 9, 5});
  CHECK(h->version == 2);
  CHECK(h->previous == kPrevious);
  CHECK(wire::encode_document_header(*h) == wire::Bytes(v.body.begin(), v.body.begin() + wire::kDocumentHeaderBytes));
  auto bad = v.body;
  bad[0] = 0x03;  // unknown format
  CHECK_FALSE(wire::parse_document_header(bad));
  bad[0] = 0x01;  // protocol version 1: refused, and recognised as such
  CHECK_FALSE(wire::parse_document_header(bad));
  CHECK(wire::is_v1_document_version(bad));
  CHECK_FALSE(wire::is_v1_document_version(v.body));
  bad = v.body;
  bad[17] = 9;  // unknown kind
  CHECK_FALSE(wire::parse_document_header(bad));
  bad = v.body;
  bad[17] = 3;  // goals have neither meeting nor owner: this identity is not well-formed
  CHECK_FALSE(wire::parse_document_header(bad));
  bad = v.body;
  std::fill(bad.begin() + 18, bad.begin() + 26, std::uint8_t{0});  // feedback without a meeting
  CHECK_FALSE(wire::parse_document_header(bad));
  bad = v.body;
  std::fill(bad.begin() + 26, bad.begin() + 34, std::uint8_t{0});  // feedback without an owner
  CHECK_FALSE(wire::parse_document_header(bad));
  bad = v.body;
  std::fill(bad.begin() + 34, bad.begin() + 38, std::uint8_t{0});  // version 0
  CHECK_FALSE(wire::parse_document_header(bad));
}

TEST_CASE("padding hides the length to the bucket; too long is refused", "[documents]") {
  const auto author = device::IdentityKeyPair::generate();
  auto size_of = [&](std::size_t n) {
    return device::seal_version(author, kKey, {{1, 1, wire::DocumentKind::goals, 0, 0}, 1, {}}, wire::Bytes(n, 'x'),
                                device::system_random())
        ->body.size();
  };
  CHECK(size_of(0) == size_of(63));
  CHECK(size_of(64) == size_of(127));
  CHECK(size_of(64) > size_of(63));
  CHECK(size_of(device::kMaxDocumentPlaintextBytes) == wire::kDocumentHeaderBytes + 65536 + 16);
  CHECK_FALSE(device::seal_version(author, kKey, {{1, 1, wire::DocumentKind::goals, 0, 0}, 1, {}},
                                   wire::Bytes(device::kMaxDocumentPlaintextBytes + 1, 'x'), device::system_random()));
}

TEST_CASE("key shares parse back and refuse other sizes or formats", "[documents]") {
  const auto bytes = device::encode_key_share({3, 99, kKey});
  const auto share = device::parse_key_share(bytes);
  REQUIRE(share);
  CHECK(share->pair == 3);
  CHECK(share->document == 99);
  CHECK(share->key == kKey);
  auto bad = bytes;
  bad[0] = 2;
  CHECK_FALSE(device::parse_key_share(bad));
  CHECK_FALSE(device::parse_key_share(std::span(bytes).first(bytes.size() - 1)));
}

TEST_CASE("only padded ciphertext sizes are document versions", "[documents]") {
  CHECK(wire::is_padded_ciphertext_size(64 + 16));
  CHECK(wire::is_padded_ciphertext_size(65536 + 16));
  CHECK_FALSE(wire::is_padded_ciphertext_size(65 + 16));
  CHECK_FALSE(wire::is_padded_ciphertext_size(32 + 16));
  CHECK_FALSE(wire::is_padded_ciphertext_size(131072 + 16));
  CHECK_FALSE(wire::is_padded_ciphertext_size(3));
}

TEST_CASE("a version's identity must suit its kind", "[documents]") {
  const auto author = device::IdentityKeyPair::generate();
  auto seal = [&](wire::DocumentIdentity id) {
    return device::seal_version(author, kKey, {id, 1, {}}, wire::to_bytes("x"), device::system_random()).has_value();
  };
  CHECK(seal({1, 2, wire::DocumentKind::agenda, 3, 0}));
  CHECK_FALSE(seal({1, 2, wire::DocumentKind::agenda, 0, 0}));     // an agenda belongs to a meeting
  CHECK_FALSE(seal({1, 2, wire::DocumentKind::agenda, 3, 4}));     // and to no one member
  CHECK(seal({1, 2, wire::DocumentKind::reflection, 0, 4}));
  CHECK_FALSE(seal({1, 2, wire::DocumentKind::reflection, 0, 0}));  // a reflection has its owner
  CHECK(seal({1, 2, wire::DocumentKind::contract, 0, 0}));
  CHECK_FALSE(seal({1, 2, wire::DocumentKind::contract, 3, 0}));
}
