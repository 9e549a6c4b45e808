// PROTOCOL.md §13: KDF_RK, KDF_CK, message keys, X3DH, padding, safety number and the recorded
// session of pair 7, byte for byte, plus RFC 5869's own HKDF vectors (SECURITY.md test 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, assertHex, must } from './helpers.js';
import { hkdf } from '../src/protocol/hkdf.js';
import { kdfCk, kdfRk, messageKeys } from '../src/protocol/ratchet.js';
import { x3dhSharedKey, initiate, accept, encrypt, decrypt } from '../src/protocol/session.js';
import { padPlaintext, KIND_CHAT } from '../src/protocol/message_format.js';
import { safetyNumber } from '../src/protocol/safety_number.js';
import { concat, filled, range, utf8, fromUtf8 } from '../src/protocol/bytes.js';
import { blake2b } from '../src/protocol/primitives.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { deterministicRandom } from '../src/protocol/random.js';
import { generateDeviceKeys, identityDh, currentSignedPrekey } from '../src/protocol/device_keys.js';
import { dhFromSecret } from '../src/protocol/keys.js';

test('RFC 5869 HKDF-SHA256 test cases 1-3', () => {
  assertHex(hkdf(hex('000102030405060708090a0b0c'), filled(22, 0x0b), hex('f0f1f2f3f4f5f6f7f8f9'), 42),
    '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  assertHex(hkdf(range(0x60, 0xb0), range(0x00, 0x50), range(0xb0, 0x100), 82),
    `b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09
     da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87`);
  assertHex(hkdf(new Uint8Array(0), filled(22, 0x0b), new Uint8Array(0), 42),
    '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
});

test('§13 KDF_RK, KDF_CK, message keys', () => {
  const rk = kdfRk(range(0x00, 0x20), range(0x20, 0x40));
  assertHex(rk.rootKey, 'ddc09e8538e458f1423aeddfc52533be2d4a5b1d216b248d4a233cc75a57fa3a');
  assertHex(rk.chainKey, '6e115b9a885aca0a69138a096704deeae8725795125142659073d3dd408194c8');
  const ck = kdfCk(range(0x40, 0x60));
  assertHex(ck.messageKey, '01156abd78ef59f755f1e6945e5d1e2d7ddd1f1e5fe0a164b2f5fa8ad500bfba');
  assertHex(ck.chainKey, 'f0bdefbbad3cf097dccb03f2c87159f7608e2480543eef7741c8f2e7f226e78f');
  const mk = messageKeys(range(0x60, 0x80));
  assertHex(mk.key, '7879d73a9f84dea05514825bcb9f005d45e5dcc992bcd5620075ef1b01a1ad70');
  assertHex(mk.nonce, 'dabdc9b52c6401c86dae4fba7f465c1be0e34ba56873f8b5');
});

test('§13 X3DH shared key with 4 and 3 DH outputs', () => {
  const dhs = [1, 2, 3, 4].map((v) => filled(32, v));
  assertHex(x3dhSharedKey(dhs), '9806d19e78189506efcdc0b27d91105ff45ba14dbee8098d1d2a669f90d25c01');
  assertHex(x3dhSharedKey(dhs.slice(0, 3)), '7dc2cad2dad64085e3b869a2ae3ad64f97a7c50d50fec10e05e3fa218f6a6c4e');
});

test('§13 padded plaintext', () => {
  const padded = padPlaintext(KIND_CHAT, 0x0102030405060708n, utf8('x'));
  assertHex(padded, '0101020304050607087880' + '00'.repeat(53));
  assert.equal(padded.length, 64);
});

test('§13 safety number of AA×32 and BB×32', () => {
  const n = safetyNumber(filled(32, 0xaa), filled(32, 0xbb));
  assert.equal(n, '136183033158514518987980306489975475809545434567341138578562');
  assert.equal(safetyNumber(filled(32, 0xbb), filled(32, 0xaa)), n);
});

const M1 = `22bc7cbcb5636375fa1d82434d466724d92377f53b980695dd49d26d0ce12205a5bd2e1d8b7ce4535f72278970d61456
101753548010292a2c90b5e2ac0effaf502f678d30335869ff35a85eabd46e942e9d95cde30b0c38f2d7032931c27ad9
b2886f3235dcd99461c5e3c1cd7b191f90643107a1d571b12eeaba0b04a35b9103100b4d4ee5b573c71e4f6c38f63205
ee2e77d00aecf820a43a4f013419e1fd4600000001000000027f853e54bc761c378a47d40792101a9a6dd232aef42d7b
e378e445976a57fd0400000000000000008d0899bddecedcfa087906f1c4c583f39ec6c6b5c8605927f8e7807d434532
d7ba528bf333f0430765d93bc876bb81b533f5c0eba95f608e03990724991f6653ae2a912ab6897a9ac520be8f550cae
d9`;
const M2 = `216ccba2125dab25896a3965bef7bc0dde59118f1df7db4ce92fa868c8ba6a674e0000000000000000a279a48b0cd613
25149b23e708f5fcf96989edcb117b261b5e5263eb5e5a89152f9423ee45602a13ef9111737f7ea163fc9c1b8ff45057
f9d21978af8c9fd0b6c792e593cb6339841a6e1c48bc2cd1b9`;
const M3 = `216dc6ce89dbed353fd3d99a582975b23ebfc9ddffa5d56667e20de648ba3f30740000000100000000342ea70716bf2d
2f5c47486094b46ac46fa6ac2d501f16f5e2a5eb4e81d65c25724fd5044b62818c0f62a118b232270c970a078b8f20f7
de002adb8dc7d2fa137c3d0dc1ee32f5804cbeeba225ecad1b`;

/** §13's two devices: identity from the seed byte, draws 0-4 device keys (signed prekey 1, one-time 2, 3, 4). */
function device(seedByte, drawSeed) {
  const identity = identityFromSeed(filled(32, seedByte));
  const random = deterministicRandom(drawSeed);
  const keys = generateDeviceKeys(identity, 0, random, 3);
  return { identity, random, keys };
}

function bundleOf(d, oneTimeId) {
  const otk = d.keys.oneTime.find((k) => k.id === oneTimeId);
  return {
    identityKey: d.identity.publicKey, identityDhKey: identityDh(d.keys).publicKey,
    identityDhSignature: d.keys.identityDhSignature, signedPrekey: currentSignedPrekey(d.keys),
    oneTimePrekey: { id: otk.id, key: dhFromSecret(otk.secret).publicKey },
  };
}

test('§13 the recorded session of pair 7, byte for byte, both ways', () => {
  const alice = device(0xa1, 0x0a);
  const bob = device(0xb0, 0x0b);
  assert.deepEqual(bob.keys.oneTime.map((k) => k.id), [2, 3, 4]);
  assert.equal(currentSignedPrekey(bob.keys).id, 1);

  let a = must(initiate(alice.identity, alice.keys, bundleOf(bob, 2), 7, alice.random));
  const s1 = must(encrypt(a, KIND_CHAT, 1, utf8('Hello Bob, agenda attached.')));
  a = s1.session;
  assert.equal(s1.message.length, 289);
  assertHex(s1.message, M1, 'm1');

  const accepted = must(accept(bob.identity, bob.keys, 7, s1.message, bob.random));
  assert.equal(fromUtf8(accepted.plaintext.payload), 'Hello Bob, agenda attached.');
  assert.equal(accepted.plaintext.counter, 1);
  assert.deepEqual(accepted.deviceKeys.oneTime.map((k) => k.id), [3, 4], 'one-time prekey 2 is used up');
  const s2 = must(encrypt(accepted.session, KIND_CHAT, 1, utf8('Thanks Alice, see you Tuesday.')));
  assertHex(s2.message, M2, 'm2');

  const got2 = must(decrypt(a, s2.message, alice.random));
  assert.equal(fromUtf8(got2.plaintext.payload), 'Thanks Alice, see you Tuesday.');
  const s3 = must(encrypt(got2.session, KIND_CHAT, 2, utf8('Great.')));
  assertHex(s3.message, M3, 'm3');
  const got3 = must(decrypt(s2.session, s3.message, bob.random));
  assert.equal(fromUtf8(got3.plaintext.payload), 'Great.');
  assert.equal(got3.plaintext.counter, 2);

  assertHex(blake2b(concat(s1.message, s2.message, s3.message)),
    'e4c884742cbe83e865bf3c283b860001d06bc42c44ebade17d8a5a1130570bad');
});
