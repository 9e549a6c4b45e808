// Thin wrappers over libsodium that never throw on hostile input: a low-order X25519 key, a failed
// AEAD open or a malformed signature give null/false. Lengths are checked here, not by libsodium.
import { sodium } from './sodium.js';

const NO_ADDITIONAL = null;

/** HMAC-SHA256 with a key of any length (RFC 2104). */
export function hmacSha256(key, data) {
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, data);
  return sodium.crypto_auth_hmacsha256_final(state);
}

/** SHA-512 of data. */
export function sha512(data) {
  return sodium.crypto_hash_sha512(data);
}

/** Unkeyed BLAKE2b with an output of length bytes (crypto_generichash). */
export function blake2b(data, length = 32) {
  return sodium.crypto_generichash(length, data, null);
}

/** X25519(secret, public), or null when public is low-order or not 32 bytes (the exchange aborts). */
export function x25519(secret, publicKey) {
  if (!(secret instanceof Uint8Array) || secret.length !== 32) return null;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return null;
  try {
    return sodium.crypto_scalarmult(secret, publicKey);
  } catch {
    return null;
  }
}

/** The X25519 public key of a 32-byte secret. */
export function x25519Base(secret) {
  return sodium.crypto_scalarmult_base(secret);
}

/** Ed25519 key pair {publicKey(32), privateKey(64)} from a 32-byte seed. */
export function signSeedKeypair(seed) {
  const kp = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

/** The 64-byte Ed25519 signature of message under privateKey (64 bytes). */
export function sign(privateKey, message) {
  return sodium.crypto_sign_detached(message, privateKey);
}

/** Whether signature (64 bytes) verifies over message under publicKey (32 bytes); false on any bad input. */
export function verify(publicKey, message, signature) {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** XChaCha20-Poly1305-IETF encryption (key 32, nonce 24): ciphertext ‖ tag. */
export function aeadEncrypt(key, nonce, plaintext, ad) {
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, NO_ADDITIONAL, nonce, key);
}

/** The plaintext, or null if the ciphertext does not authenticate under key, nonce and ad. */
export function aeadDecrypt(key, nonce, ciphertext, ad) {
  if (ciphertext.length < 16 || key.length !== 32 || nonce.length !== 24) return null;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(NO_ADDITIONAL, ciphertext, ad, nonce, key);
  } catch {
    return null;
  }
}

/** crypto_kdf_derive_from_key(length, subkeyId, context(8 chars), key(32)). */
export function kdfDeriveFromKey(length, subkeyId, context, key) {
  return sodium.crypto_kdf_derive_from_key(length, subkeyId, context, key);
}

/** Argon2id v1.3 (crypto_pwhash) of passphrase bytes into length bytes. */
export function argon2id(length, passphrase, salt, opslimit, memlimit) {
  return sodium.crypto_pwhash(length, passphrase, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

/** length random bytes from the system's secure source. */
export function randomBytes(length) {
  return sodium.randombytes_buf(length);
}

/** libsodium's randombytes_buf_deterministic(length, seed(32)). */
export function deterministicBytes(length, seed) {
  return sodium.randombytes_buf_deterministic(length, seed);
}

/** Overwrites bytes with zeros. */
export function wipe(bytes) {
  if (bytes instanceof Uint8Array) sodium.memzero(bytes);
}
