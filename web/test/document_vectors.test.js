// PROTOCOL.md §14.5 (document version, hash, signatures, key share) and §15 (access-log entry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hex, assertHex, must, assertFails } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { concat, context, range, u32be, u64be, utf8, fromUtf8 } from '../src/protocol/bytes.js';
import {
  encodeKeyShare, keyId, openVersion, parseHeader, parseKeyShare, sealVersion, versionHash, verifyVersionSignature,
} from '../src/protocol/document_version.js';
import { contractMessage, signWith, verifyWith } from '../src/protocol/signatures.js';
import { entryHash } from '../src/protocol/access_log.js';
import { blake2b } from '../src/protocol/primitives.js';

const author = identityFromSeed(range(0x00, 0x20));
const documentKey = range(0x60, 0x80);
const identity = { pair: 7, document: 42, kind: 4, meeting: 9, owner: 5 };
const HEADER = `02 0000000000000007 000000000000002a 04 0000000000000009 0000000000000005 00000002
  a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf
  03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8
  6616d04ac6747d86185cb95e9a9b4750
  c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7`;
const CIPHERTEXT = `fcde7418ee4acc79f9ff831c36a5881df59f33604c634047f9e7097e88488f28
  9fa5dd2c5dee333f052d26efbadb4413402463c9d3b0201c2de1fc6c345bd52f
  0356d0ac64e4fa546b8f20695ccf2b16`;

function sealed() {
  return must(sealVersion({
    identity, version: 2, previousHash: range(0xa0, 0xc0), author, documentKey, nonce: range(0xc0, 0xd8),
    plaintext: utf8('We meet every 3 weeks.\n'),
  }));
}

test('§14.5 key id, header, ciphertext, version hash, signature', () => {
  assertHex(keyId(documentKey), '6616d04ac6747d86185cb95e9a9b4750');
  const v = sealed();
  assertHex(v.body.subarray(0, 142), HEADER, 'header');
  assertHex(v.body.subarray(142), CIPHERTEXT, 'ciphertext');
  assertHex(v.hash, 'aa4a58fe5855576a93e9d4f615445c45a307b0721324fe42f3cab50730933ba3');
  assertHex(v.signature, `4e5388d1c142c32c2c3349b2c6808a68a4c875221083a594a048acd06968f837
    bbd6cea43a58abb84e36c8f1d88f33e0de77ac8ec9060c818e5016f64da97801`);
});

test('§14.5 the vector body parses, verifies and opens', () => {
  const body = concat(hex(HEADER), hex(CIPHERTEXT));
  const h = must(parseHeader(body));
  assert.deepEqual(h.identity, identity);
  assert.equal(h.version, 2);
  assert.ok(verifyVersionSignature(h, versionHash(body), sealed().signature));
  assert.equal(fromUtf8(must(openVersion(body, documentKey))), 'We meet every 3 weeks.\n');
});

test('§14.5 contract signature over pair, document, version and hash', () => {
  const message = contractMessage(7, 42, 2, hex('aa4a58fe5855576a93e9d4f615445c45a307b0721324fe42f3cab50730933ba3'));
  assert.equal(message.length, 75);
  const signature = signWith(author, message);
  assertHex(signature, `c174fb2ee8968175bc1ccdc4b692cdea79d40915b4b019ad7caba8b10d039ce1
    112553c56ef0af5ca79419fcc835acd6a228e4d2c67e5c569dd59f09b164e90f`);
  assert.ok(verifyWith(author.publicKey, message, signature));
  assert.equal(verifyWith(author.publicKey, contractMessage(7, 42, 3, sealed().hash), signature), false);
});

test('§14.5 key share', () => {
  const share = encodeKeyShare(7, 42, documentKey);
  assertHex(share, `01 0000000000000007 000000000000002a
    606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f`);
  assert.deepEqual(must(parseKeyShare(share)), { pair: 7, document: 42, key: documentKey });
  assertFails(parseKeyShare(share.subarray(1)), 'malformed');
  assertFails(parseKeyShare(concat(Uint8Array.of(2), share.subarray(1))), 'malformed');
});

test('§15 access-log entry hash', () => {
  const input = concat(context('mentorlink/v1/access-log'), new Uint8Array(32), u64be(1), u64be(1), u64be(1),
    u64be(1800000000000), u32be(6), utf8('report'), u32be(11), utf8('pair,status'));
  assertHex(input, `6d656e746f726c696e6b2f76312f6163636573732d6c6f6700 ${'00'.repeat(32)}
    0000000000000001 0000000000000001 0000000000000001 000001a3185c5000
    00000006 7265706f7274 0000000b 706169722c737461747573`);
  const h = entryHash(new Uint8Array(32), { pair: 1, seq: 1, coordinator: 1, at: 1800000000000, what: 'report', fieldsText: 'pair,status' });
  assertHex(h, 'e92ec7e2fef7e11916e1d96eb1feb7fd277b0ae6e260fad56a4e1d8dd1ac5a9e');
  assert.deepEqual(h, blake2b(input));
});

test('a flipped byte anywhere in a version fails to open or to verify', () => {
  const v = sealed();
  for (let i = 0; i < v.body.length; i += 7) {
    const bad = Uint8Array.from(v.body);
    bad[i] ^= 0x01;
    const header = parseHeader(bad);
    const opened = openVersion(bad, documentKey);
    const verified = header.ok && verifyVersionSignature(header.value, versionHash(bad), v.signature);
    assert.equal(opened.ok && verified, false, `byte ${i}`);
  }
});

test('hostile headers are refused with an error value', () => {
  const v = sealed();
  assertFails(parseHeader(v.body.subarray(0, 141)), 'malformed');
  assertFails(parseHeader(v.body.subarray(0, 200)), 'malformed');
  const v1 = Uint8Array.from(v.body); v1[0] = 0x01;
  assertFails(parseHeader(v1), 'written_by_v1');
  const kind = Uint8Array.from(v.body); kind[17] = 6;
  assertFails(parseHeader(kind), 'malformed');
  const contractWithMeeting = Uint8Array.from(v.body); contractWithMeeting[17] = 2;
  assertFails(parseHeader(contractWithMeeting), 'malformed');
  const huge = Uint8Array.from(v.body); huge[1] = 0xff;
  assertFails(parseHeader(huge), 'malformed');
  assertFails(parseHeader(null), 'malformed');
  assertFails(openVersion(v.body, range(0x61, 0x81)), 'wrong_key');
});
