// PROTOCOL.md §10: identity key, login and enroll signatures, invite hash, the login request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, assertHex } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { encode, decode } from '../src/protocol/base64url.js';
import {
  enrollMessage, inviteHash, loginMessage, normaliseInviteCode, signWith, verifyWith,
} from '../src/protocol/signatures.js';
import { range } from '../src/protocol/bytes.js';

const identity = identityFromSeed(range(0x00, 0x20));
const challenge = range(0x20, 0x40);
const exporter = range(0x40, 0x60);
const IK = '03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8';

test('§10 identity key from the seed, hex and base64url', () => {
  assertHex(identity.publicKey, IK);
  assert.equal(encode(identity.publicKey), 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg');
});

test('§10 login: signed bytes and signature', () => {
  const message = loginMessage(challenge, exporter, identity.publicKey);
  assert.equal(message.length, 116);
  assertHex(message, `6d656e746f726c696e6b2f76312f6c6f67696e00
    202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
    404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f ${IK}`);
  const signature = signWith(identity, message);
  assertHex(signature, `8ca9448512954e8a468a02f00beb1b429de799901e99d7a14e7ba74c3d9a0d19
    12823096f9c445bff09aaebfe1852a03d631e40294a04eed15f7f06a33c11205`);
  assert.ok(verifyWith(identity.publicKey, message, signature));
});

test('§10 enroll: invite hash, signed bytes and signature', () => {
  const code = 'abcdefghijklmnopqrstuvwxyz234567';
  const h = inviteHash(code);
  assertHex(h, 'fe418e1bdf7e3422284d715577ed241f3d588396ad3e43500235220914951abc');
  const message = enrollMessage(challenge, exporter, identity.publicKey, h);
  assert.equal(message.length, 149);
  assertHex(message, `6d656e746f726c696e6b2f76312f656e726f6c6c00
    202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
    404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f ${IK}
    fe418e1bdf7e3422284d715577ed241f3d588396ad3e43500235220914951abc`);
  assertHex(signWith(identity, message), `ed15dfd98c31880f8cfb2efa4e1d5ece0f0acc4e46b8fcaff347400eb23235a1
    698c8f4fbc3e1c87f2716219e5712472c17a16d0f17cbb023d951919d3ba1100`);
});

test('§10 the login request carrying the vector', () => {
  const signature = signWith(identity, loginMessage(challenge, exporter, identity.publicKey));
  const request = { id: 2, type: 'login', body: { identity_key: encode(identity.publicKey), signature: encode(signature) } };
  assert.deepEqual(request.body, {
    identity_key: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
    signature: 'jKlEhRKVTopGigLwC-sbQp3nmZAemdehTnunTD2aDRkSgjCW-cRFv_Carr_hhSoD1jHkApSgTu0V9_BqM8ESBQ',
  });
});

test('a login signature for another purpose, challenge or exporter does not verify', () => {
  const signature = signWith(identity, loginMessage(challenge, exporter, identity.publicKey));
  assert.equal(verifyWith(identity.publicKey, loginMessage(challenge, range(0x41, 0x61), identity.publicKey), signature), false);
  assert.equal(verifyWith(identity.publicKey, enrollMessage(challenge, exporter, identity.publicKey, new Uint8Array(32)), signature), false);
  assert.equal(verifyWith(identity.publicKey, loginMessage(challenge, exporter, identity.publicKey), signature.subarray(1)), false);
  assert.equal(verifyWith(new Uint8Array(5), loginMessage(challenge, exporter, identity.publicKey), signature), false);
});

test('§5 invite codes: a person\'s typing is normalised, anything else refused', () => {
  assert.equal(normaliseInviteCode('ABCD-EFGH IJKL-MNOP qrst uvwx yz23 4567'), 'abcdefghijklmnopqrstuvwxyz234567');
  assert.equal(normaliseInviteCode('abcdefghijklmnopqrstuvwxyz23456'), null);
  assert.equal(normaliseInviteCode('abcdefghijklmnopqrstuvwxyz234568'), null);
  assert.equal(normaliseInviteCode('abcdefghijklmnopqrstuvwxyz23456é'), null);
  assert.equal(normaliseInviteCode(42), null);
});

test('§2 base64url: canonical only, never throws', () => {
  assert.deepEqual(decode('AQID').value, Uint8Array.of(1, 2, 3));
  assert.deepEqual(decode('AQ').value, Uint8Array.of(1));
  for (const bad of ['AQ==', 'AR', 'A', 'AQI+', 'AQI/', 'AQ I', 'é', null, 7]) {
    const r = decode(bad);
    assert.equal(r.ok, false, String(bad));
  }
  for (let n = 0; n < 40; n++) {
    const bytes = range(0, n).map((b) => (b * 37 + 11) & 0xff);
    assert.deepEqual(decode(encode(bytes)).value, bytes);
  }
});

test('§10 the login request body is built from the same bytes', async () => {
  const { loginBody } = await import('../src/protocol/requests.js');
  assert.deepEqual(loginBody(identity, challenge, exporter), {
    identity_key: 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg',
    signature: 'jKlEhRKVTopGigLwC-sbQp3nmZAemdehTnunTD2aDRkSgjCW-cRFv_Carr_hhSoD1jHkApSgTu0V9_BqM8ESBQ',
  });
});
