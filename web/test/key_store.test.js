// §9 key store and §12.6 sealed state: round trips, the KDF parameters bound into the AD, the
// subkey derivation exactly as §12.6 spells it (libsodium's salt_personal over an empty message), and altered bytes refused as values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must, assertFails } from './helpers.js';
import { sodium } from '../src/protocol/sodium.js';
import { concat, filled, range, u64le, utf8 } from '../src/protocol/bytes.js';
import { openKeyStore, openSealed, seal, sealKeyStore, DEVICE_STATE_PURPOSE } from '../src/protocol/key_store.js';
import { kdfDeriveFromKey } from '../src/protocol/primitives.js';
import { fromStorableJson, toStorableJson } from '../src/protocol/storable.js';

const FAST = { opslimit: 1, memlimit: 8192 };
const seed = range(0, 32);

test('§12.6 subkeys are BLAKE2b(key = master, salt = u64le(id) ‖ 0×8, personal = "mlkstore" ‖ 0×8)', () => {
  const master = range(0x10, 0x30);
  for (const id of [1, 2]) {
    const spelled = sodium.crypto_generichash_blake2b_salt_personal(32, master,
      concat(u64le(id), new Uint8Array(8)), concat(utf8('mlkstore'), new Uint8Array(8)));
    assert.deepEqual(kdfDeriveFromKey(32, id, 'mlkstore', master), spelled);
  }
});

test('§9 a key store opens with its passphrase only, and binds its KDF parameters', () => {
  const store = sealKeyStore(seed, 'correct horse', FAST, filled(16, 7), filled(24, 9));
  assert.equal(store.format, 'mentorlink-keystore');
  assert.equal(store.kdf.salt.length, 22);
  const opened = must(openKeyStore(store, 'correct horse'));
  assert.deepEqual(opened.identity.seed, seed);
  assert.equal(opened.storageKey.length, 32);
  assertFails(openKeyStore(store, 'wrong horse'), 'wrong_passphrase');
  assertFails(openKeyStore({ ...store, kdf: { ...store.kdf, memlimit: 16384 } }, 'correct horse'), 'wrong_passphrase');
  assertFails(openKeyStore({ ...store, kdf: { ...store.kdf, opslimit: 0 } }, 'correct horse'), 'malformed');
  assertFails(openKeyStore({ ...store, kdf: { ...store.kdf, memlimit: 2 ** 40 } }, 'correct horse'), 'malformed');
  assertFails(openKeyStore({ ...store, version: 2 }, 'correct horse'), 'malformed');
  assertFails(openKeyStore({ ...store, nonce: 'AAAA' }, 'correct horse'), 'malformed');
  assertFails(openKeyStore(null, 'x'), 'malformed');
  assertFails(openKeyStore('text', 'x'), 'malformed');
});

test('§12.6 sealed state: opens under its key and purpose only; a flipped byte is refused', () => {
  const key = range(0x40, 0x60);
  const state = { format: 2, sessions: [{ pair: 7, key: range(0, 5) }] };
  const sealed = seal(key, DEVICE_STATE_PURPOSE, utf8(toStorableJson(state)));
  const data = must(openSealed(key, DEVICE_STATE_PURPOSE, sealed));
  assert.deepEqual(must(fromStorableJson(new TextDecoder().decode(data))), state);
  assertFails(openSealed(key, 'other', sealed), 'altered');
  assertFails(openSealed(range(0x41, 0x61), DEVICE_STATE_PURPOSE, sealed), 'altered');
  for (const i of [0, 1, 30, sealed.length - 1]) {
    const bad = Uint8Array.from(sealed);
    bad[i] ^= 1;
    assert.equal(openSealed(key, DEVICE_STATE_PURPOSE, bad).ok, false, `byte ${i}`);
  }
  assertFails(openSealed(key, DEVICE_STATE_PURPOSE, sealed.subarray(0, 20)), 'malformed');
  assertFails(fromStorableJson('{'), 'malformed');
  assertFails(fromStorableJson('{"x":{"$b64":"A"}}'), 'malformed');
});
