// Sessions in a pair against a hostile server and partner (SECURITY.md tests 2-6, 9, attacks 21,
// 23, 25, 30, 31): every refusal is an error value and leaves the state exactly as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must, assertFails } from './helpers.js';
import { identityFromSeed, dhFromSecret } from '../src/protocol/keys.js';
import { concat, filled, utf8, fromUtf8, u32be } from '../src/protocol/bytes.js';
import { systemRandom, deterministicRandom } from '../src/protocol/random.js';
import { generateDeviceKeys, identityDh, currentSignedPrekey } from '../src/protocol/device_keys.js';
import { newPairChannel, sealForPartner, openFromPartner, acceptChangedKey } from '../src/protocol/pair_channel.js';
import { KIND_CHAT } from '../src/protocol/message_format.js';
import { safetyNumber } from '../src/protocol/safety_number.js';
import { orderNotes } from '../src/protocol/message_order.js';
import { MAX_STORED_SKIPPED } from '../src/protocol/ratchet.js';

const random = systemRandom();

function member(seed) {
  const identity = identityFromSeed(filled(32, seed));
  return { identity, keys: generateDeviceKeys(identity, 0, random, 5), channels: {} };
}

function bundleOf(m, withOneTime = true) {
  const otk = m.keys.oneTime[0];
  return { identityKey: m.identity.publicKey, identityDhKey: identityDh(m.keys).publicKey, identityDhSignature: m.keys.identityDhSignature,
    signedPrekey: currentSignedPrekey(m.keys), oneTimePrekey: withOneTime && otk ? { id: otk.id, key: dhFromSecret(otk.secret).publicKey } : null };
}

function channel(m, pair) {
  m.channels[pair] ??= newPairChannel(pair);
  return m.channels[pair];
}

function send(from, to, pair, text, withOneTime = true) {
  const r = must(sealForPartner(channel(from, pair), from.identity, from.keys, bundleOf(to, withOneTime), KIND_CHAT, utf8(text), random));
  from.channels[pair] = r.state;
  return r.message;
}

function receive(m, pair, body) {
  const r = openFromPartner(channel(m, pair), m.identity, m.keys, body, random);
  if (r.ok) {
    m.channels[pair] = r.value.state;
    m.keys = r.value.deviceKeys;
  }
  return r;
}

function unchanged(m, pair, fn) {
  channel(m, pair);
  const before = structuredClone([m.channels[pair], m.keys]);
  const r = fn();
  assert.equal(r.ok, false);
  assert.deepEqual([m.channels[pair], m.keys], before, 'state untouched');
  return r;
}

test('a conversation both ways; the replayed ciphertext is refused the second time (test 4)', () => {
  const alice = member(1);
  const bob = member(2);
  const m1 = send(alice, bob, 7, 'hi');
  assert.equal(fromUtf8(must(receive(bob, 7, m1)).plaintext.payload), 'hi');
  assertFails(unchanged(bob, 7, () => receive(bob, 7, m1)), 'duplicated_message');
  const m2 = send(bob, alice, 7, 'hello');
  assert.equal(fromUtf8(must(receive(alice, 7, m2)).plaintext.payload), 'hello');
  assertFails(unchanged(alice, 7, () => receive(alice, 7, m2)), 'duplicated_message');
  const m3 = send(alice, bob, 7, 'third');
  assert.equal(m3[0], 0x21, 'after a reply: a ratchet message');
  assert.equal(must(receive(bob, 7, m3)).plaintext.counter, 2);
});

test('a flipped bit anywhere is refused and changes nothing (test 5)', () => {
  const alice = member(1);
  const bob = member(2);
  const m1 = send(alice, bob, 7, 'hello there');
  for (let i = 0; i < m1.length; i += 5) {
    const bad = Uint8Array.from(m1);
    bad[i] ^= 0x04;
    unchanged(bob, 7, () => receive(bob, 7, bad));
  }
  for (const cut of [0, 1, 100, 209, m1.length - 1]) unchanged(bob, 7, () => receive(bob, 7, m1.subarray(0, cut)));
  const v1 = Uint8Array.from(m1); v1[0] = 0x02;
  assertFails(unchanged(bob, 7, () => receive(bob, 7, v1)), 'unrecognized_version');
  must(receive(bob, 7, m1));
});

