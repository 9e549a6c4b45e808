// The client's messaging orchestration between two devices through an in-memory server that
// answers as §6 says (results decoded by the real decoders): sending and syncing both ways, saved
// before acknowledged; a dropped message shown as missing where it happened; a substituted partner
// key stopping sends until the compared number is accepted; the device state sealed in storage
// with one writer tab and followers refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { decode, encode } from '../src/protocol/base64url.js';
import { decodeResult } from '../src/protocol/replies.js';
import { filled } from '../src/protocol/bytes.js';
import { safetyNumber } from '../src/protocol/safety_number.js';
import { acceptChangedKey } from '../src/protocol/pair_channel.js';
import * as messenger from '../src/client/messenger.js';
import { askedOf } from '../src/client/connection.js';
import { Storage } from '../src/client/storage.js';
import { memoryBackend } from '../src/client/idb.js';
import { emptySeen, markSeen, wasSeen, MAX_SEEN_ABOVE } from '../src/client/seen.js';
import { MAX_PENDING_KEY_SHARES_PER_PAIR } from '../src/client/documents.js';
import { encodeKeyShare } from '../src/protocol/document_version.js';

const PAIR = 5;

// One pair (members 1 and 2), as the server keeps it: bundles, envelopes, acknowledgements.
function fakeServer() {
  const s = { bundles: {}, envelopes: [], seq: 0, acked: {}, keys: {}, drop: new Set(), swapKey: null };
  s.connectionOf = (member) => ({
    async request(type, body) {
      const partner = member === 1 ? 2 : 1;
      let out;
      if (type === 'keys.publish') {
        s.bundles[member] = { ...body, one_time_prekeys: [...(s.bundles[member]?.one_time_prekeys ?? []), ...body.one_time_prekeys] };
        out = { device: 1, one_time_prekeys: s.bundles[member].one_time_prekeys.length, low: false };
      } else if (type === 'keys.status') {
        out = { device: 1, one_time_prekeys: s.bundles[member].one_time_prekeys.length, low: false };
      } else if (type === 'keys.fetch') {
        const b = s.bundles[partner];
        out = { bundle: { member: partner, identity_key: s.keys[partner], device: 1, identity_dh_key: b.identity_dh_key,
          identity_dh_signature: b.identity_dh_signature, signed_prekey: b.signed_prekey, one_time_prekey: b.one_time_prekeys.shift() ?? null } };
      } else if (type === 'keys.identity') {
        out = { pair: body.pair, member: partner, name: partner === 1 ? 'Maria' : 'Jonas', identity_key: s.swapKey ?? s.keys[partner] };
      } else if (type === 'message.send') {
        s.seq += 1;
        if (!s.drop.has(s.seq)) s.envelopes.push({ pair: body.pair, seq: s.seq, sender: member, recipient: partner, sender_device: 1, client_id: body.client_id, body: body.body, sent_at: 1800000000000 + s.seq });
        out = { pair: body.pair, seq: s.seq, sent_at: 1800000000000 + s.seq, duplicate: false };
      } else if (type === 'message.sync') {
        const mine = s.envelopes.filter((e) => e.recipient === member && e.seq > (s.acked[member] ?? 0));
        out = { envelopes: mine.map(({ recipient, ...e }) => e), more: false };
      } else if (type === 'message.ack') {
        s.acked[member] = Math.max(s.acked[member] ?? 0, body.up_to);
        out = { acknowledged: 1 };
      } else throw new Error(`fake server: ${type}`);
      return decodeResult(type, structuredClone(out), askedOf(body));
    },
  });
  return s;
}

async function device(server, member, seedByte) {
  const identity = identityFromSeed(filled(32, seedByte));
  server.keys[member] = encode(identity.publicKey);
  const saves = [];
  const m = { connection: server.connectionOf(member), identity, state: messenger.newState(identity, 1800000000000), persist: async () => { saves.push(structuredClone(m.state)); return { ok: true, value: null }; } };
  must(await messenger.prepareDevice(m));
  return { m, saves };
}

