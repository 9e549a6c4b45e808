#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include "protocol/device/key_store.h"
#include "protocol/wire/base64url.h"

using namespace mentorlink;
using namespace mentorlink::device;

namespace json = boost::json;

TEST_CASE("a sealed key store opens with its passphrase and gives back the same identity", "[key_store]") {
  const auto identity = IdentityKeyPair::generate();
  const auto file = seal_key_store(identity, "correct horse", KdfCost::minimum());
  auto opened = open_key_store(file, "correct horse");
  REQUIRE(opened.is_ok());
  CHECK(opened.value().identity.public_key() == identity.public_key());
  CHECK(opened.value().storage_key.size() == 32);
}

TEST_CASE("the key store file holds no secret in the clear", "[key_store]") {
  const auto identity = IdentityKeyPair::generate();
  const auto file = seal_key_store(identity, "correct horse", KdfCost::minimum());
  const std::vector<std::uint8_t> seed(identity.seed().begin(), identity.seed().end());
  CHECK(file.find(wire::base64url_encode(seed)) == std::string::npos);
  CHECK(file.find(wire::hex_encode(seed)) == std::string::npos);
  CHECK(file.find("correct horse") == std::string::npos);
}

TEST_CASE("a wrong passphrase or any altered field fails to open", "[key_store]") {
  const auto identity = IdentityKeyPair::generate();
  const auto file = seal_key_store(identity, "correct horse", KdfCost::minimum());
  CHECK(open_key_store(file, "wrong horse").status().code() == wire::ErrorCode::bad_signature);

  auto tamper = [&](auto&& change) {
    auto doc = json::parse(file).as_object();
    change(doc);
    return open_key_store(json::serialize(doc), "correct horse");
  };
  CHECK_FALSE(tamper([](json::object& d) { d["kdf"].as_object()["opslimit"] = 2; }).is_ok());
  CHECK_FALSE(tamper([](json::object& d) {
                auto salt = wire::base64url_decode(d["kdf"].at("salt").as_string()).value();
                salt[0] ^= 1;
                d["kdf"].as_object()["salt"] = wire::base64url_encode(salt);
              }).is_ok());
  CHECK_FALSE(tamper([](json::object& d) {
                auto ct = wire::base64url_decode(d.at("ciphertext").as_string()).value();
                ct[5] ^= 1;
                d["ciphertext"] = wire::base64url_encode(ct);
              }).is_ok());
  CHECK(tamper([](json::object& d) { d["version"] = 2; }).status().code() == wire::ErrorCode::malformed);
  CHECK(open_key_store("not json", "x").status().code() == wire::ErrorCode::malformed);
  CHECK(open_key_store(R"({"format":"something-else"})", "x").status().code() == wire::ErrorCode::malformed);
}

TEST_CASE("key store cost names", "[key_store]") {
  CHECK(KdfCost::named("minimum").is_ok());
  CHECK(KdfCost::named("interactive").value().memlimit == KdfCost::interactive().memlimit);
  CHECK_FALSE(KdfCost::named("cheap").is_ok());
}