test('a session start moved to another pair does not open (attack 31)', () => {
  const alice = member(1);
  const bob = member(2);
  const m1 = send(alice, bob, 7, 'for pair 7');
  unchanged(bob, 8, () => receive(bob, 8, m1));
  must(receive(bob, 7, m1));
});

test('a bundle with a bad signature aborts the session start (test 6)', () => {
  const alice = member(1);
  const bob = member(2);
  const bundle = bundleOf(bob);
  bundle.signedPrekey = { ...bundle.signedPrekey, key: dhFromSecret(filled(32, 9)).publicKey };
  const r = sealForPartner(channel(alice, 7), alice.identity, alice.keys, bundle, KIND_CHAT, utf8('x'), random);
  assertFails(r, 'invalid_bundle');
  assert.equal(alice.channels[7].sessions.length, 0);
});

test('drops and reorders are seen from the counter, whatever seq says (attack 23)', () => {
  const alice = member(1);
  const bob = member(2);
  const msgs = [1, 2, 3, 4, 5].map((i) => send(alice, bob, 7, `m${i}`));
  must(receive(bob, 7, msgs[0]));
  const third = must(receive(bob, 7, msgs[2]));
  assert.equal(third.missingBefore, 1);
  const fifth = must(receive(bob, 7, msgs[4]));
  assert.equal(fifth.missingBefore, 1);
  const second = must(receive(bob, 7, msgs[1]));
  assert.equal(second.outOfOrder, true);
  assert.deepEqual(orderNotes([1, 3, 5, 2], bob.channels[7].received).map((n) => n.missingBefore), [0, 0, 1, 0],
    'message 2 arrived later, so only 4 is missing before 5');
});

test('a header beyond MAX_SKIP is refused with the state untouched; the skipped store stays capped (tests 2, 3)', () => {
  const alice = member(1);
  const bob = member(2);
  must(receive(bob, 7, send(alice, bob, 7, 'start')));
  let last;
  for (let i = 0; i < 1002; i++) last = send(alice, bob, 7, `m${i}`);
  assertFails(unchanged(bob, 7, () => receive(bob, 7, last)), 'too_many_skipped');
  const bobToAlice = send(bob, alice, 7, 'reply');
  must(receive(alice, 7, bobToAlice));
  const session = bob.channels[7].sessions[bob.channels[7].active];
  assert.ok(session.ratchet.skipped.length <= MAX_STORED_SKIPPED);
});

test('a header naming the partner\'s signed prekey before any reply is refused (attack 21)', () => {
  const alice = member(1);
  const bob = member(2);
  send(alice, bob, 7, 'start');
  const spk = currentSignedPrekey(bob.keys).key;
  const forged = concat(Uint8Array.of(0x21), spk, u32be(0), u32be(0), new Uint8Array(80));
  assertFails(unchanged(alice, 7, () => receive(alice, 7, forged)), 'invalid_message');
});

test('a session start without a one-time prekey cannot be replayed after its session is gone (attack 30)', () => {
  const alice = member(1);
  const bob = member(2);
  const m1 = send(alice, bob, 7, 'start', false);
  must(receive(bob, 7, m1));
  bob.channels[7] = { ...newPairChannel(7), trustedKey: alice.identity.publicKey, acceptedKeys: [alice.identity.publicKey] };
  assertFails(unchanged(bob, 7, () => receive(bob, 7, m1)), 'duplicated_message');
});