test('chat both ways: encrypted, sent, synced, saved before it is acknowledged', async () => {
  const server = fakeServer();
  const alice = await device(server, 1, 1);
  const bob = await device(server, 2, 2);
  const sent = must(await messenger.sendText(alice.m, PAIR, 'hello Bob'));
  assert.equal(sent.seq, 1);
  assert.equal(alice.m.state.chats[PAIR].pending.length, 0);
  const synced = must(await messenger.sync(bob.m));
  assert.deepEqual(synced.received.map((r) => [r.text, r.counter, r.missingBefore]), [['hello Bob', 1, 0]]);
  assert.equal(server.acked[2], 1);
  assert.equal(bob.saves.at(-1).chats[PAIR].history[0].text, 'hello Bob', 'in the saved state before the ack');
  must(await messenger.sendText(bob.m, PAIR, 'hi Alice'));
  const back = must(await messenger.sync(alice.m));
  assert.deepEqual(back.received.map((r) => r.text), ['hi Alice']);
  assert.equal(must(await messenger.sync(alice.m)).received.length, 0, 'nothing taken in twice');
});

test('23: a message the server drops shows as missing just before the one that revealed it', async () => {
  const server = fakeServer();
  const alice = await device(server, 1, 3);
  const bob = await device(server, 2, 4);
  server.drop.add(2);
  for (const text of ['one', 'two', 'three']) must(await messenger.sendText(alice.m, PAIR, text));
  const got = must(await messenger.sync(bob.m)).received;
  assert.deepEqual(got.map((r) => [r.text, r.missingBefore]), [['one', 0], ['three', 1]]);
});

test('9: a substituted partner key stops sending until the number of the key now offered is accepted', async () => {
  const server = fakeServer();
  const alice = await device(server, 1, 5);
  const bob = await device(server, 2, 6);
  must(await messenger.sendText(alice.m, PAIR, 'before'));
  must(await messenger.sync(bob.m));
  const mallory = identityFromSeed(filled(32, 7));
  server.swapKey = encode(mallory.publicKey);
  must(await messenger.partnerIdentity(bob.m, PAIR));
  const refused = await messenger.sendText(bob.m, PAIR, 'secret');
  assert.equal(refused.ok, false);
  assert.equal(refused.error.code, 'changed_key');
  assert.equal(server.envelopes.filter((e) => e.sender === 2).length, 0);
  const channel = bob.m.state.channels[PAIR];
  const oldNumber = safetyNumber(bob.m.identity.publicKey, decode(server.keys[1]).value);
  assert.equal(acceptChangedKey(channel, bob.m.identity.publicKey, oldNumber).error.code, 'number_mismatch');
  must(acceptChangedKey(channel, bob.m.identity.publicKey, safetyNumber(bob.m.identity.publicKey, mallory.publicKey)));
});

test('storage: the device state is sealed; only the writer tab saves; followers hear of changes', async () => {
  const backend = memoryBackend();
  const held = { taken: false, waiters: [] };
  const locks = { // Web Locks with one holder; ifAvailable answers null when taken
    async request(name, options, fn) {
      const cb = typeof options === 'function' ? options : fn;
      if (options.ifAvailable && held.taken) return cb(null);
      if (held.taken) await new Promise((r) => held.waiters.push(r));
      held.taken = true;
      await cb({ name });
      held.taken = false;
      held.waiters.shift()?.();
      return undefined;
    },
  };
  const channels = [];
  const channel = () => { const c = { postMessage: (d) => channels.filter((o) => o !== c).forEach((o) => o.onmessage?.({ data: d })) }; channels.push(c); return c; };
  const writer = new Storage(backend, locks, channel());
  const follower = new Storage(backend, locks, channel());
  assert.equal(await writer.claimWriter(), 'writer');
  assert.equal(await follower.claimWriter(), 'follower');
  const key = filled(32, 9);
  let heard = 0;
  follower.on('changed', () => { heard += 1; });
  must(await writer.writeState(key, { format: 2, note: 'canary-state' }));
  assert.equal(heard, 1);
  assert.equal(JSON.stringify([...backend.data.get('state')]).includes('canary'), false);
  assert.equal(backend.data.get('state') instanceof Uint8Array, true);
  assert.equal((await follower.writeState(key, { format: 2 })).error.code, 'read_only');
  assert.equal(must(await follower.readState(key)).note, 'canary-state');
  assert.equal((await follower.readState(filled(32, 8))).error.code, 'altered');
  const promoted = new Promise((r) => follower.on('role', r));
  writer.releaseWriter();
  assert.equal(await promoted, 'writer');
  must(await follower.writeState(key, { format: 2 }));
});

