// A document written by one member and read by the other, through the key share; what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must, assertFails } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { filled, utf8, fromUtf8, toHex } from '../src/protocol/bytes.js';
import { keyId } from '../src/protocol/document_version.js';
import { keyShareFor, prepareWrite, readDocument, takeKeyShare, writerFor } from '../src/protocol/documents.js';

const alice = identityFromSeed(filled(32, 1));
const bob = identityFromSeed(filled(32, 2));
const agenda = { pair: 7, document: 20, kind: 1, meeting: 3, owner: 0 };

test('written by one member, shared, read and continued by the other', () => {
  const v1 = must(prepareWrite({ identity: agenda, author: alice, head: null, keys: new Map(), plaintext: utf8('1. goals') }));
  assert.equal(v1.version, 1);
  const share = must(keyShareFor(agenda, true, v1.documentKey));
  const taken = must(takeKeyShare(7, share));
  assertFails(takeKeyShare(8, share), 'set_aside');
  const bobKeys = new Map([[taken.keyIdHex, taken.key]]);
  const read = must(readDocument({ identity: agenda, myKey: bob.publicKey, myMemberId: 2, partnerKeys: [alice.publicKey],
    claimedLatest: 1, known: null, from: 1, versions: [{ version: 1, body: v1.body, signature: v1.signature }], keys: bobKeys }));
  assert.equal(fromUtf8(read.newest.text), '1. goals');
  const v2 = must(prepareWrite({ identity: agenda, author: bob, head: read.head, newestKeyId: toHex(keyId(v1.documentKey)), keys: bobKeys,
    plaintext: utf8('1. goals\n2. contract') }));
  assert.equal(v2.version, 2);
  assert.equal(v2.newKey, false);
  const again = must(readDocument({ identity: agenda, myKey: alice.publicKey, myMemberId: 1, partnerKeys: [bob.publicKey],
    claimedLatest: 2, known: null, from: 1, keys: new Map([[toHex(keyId(v1.documentKey)), v1.documentKey]]),
    versions: [{ version: 1, body: v1.body, signature: v1.signature }, { version: 2, body: v2.body, signature: v2.signature }] }));
  assert.equal(fromUtf8(again.newest.text), '1. goals\n2. contract');
  assertFails(readDocument({ identity: agenda, myKey: bob.publicKey, myMemberId: 2, partnerKeys: [alice.publicKey],
    claimedLatest: 1, known: null, from: 1, versions: [{ version: 1, body: v1.body, signature: v1.signature }], keys: new Map() }), 'no_key');
});

test('a reflection\'s key and an unverified document\'s key are never shared; owners write their own', () => {
  const reflection = { pair: 7, document: 21, kind: 5, meeting: 0, owner: 1 };
  assertFails(keyShareFor(reflection, true, filled(32, 5)), 'private');
  assertFails(keyShareFor(agenda, false, filled(32, 5)), 'unverified');
  assert.equal(writerFor(reflection, 1), 'me');
  assert.equal(writerFor(reflection, 2), 'partner');
  assert.equal(writerFor(agenda, 1), 'either');
});