test('a substituted partner key stops sending until the compared number is accepted (tests 9, attack 25)', () => {
  const alice = member(1);
  const bob = member(2);
  const mallory = member(3);
  must(receive(bob, 7, send(alice, bob, 7, 'hi')));
  const fake = send(mallory, bob, 7, 'I am Alice now');
  const r = receive(bob, 7, fake);
  assertFails(r, 'changed_key');
  bob.channels[7] = r.error.state;
  assertFails(sealForPartner(bob.channels[7], bob.identity, bob.keys, null, KIND_CHAT, utf8('x'), random), 'changed_key');
  const compared = safetyNumber(bob.identity.publicKey, alice.identity.publicKey);
  assertFails(acceptChangedKey(bob.channels[7], bob.identity.publicKey, compared), 'number_mismatch');
  assertFails(acceptChangedKey(bob.channels[7], bob.identity.publicKey, '123'), 'invalid_number');
  const right = safetyNumber(bob.identity.publicKey, mallory.identity.publicKey).replace(/(\d{5})/g, '$1 ');
  const accepted = must(acceptChangedKey(bob.channels[7], bob.identity.publicKey, right));
  assert.deepEqual(accepted.trustedKey, mallory.identity.publicKey);
  assert.equal(accepted.acceptedKeys.length, 2);
  assert.equal(accepted.nextCounter, 1);
});

test('simultaneous starts: both sides end up sending on the session of the smaller identity key', () => {
  const alice = member(1);
  const bob = member(2);
  const a1 = send(alice, bob, 7, 'from alice');
  const b1 = send(bob, alice, 7, 'from bob');
  must(receive(alice, 7, b1));
  must(receive(bob, 7, a1));
  const a2 = send(alice, bob, 7, 'alice again');
  const b2 = send(bob, alice, 7, 'bob again');
  assert.equal(fromUtf8(must(receive(bob, 7, a2)).plaintext.payload), 'alice again');
  assert.equal(fromUtf8(must(receive(alice, 7, b2)).plaintext.payload), 'bob again');
  const aSession = alice.channels[7].sessions[alice.channels[7].active];
  const bSession = bob.channels[7].sessions[bob.channels[7].active];
  assert.deepEqual(aSession.initiator, bSession.initiator, 'the same session on both sides');
});

test('the recorded session\'s random source is deterministic', () => {
  const a = deterministicRandom(0x0a);
  const b = deterministicRandom(0x0a);
  assert.deepEqual(a.draw32(), b.draw32());
  assert.notDeepEqual(a.draw32(), deterministicRandom(0x0b).draw32());
});

test('marking verified needs the number of the trusted key, as the server states it', async () => {
  const { markVerified } = await import('../src/protocol/pair_channel.js');
  const alice = member(1);
  const bob = member(2);
  must(receive(bob, 7, send(alice, bob, 7, 'hi')));
  const number = safetyNumber(bob.identity.publicKey, alice.identity.publicKey);
  assert.equal(must(markVerified(bob.channels[7], bob.identity.publicKey, alice.identity.publicKey, number)).verified, true);
  assertFails(markVerified(bob.channels[7], bob.identity.publicKey, member(3).identity.publicKey, number), 'changed_key');
  assertFails(markVerified(bob.channels[7], bob.identity.publicKey, alice.identity.publicKey, number.slice(0, 59) + ((Number(number[59]) + 1) % 10)), 'number_mismatch');
});

test('a counter received before is a replay even when it arrives in a new session (§12.7)', () => {
  const alice = member(1);
  const bob = member(2);
  must(receive(bob, 7, send(alice, bob, 7, 'first')));
  alice.channels[7] = newPairChannel(7); // e.g. an old backup: a new session, counting from 1 again
  const again = send(alice, bob, 7, 'first, again');
  assert.equal(again[0], 0x22, 'a new session start');
  assertFails(unchanged(bob, 7, () => receive(bob, 7, again)), 'duplicated_message');
  const next = send(alice, bob, 7, 'second');
  const r = must(receive(bob, 7, next));
  assert.equal(r.plaintext.counter, 2);
  assert.equal(r.missingBefore, 0);
});
