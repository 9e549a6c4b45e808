// The passphrase-protected key store (PROTOCOL.md §9) and sealed device state (§12.6), as the CLI
// keeps them in its home; the web app keeps the same bytes in IndexedDB.
//   master      = Argon2id v1.3(passphrase, salt(16), opslimit, memlimit) → 32 bytes
//   wrap_key    = crypto_kdf_derive_from_key(32, 1, "mlkstore", master)
//   storage_key = crypto_kdf_derive_from_key(32, 2, "mlkstore", master)
//   keystore    = {"format": "mentorlink-keystore", "version": 1, "kdf": {"alg": "argon2id13", opslimit,
//                  memlimit, salt}, nonce(24), ciphertext = AEAD(wrap_key, nonce, 01 ‖ identity_seed,
//                  AD = "mentorlink/v1/keystore" ‖ 00 ‖ u64le(opslimit) ‖ u64le(memlimit) ‖ salt)}
//   sealed      = 01 ‖ nonce(24) ‖ AEAD(storage_key, nonce, data, AD = "mentorlink/v1/sealed-file" ‖ 00 ‖ purpose)
import { concat, context, u64le, utf8, u8 } from './bytes.js';
import { aeadDecrypt, aeadEncrypt, argon2id, kdfDeriveFromKey, randomBytes } from './primitives.js';
import { decodeExact, encode } from './base64url.js';
import { identityFromSeed } from './keys.js';
import { ok, fail } from './result.js';

export const KEYSTORE_FORMAT = 'mentorlink-keystore';
export const KEYSTORE_VERSION = 1;
export const KDF_ALG = 'argon2id13';
export const KDF_CONTEXT = 'mlkstore';
export const WRAP_SUBKEY = 1;
export const STORAGE_SUBKEY = 2;
export const SALT_BYTES = 16;
export const NONCE_BYTES = 24;
export const SECRET_VERSION = 0x01;
/** libsodium's interactive cost, the CLI's default. */
export const INTERACTIVE = Object.freeze({ opslimit: 2, memlimit: 67108864 });
/** The least a key store may ask for (libsodium's minimums), and the most a browser will spend. */
export const MIN_COST = Object.freeze({ opslimit: 1, memlimit: 8192 });
export const MAX_COST = Object.freeze({ opslimit: 4, memlimit: 268435456 });
const KEYSTORE_AD = 'mentorlink/v1/keystore';
const SEALED_AD = 'mentorlink/v1/sealed-file';
export const DEVICE_STATE_PURPOSE = 'device-state';

function keystoreAd(opslimit, memlimit, salt) {
  return concat(context(KEYSTORE_AD), u64le(opslimit), u64le(memlimit), salt);
}

/** {wrapKey, storageKey} of a passphrase under the given salt and cost. */
export function deriveKeys(passphrase, salt, opslimit, memlimit) {
  const master = argon2id(32, utf8(passphrase), salt, opslimit, memlimit);
  const keys = {
    wrapKey: kdfDeriveFromKey(32, WRAP_SUBKEY, KDF_CONTEXT, master),
    storageKey: kdfDeriveFromKey(32, STORAGE_SUBKEY, KDF_CONTEXT, master),
  };
  master.fill(0);
  return keys;
}

/** The key store object (JSON-ready) sealing identitySeed under passphrase; salt and nonce random unless given. */
export function sealKeyStore(identitySeed, passphrase, cost = INTERACTIVE, salt = randomBytes(SALT_BYTES), nonce = randomBytes(NONCE_BYTES)) {
  const { wrapKey } = deriveKeys(passphrase, salt, cost.opslimit, cost.memlimit);
  const ciphertext = aeadEncrypt(wrapKey, nonce, concat(u8(SECRET_VERSION), identitySeed), keystoreAd(cost.opslimit, cost.memlimit, salt));
  wrapKey.fill(0);
  return {
    format: KEYSTORE_FORMAT, version: KEYSTORE_VERSION,
    kdf: { alg: KDF_ALG, opslimit: cost.opslimit, memlimit: cost.memlimit, salt: encode(salt) },
    nonce: encode(nonce), ciphertext: encode(ciphertext),
  };
}

function integerIn(v, min, max) {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

/** Result of {identity, storageKey} opening a key store object with passphrase; wrong_passphrase if it does not open. */
export function openKeyStore(store, passphrase) {
  if (store === null || typeof store !== 'object' || store.format !== KEYSTORE_FORMAT || store.version !== KEYSTORE_VERSION) {
    return fail('malformed', 'the key store is damaged or of an unknown version');
  }
  const kdf = store.kdf;
  if (kdf === null || typeof kdf !== 'object' || kdf.alg !== KDF_ALG
      || !integerIn(kdf.opslimit, MIN_COST.opslimit, MAX_COST.opslimit)
      || !integerIn(kdf.memlimit, MIN_COST.memlimit, MAX_COST.memlimit)) {
    return fail('malformed', 'the key store asks for a key derivation this client does not use');
  }
  const salt = decodeExact(kdf.salt, SALT_BYTES);
  const nonce = decodeExact(store.nonce, NONCE_BYTES);
  const ciphertext = decodeExact(store.ciphertext, 1 + 32 + 16);
  if (!salt.ok || !nonce.ok || !ciphertext.ok) return fail('malformed', 'the key store is damaged');
  const keys = deriveKeys(passphrase, salt.value, kdf.opslimit, kdf.memlimit);
  const secret = aeadDecrypt(keys.wrapKey, nonce.value, ciphertext.value, keystoreAd(kdf.opslimit, kdf.memlimit, salt.value));
  keys.wrapKey.fill(0);
  if (secret === null) return fail('wrong_passphrase', 'the passphrase is wrong, or the key store was altered');
  if (secret[0] !== SECRET_VERSION) return fail('malformed', 'the key store holds an unknown version of secrets');
  const identity = identityFromSeed(secret.subarray(1));
  secret.fill(0);
  return ok({ identity, storageKey: keys.storageKey });
}

/** 01 ‖ nonce ‖ AEAD(storageKey, nonce, data, AD = context ‖ purpose). */
export function seal(storageKey, purpose, data, nonce = randomBytes(NONCE_BYTES)) {
  return concat(u8(SECRET_VERSION), nonce, aeadEncrypt(storageKey, nonce, data, concat(context(SEALED_AD), utf8(purpose))));
}

/** Result of the data of a sealed blob; altered if it does not open under storageKey for purpose. */
export function openSealed(storageKey, purpose, sealed) {
  if (!(sealed instanceof Uint8Array) || sealed.length < 1 + NONCE_BYTES + 16 || sealed[0] !== SECRET_VERSION) {
    return fail('malformed', 'the device state is damaged or of an unknown version');
  }
  const data = aeadDecrypt(storageKey, sealed.subarray(1, 1 + NONCE_BYTES), sealed.subarray(1 + NONCE_BYTES),
    concat(context(SEALED_AD), utf8(purpose)));
  if (data === null) return fail('altered', 'the device state was altered or is not yours');
  return ok(data);
}
