// Calls (PROTOCOL.md §6 "Calls", §12.8, §12.10): a call signal as kind 03 through the recorded
// session, what the CLI reads of one, TURN credentials, and the call.ice_servers result's checks.
#include <catch2/catch.hpp>

#include "protocol/device/session.h"
#include "protocol/wire/base64url.h"
#include "protocol/wire/call_signal.h"
#include "protocol/wire/messages/calls.h"
#include "protocol/wire/turn_credentials.h"

using namespace mentorlink;
using namespace mentorlink::device;
namespace msg = mentorlink::wire::messages;

namespace {

std::span<const std::uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

// The offer of §12.10, as tests/vectors/call_vectors.py writes it.
constexpr std::string_view kOffer =
    R"({"v":1,"call":"AAECAwQFBgcICQoLDA0ODw","reply_to":null,"meeting":3,"type":"offer","restart":false,)"
    R"("sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n","candidate":null,)"
    R"("fingerprint":"QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8","media_key":"YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8",)"
    R"("sent_at":1800000000000})";

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
  wire::PrekeyBundle bundle() const {
    wire::PrekeyBundle b;
    b.identity_key = identity.public_key();
    b.identity_dh_key = keys.identity_dh().public_key();
    b.identity_dh_signature = keys.identity_dh_signature();
    b.signed_prekey = keys.current_signed_prekey();
    b.one_time_prekey = published.front();
    return b;
  }
};

}  // namespace

TEST_CASE("§12.10 m4: a call offer as kind 03 in the recorded session, byte for byte", "[call][kat]") {
  DeterministicRandom random_a(0x0A), random_b(0x0B);
  Party alice(0xA1, random_a);
  Party bob(0xB0, random_b);
  auto a = Session::initiate(alice.identity, alice.keys, bob.bundle(), 7, random_a).value();
  const auto m1 = a.encrypt(PayloadKind::chat, 1, bytes("Hello Bob, agenda attached.")).value();
  auto accepted = Session::accept(bob.identity, bob.keys, 7, m1, random_b);
  REQUIRE(accepted.is_ok());
  auto b = std::move(accepted.value().session);
  const auto m2 = b.encrypt(PayloadKind::chat, 1, bytes("Thanks Alice, see you Tuesday.")).value();
  REQUIRE(a.decrypt(m2, random_a).is_ok());
  const auto m3 = a.encrypt(PayloadKind::chat, 2, bytes("Great.")).value();
  const auto m4 = a.encrypt(PayloadKind::call_signal, 3, bytes(kOffer)).value();
  // Computed independently by tests/vectors/call_vectors.py from PROTOCOL.md §12-§13 alone.
  CHECK(wire::hex_encode(m4) ==
        "216dc6ce89dbed353fd3d99a582975b23ebfc9ddffa5d56667e20de648ba3f3074000000010000000126321b7bd8defd"
        "bdf59339bcf1dee59c9171a1745eff40f8c69c0aa6d57a7bbc2ab88766bd9159f659834ab901c8cae68bd4a53f0254f0"
        "9235542e0a367f00005a12db8ec74eabf95ca4b4255b3396970d848a4baf02932c0e5f4d13a708697e238ba29743e5ab"
        "10b820c1234061d5abc1f66f7a689c3682d3dcff2c048beb75bae7b744562584c912f70b31bfbf1840f6d502cf9e960a"
        "c981514b77b436aaaa2108e79f228a4abe4c5aad2bff72cd36b7e6379b8b26451c8aec85ec294d05761687080c40cf88"
        "e39cc7e4039ee47773b68354c9aba64fce03ba6db745a5a469f222d54b6e0dd57d5ce3ea0f18544f121565b95880307c"
        "c7fd173002ac0511ef969a5714533119f322d6cf89f58c3debe6328c85d36ce3b856f88e567cd6b89ce2095c937fd4f5"
        "4be82b714c01e83517c113ac56f1473eb8f40d543102cf79d8c71439c72e6fe80787842622eabd194c2d4f69c7009ac9"
        "beffb6806a8e33fe6a850c3d22f922b936cf3661debb5b071171f9e3c469cc8485d01d226dd66bee71ca2180c45a363c"
        "ba1c65aa2e9ff3e08850a96b685499b54272f0712db04201df33ca346bbc44e381281fd59e61ed8edef672b76d4f661c"
        "637cd76e7cd2b572199d8963184d84810fe051c58d526d6e37136d7cb4acf1913ccb26b269c5598e8c7559ee0f692e8d"
        "114e903037a6354600fd916e30ce05035cab6eef7f70c386722bf2ddb477a35be72d7c507d17d3a309");
  REQUIRE(b.decrypt(m3, random_b).is_ok());
  auto got = b.decrypt(m4, random_b);
  REQUIRE(got.is_ok());
  CHECK(got.value().kind == PayloadKind::call_signal);
  CHECK(got.value().counter == 3);
  CHECK(std::string(got.value().payload.begin(), got.value().payload.end()) == kOffer);
}

