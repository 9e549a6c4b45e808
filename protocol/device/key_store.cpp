#include "protocol/device/key_store.h"

#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "protocol/wire/base64url.h"
#include "protocol/wire/fields.h"
#include "protocol/wire/sodium.h"

namespace mentorlink::device {
namespace json = boost::json;
using wire::ErrorCode;
using wire::Status;

namespace {

constexpr std::string_view kFormat = "mentorlink-keystore";
constexpr std::int64_t kVersion = 1;
constexpr std::uint8_t kPlaintextVersion = 0x01;
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'m', 'l', 'k', 's', 't', 'o', 'r', 'e'};
constexpr std::string_view kAdContext = "mentorlink/v1/keystore";

// AD binds every header field, so changing the KDF parameters or salt breaks the MAC.
wire::Bytes header_ad(std::uint64_t opslimit, std::size_t memlimit, std::span<const std::uint8_t> salt) {
  wire::Bytes ad(kAdContext.begin(), kAdContext.end());
  ad.push_back(0x00);
  for (int i = 0; i < 8; ++i) ad.push_back(static_cast<std::uint8_t>(opslimit >> (8 * i)));
  for (int i = 0; i < 8; ++i) ad.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(memlimit) >> (8 * i)));
  ad.insert(ad.end(), salt.begin(), salt.end());
  return ad;
}

constexpr std::uint64_t kWrapKeyId = 1;
constexpr std::uint64_t kStorageKeyId = 2;

// Returns false if Argon2id could not run (out of memory).
bool derive_keys(std::string_view passphrase, std::span<const std::uint8_t> salt, std::uint64_t opslimit,
                 std::size_t memlimit, SecureBuffer& wrap_key, SecureBuffer* storage_key) {
  SecureBuffer master(crypto_kdf_KEYBYTES);
  if (crypto_pwhash(master.data(), master.size(), passphrase.data(), passphrase.size(), salt.data(),
                    opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return false;
  }
  crypto_kdf_derive_from_key(wrap_key.data(), wrap_key.size(), kWrapKeyId, kKdfContext, master.data());
  if (storage_key != nullptr) {
    crypto_kdf_derive_from_key(storage_key->data(), storage_key->size(), kStorageKeyId, kKdfContext, master.data());
  }
  return true;
}

}  // namespace

KdfCost KdfCost::interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

KdfCost KdfCost::minimum() { return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}; }

KdfCost KdfCost::sensitive() { return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE}; }

wire::Result<KdfCost> KdfCost::named(std::string_view name) {
  if (name == "interactive") return interactive();
  if (name == "moderate") return KdfCost{crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  if (name == "sensitive") return sensitive();
  if (name == "minimum") return minimum();
  return Status::error(ErrorCode::invalid_field,
                       "key store cost must be interactive, moderate, sensitive or minimum", "kdf_cost");
}

std::string seal_key_store(const IdentityKeyPair& identity, std::string_view passphrase, KdfCost cost) {
  wire::ensure_sodium();
  std::array<std::uint8_t, crypto_pwhash_SALTBYTES> salt{};
  randombytes_buf(salt.data(), salt.size());
  std::array<std::uint8_t, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  randombytes_buf(nonce.data(), nonce.size());

  SecureBuffer wrap_key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (!derive_keys(passphrase, salt, cost.opslimit, cost.memlimit, wrap_key, nullptr)) {
    throw std::runtime_error("not enough memory for the key store's Argon2id cost");
  }
  SecureBuffer plaintext(1 + kIdentitySeedBytes);
  plaintext.data()[0] = kPlaintextVersion;
  std::copy(identity.seed().begin(), identity.seed().end(), plaintext.data() + 1);

  const wire::Bytes ad = header_ad(cost.opslimit, cost.memlimit, salt);
  wire::Bytes ciphertext(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(ciphertext.data(), &written, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), nullptr, nonce.data(), wrap_key.data());
  ciphertext.resize(static_cast<std::size_t>(written));

  json::object kdf;
  kdf["alg"] = "argon2id13";
  kdf["opslimit"] = cost.opslimit;
  kdf["memlimit"] = static_cast<std::uint64_t>(cost.memlimit);
  kdf["salt"] = wire::base64url_encode(salt);
  json::object file;
  file["format"] = kFormat;
  file["version"] = kVersion;
  file["kdf"] = std::move(kdf);
  file["nonce"] = wire::base64url_encode(nonce);
  file["ciphertext"] = wire::base64url_encode(ciphertext);
  return json::serialize(file) + "\n";
}

wire::Result<UnlockedKeyStore> open_key_store(std::string_view file_text, std::string_view passphrase,
                                              KdfCost max_cost) {
  wire::ensure_sodium();
  boost::system::error_code ec;
  json::value root = json::parse(file_text, ec);
  if (ec || !root.is_object()) return Status::error(ErrorCode::malformed, "the key store file is not JSON");
  const auto& file = root.as_object();
  const json::value* format = file.if_contains("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kFormat) {
    return Status::error(ErrorCode::malformed, "the file is not a mentorlink key store");
  }
  wire::FieldReader top(file);
  top.integer("version", kVersion, kVersion);
  const auto nonce = top.bytes("nonce", crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const auto ciphertext = top.bytes("ciphertext", 1 + kIdentitySeedBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  const json::value* kdf_value = file.if_contains("kdf");
  if (!top.ok() || kdf_value == nullptr || !kdf_value->is_object()) {
    return Status::error(ErrorCode::malformed, "the key store file is damaged or of an unknown version");
  }
  wire::FieldReader kdf(kdf_value->as_object());
  kdf.choice("alg", {"argon2id13"});
  const auto opslimit = kdf.integer("opslimit", crypto_pwhash_OPSLIMIT_MIN, static_cast<std::int64_t>(max_cost.opslimit));
  const auto memlimit = kdf.integer("memlimit", crypto_pwhash_MEMLIMIT_MIN, static_cast<std::int64_t>(max_cost.memlimit));
  const auto salt = kdf.bytes("salt", crypto_pwhash_SALTBYTES);
  if (!kdf.ok()) {
    return Status::error(ErrorCode::malformed, "the key store's KDF parameters are damaged or costlier than allowed");
  }

  SecureBuffer wrap_key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  SecureBuffer storage_key(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  if (!derive_keys(passphrase, salt, static_cast<std::uint64_t>(opslimit), static_cast<std::size_t>(memlimit),
                   wrap_key, &storage_key)) {
    return Status::error(ErrorCode::internal, "not enough memory to open the key store");
  }
  const wire::Bytes ad = header_ad(static_cast<std::uint64_t>(opslimit), static_cast<std::size_t>(memlimit), salt);
  SecureBuffer plaintext(1 + kIdentitySeedBytes);
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plaintext.data(), &plain_len, nullptr, ciphertext.data(),
                                                 ciphertext.size(), ad.data(), ad.size(), nonce.data(),
                                                 wrap_key.data()) != 0) {
    return Status::error(ErrorCode::bad_signature, "wrong passphrase, or the key store file was altered");
  }
  if (plain_len != plaintext.size() || plaintext.data()[0] != kPlaintextVersion) {
    return Status::error(ErrorCode::malformed, "the key store holds an unknown version of secrets");
  }
  return UnlockedKeyStore{
      IdentityKeyPair::from_seed(std::span<const std::uint8_t, kIdentitySeedBytes>(plaintext.data() + 1, kIdentitySeedBytes)),
      std::move(storage_key)};
}

}  // namespace mentorlink::device