test('seen seqs stay bounded whatever seqs the server picks (attack 27)', () => {
  const s = emptySeen();
  markSeen(s, 1);
  markSeen(s, Number.MAX_SAFE_INTEGER);
  for (let i = 0; i < MAX_SEEN_ABOVE + 10; i++) markSeen(s, 10 + 2 * i);
  assert.ok(s.above.length <= MAX_SEEN_ABOVE);
  assert.ok(wasSeen(s, 1));
  assert.ok(wasSeen(s, Number.MAX_SAFE_INTEGER));
});

test('§14.4: a pair\'s 1001st unopened document key stays on the server with the pair\'s later messages, until a key is opened', async () => {
  const server = fakeServer();
  const alice = await device(server, 1, 1);
  const bob = await device(server, 2, 2);
  must(await messenger.sendText(alice.m, PAIR, 'first'));
  must(await messenger.sync(bob.m));
  for (let d = 1; d <= MAX_PENDING_KEY_SHARES_PER_PAIR; d++) {
    bob.m.state.documents[d] = { pair: PAIR, keys: { [`k${d}`]: filled(32, 1) }, shared: {}, unopened: { [`k${d}`]: true } };
  }
  must(await messenger.shareDocumentKey(alice.m, PAIR, encodeKeyShare(PAIR, 5000, filled(32, 7))));
  must(await messenger.sendText(alice.m, PAIR, 'after the key'));
  const channelBefore = structuredClone(bob.m.state.channels[PAIR]);
  const refused = must(await messenger.sync(bob.m));
  assert.deepEqual(refused.received, []);
  assert.deepEqual(refused.leftOnServer, [PAIR]);
  assert.equal(server.acked[2], 1, 'neither the key nor the message after it is acknowledged');
  assert.equal(bob.m.state.documents[5000], undefined);
  assert.deepEqual(bob.m.state.channels[PAIR], channelBefore, 'the session did not move');
  delete bob.m.state.documents[1].unopened.k1; // the member opened a document: room for one more
  const taken = must(await messenger.sync(bob.m));
  assert.deepEqual(taken.received.map((r) => r.text), ['after the key']);
  assert.equal(server.acked[2], 3);
  assert.ok(bob.m.state.documents[5000].unopened);
});

test('§12.8: a call signal goes as kind 03, comes out as a call signal, never in the chat, and leaves no gap', async () => {
  const server = fakeServer();
  const alice = await device(server, 1, 5);
  const bob = await device(server, 2, 6);
  const signal = { callId: filled(16, 1), replyTo: null, meeting: 3, type: 'offer', restart: false, sdp: 'v=0\r\n', fingerprint: filled(32, 2), mediaKey: filled(32, 3), sentAt: Date.now() };
  must(await messenger.sendCallSignal(alice.m, PAIR, signal));
  must(await messenger.sendCallSignal(alice.m, PAIR, { ...signal, sentAt: Date.now() - 10 * 60 * 1000 }));
  must(await messenger.sendText(alice.m, PAIR, 'after the call'));
  assert.equal(alice.m.state.chats[PAIR].history.length, 1, 'the sender keeps no call signal in the chat');
  const synced = must(await messenger.sync(bob.m));
  assert.equal(synced.callSignals.length, 2);
  assert.deepEqual(synced.callSignals[0].callSignal.mediaKey, filled(32, 3));
  assert.equal(synced.callSignals[0].from, 1);
  assert.equal(synced.callSignals[1].callSignal, null);
  assert.equal(synced.callSignals[1].reason, 'stale');
  assert.deepEqual(synced.received.map((r) => [r.text, r.counter, r.missingBefore]), [['after the call', 3, 0]]);
  assert.deepEqual(bob.m.state.chats[PAIR].history.map((h) => h.text), ['after the call']);
  assert.deepEqual(bob.m.state.chats[PAIR].problems, [], 'nothing set aside');
  assert.equal(server.acked[2], 3, 'every envelope acknowledged');
  assert.equal(synced.problems.length, 0);
  const bad = await messenger.sendCallSignal(alice.m, PAIR, { ...signal, mediaKey: filled(31, 3) });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'invalid');
});