TEST_CASE("the CLI reads a call signal's id, type and restart flag, and nothing from a malformed one", "[call]") {
  auto offer = wire::read_call_signal_summary(bytes(kOffer));
  REQUIRE(offer);
  CHECK(offer->call == "AAECAwQFBgcICQoLDA0ODw");
  CHECK(offer->type == "offer");
  CHECK_FALSE(offer->restart);
  for (std::string_view bad : {std::string_view(""), std::string_view("[]"), std::string_view("\xff\xfe"),
                               std::string_view(R"({"v":2,"call":"AAECAwQFBgcICQoLDA0ODw","type":"offer","restart":false})"),
                               std::string_view(R"({"v":1,"call":"AAEC","type":"offer","restart":false})"),
                               std::string_view(R"({"v":1,"call":"AAECAwQFBgcICQoLDA0ODw","type":"ring","restart":false})"),
                               std::string_view(R"({"v":1,"call":"AAECAwQFBgcICQoLDA0ODw","type":"offer","restart":0})"),
                               std::string_view(R"({"v":1,"v":1,"call":"AAECAwQFBgcICQoLDA0ODw","type":"offer","restart":false})"),
                               std::string_view(R"({"v":1,"call":7,"type":"offer","restart":false})")}) {
    CHECK_FALSE(wire::read_call_signal_summary(bytes(bad)));
  }
}

TEST_CASE("TURN credentials: HMAC-SHA1 as RFC 2202 and the §6 vector", "[call][turn]") {
  // RFC 2202 test case 1: key 0b×20, data "Hi There" → b617318655057264e28bc0b6fb378c8ef146be00.
  CHECK(wire::turn_password(std::string(20, '\x0b'), "Hi There") == "thcxhlUFcmTii8C2+zeMjvFGvgA=");
  const auto c = wire::turn_credential("mentorlink-turn-secret", 1800000000, 42);
  CHECK(c.username == "1800000000:42");
  CHECK(c.credential == "wknoRh/ujpRR3s1pEY6KENDeBOU=");  // tests/vectors/call_vectors.py
}

TEST_CASE("call.ice_servers results are decoded with checks", "[call]") {
  msg::IceServersResult r;
  r.expires_at = 1800000000000;
  r.ice_servers.push_back(msg::IceServer{{"stun:turn.example.org:3478"}, std::nullopt, std::nullopt});
  r.ice_servers.push_back(msg::IceServer{{"turn:turn.example.org:3478?transport=udp"}, "1800000000:42", "x"});
  auto back = msg::IceServersResult::decode(r.encode());
  REQUIRE(back.is_ok());
  CHECK(back.value().ice_servers.size() == 2);
  CHECK(back.value().ice_servers[1].username == "1800000000:42");

  auto with = [&](boost::json::value servers) {
    return msg::IceServersResult::decode(boost::json::object{{"ice_servers", std::move(servers)}, {"expires_at", 1}});
  };
  CHECK_FALSE(with(boost::json::array{boost::json::object{{"urls", boost::json::array{"http://x"}}}}).is_ok());
  CHECK_FALSE(with(boost::json::array{boost::json::object{{"urls", boost::json::array{}}}}).is_ok());
  CHECK_FALSE(with(boost::json::array{boost::json::object{{"urls", "stun:x"}}}).is_ok());
  CHECK_FALSE(with(boost::json::array{boost::json::object{{"urls", boost::json::array{"turn:x"}}, {"username", "u"}}}).is_ok());
  CHECK_FALSE(with(boost::json::array{boost::json::object{{"urls", boost::json::array{std::string("stun:") + std::string(600, 'a')}}}}).is_ok());
  CHECK_FALSE(with(boost::json::array(17, boost::json::object{{"urls", boost::json::array{"stun:x"}}})).is_ok());
}
