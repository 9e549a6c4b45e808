#pragma once
// The device's key store: the identity seed wrapped under a passphrase (PROTOCOL.md, "Key store").
//   master   = Argon2id13(passphrase, salt, opslimit, memlimit) → 32 bytes
//   wrap key = crypto_kdf_derive_from_key(32, subkey id 1, context "mlkstore", master)
//   storage key = crypto_kdf_derive_from_key(32, subkey id 2, context "mlkstore", master)
//   file     = JSON {format, version, kdf{alg, opslimit, memlimit, salt}, nonce, ciphertext}
//   ciphertext = XChaCha20-Poly1305-IETF(plaintext = 0x01 ‖ seed, AD = header bytes)

#include <cstdint>
#include <string>
#include <string_view>

#include "protocol/device/identity.h"
#include "protocol/wire/status.h"

namespace mentorlink::device {

struct KdfCost {
  std::uint64_t opslimit;
  std::size_t memlimit;

  // libsodium's INTERACTIVE limits (64 MiB); the default for people.
  static KdfCost interactive();
  // The smallest limits libsodium accepts; for tests and benchmarks only.
  static KdfCost minimum();
  // libsodium's SENSITIVE limits (1 GiB); also the most a key store file may ask for.
  static KdfCost sensitive();
  // By name: "interactive", "moderate", "sensitive" or "minimum".
  static wire::Result<KdfCost> named(std::string_view name);
};

// Seals the identity seed. Returns the file's text.
[[nodiscard]] std::string seal_key_store(const IdentityKeyPair& identity, std::string_view passphrase, KdfCost cost);

struct UnlockedKeyStore {
  IdentityKeyPair identity;
  // For the device's other files (sessions, history): crypto_kdf subkey 2 of the same master key.
  SecureBuffer storage_key;
};

// Opens a key store file. A wrong passphrase and a damaged file both fail with bad_signature
// (the MAC did not verify); a file that is not a key store fails with malformed.
// A file asking for a costlier KDF than max_cost is refused as malformed before any work is done.
[[nodiscard]] wire::Result<UnlockedKeyStore> open_key_store(std::string_view file_text, std::string_view passphrase,
                                                            KdfCost max_cost = KdfCost::sensitive());

}  // namespace mentorlink::device
