#include <catch2/catch.hpp>

#include "protocol/wire/base64url.h"

using namespace mentorlink::wire;

namespace {
std::string decode_to_string(std::string_view text) {
  auto bytes = base64url_decode(text);
  REQUIRE(bytes.has_value());
  return std::string(bytes->begin(), bytes->end());
}
}  // namespace

TEST_CASE("base64url matches the RFC 4648 test vectors without padding", "[base64url]") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64url_encode(to_bytes(plain)) == encoded);
    CHECK(decode_to_string(encoded) == plain);
  }
}

TEST_CASE("base64url uses the URL-safe alphabet", "[base64url]") {
  const Bytes data{0xfb, 0xff, 0xbf};
  CHECK(base64url_encode(data) == "-_-_");
  CHECK(base64url_decode("-_-_") == data);
}

TEST_CASE("base64url rejects padding, foreign characters, impossible lengths and non-canonical bits",
          "[base64url]") {
  CHECK_FALSE(base64url_decode("Zg==").has_value());
  CHECK_FALSE(base64url_decode("+/+/").has_value());
  CHECK_FALSE(base64url_decode("Zm9vY").has_value());  // 5 chars: length % 4 == 1
  CHECK_FALSE(base64url_decode("Zh").has_value());     // "Zg" with a non-zero trailing bit
  CHECK_FALSE(base64url_decode("Zm 9v").has_value());
}

TEST_CASE("hex encoding is lowercase", "[base64url]") { CHECK(hex_encode(Bytes{0x00, 0xAB, 0xff}) == "00abff"); }
