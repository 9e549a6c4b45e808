// Attacks found reviewing the web client as a hostile server would (SECURITY.md numbers where one fits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResult } from '../src/protocol/replies.js';
import { parseJson } from '../src/protocol/json.js';
import { MAX_TIME_MS } from '../src/protocol/fields.js';
import { DocumentBook, keepKeyShare, unopenedKeyShares, verifiedContractState, MAX_PENDING_KEY_SHARES_PER_PAIR } from '../src/client/documents.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { openIdbBackend } from '../src/client/idb.js';
import { newState, prepareDevice, MAX_ONE_TIME_PREKEYS_KEPT } from '../src/client/messenger.js';
import { ONE_TIME_PREKEY_BATCH } from '../src/protocol/device_keys.js';
import { encodeKeyShare } from '../src/protocol/document_version.js';
import { filled } from '../src/protocol/bytes.js';
import { assertFails, must } from './helpers.js';

function body(text) {
  const r = parseJson(text);
  assert.ok(r.ok);
  return r.value;
}

const envelope = (sentAt) => `{"pair":7,"seq":1,"sender":2,"sender_device":1,"client_id":"AAAAAAAAAAAAAAAAAAAAAA","body":"AQ","sent_at":${sentAt}}`;

test('27: a server time beyond what a Date holds is refused, so no screen throws showing it', () => {
  assert.equal(new Date(MAX_TIME_MS).getTime(), MAX_TIME_MS);
  assert.ok(Number.isNaN(new Date(MAX_TIME_MS + 1).getTime()));
  assert.ok(decodeResult('message.sync', body(`{"envelopes":[${envelope(MAX_TIME_MS)}],"more":false}`)).ok);
  const late = decodeResult('message.sync', body(`{"envelopes":[${envelope(MAX_TIME_MS + 1)}],"more":false}`));
  assert.equal(late.ok, false);
  assert.match(late.error.message, /sent_at/);
  const sent = decodeResult('message.send', body(`{"pair":7,"seq":1,"sent_at":${2 ** 53 - 1},"duplicate":false}`), { pair: 7 });
  assert.equal(sent.ok, false);
});

test('29: a hostile partner\'s key shares naming the victim\'s other pair\'s documents neither escape its own cap nor block that pair', () => {
  const P1 = 1;
  const P2 = 2;
  const documents = {};
  // Document 50 is verified on this device as pair 2's; document 60 is known to pair 2 only by a share.
  documents[50] = { pair: P2, identity: { pair: P2, document: 50, kind: 1, meeting: 0, owner: 0 }, head: null, keys: {}, shared: {}, toShare: {}, unopened: {} };
  must(keepKeyShare(documents, P2, encodeKeyShare(P2, 60, filled(32, 200))));
  assertFails(keepKeyShare(documents, P1, encodeKeyShare(P1, 50, filled(32, 201))), 'set_aside');
  assert.deepEqual(documents[50].keys, {});
  let key = 0;
  const share = (pair, doc) => {
    key += 1;
    const bytes = new Uint8Array(32);
    new DataView(bytes.buffer).setUint32(0, key);
    return keepKeyShare(documents, pair, encodeKeyShare(pair, doc, bytes));
  };
  for (let i = 1; i < MAX_PENDING_KEY_SHARES_PER_PAIR; i++) must(share(P1, 60));
  assert.equal(unopenedKeyShares(documents, P1), MAX_PENDING_KEY_SHARES_PER_PAIR - 1);
  assert.equal(unopenedKeyShares(documents, P2), 1);
  must(share(P1, 1000));
  assertFails(share(P1, 60), 'forbidden'); // pair 1's cap holds whichever document its shares name
  must(share(P2, 60)); // pair 2's partner is not blocked by what pair 1's partner sent
});

test('24: a contract the server calls signed by both is shown as signed only as far as the signatures verify', async () => {
  const me = identityFromSeed(filled(32, 1));
  const partner = identityFromSeed(filled(32, 2));
  const book = new DocumentBook({ call: null, identity: me, me: 1, documents: {}, persist: async () => ({ ok: true, value: null }),
    partnerKeys: async () => ({ ok: true, value: { accepted: [partner.publicKey], changed: null } }), sendKeyShare: null });
  const read = { version: 3, info: { id: 9, pair: 4, kind: 'contract' }, hash: filled(32, 7) };
  const claimed = { pair: 4, state: 'signed', document: 9, version: 3, versionHash: filled(32, 7), signedAt: 1,
    signatures: [{ member: 1, signature: filled(64, 3), signedAt: 1 }, { member: 2, signature: filled(64, 4), signedAt: 1 }] };
  const signers = must(await book.verifiedSigners(claimed, read));
  assert.deepEqual(signers, { me: false, partner: false });
  assert.equal(verifiedContractState(signers), 'draft');
  assert.equal(verifiedContractState({ me: true, partner: false }), 'signed_by_one');
  assert.equal(verifiedContractState({ me: true, partner: true }), 'signed');
});

// A stand-in IndexedDB that records how each transaction was asked for.
function recordingIndexedDb(seen) {
  const later = (fn) => setTimeout(fn, 0);
  const db = {
    transaction(store, mode, options) {
      seen.push({ mode, durability: options?.durability ?? 'default' });
      const tx = { objectStore: () => ({
        put: () => { const r = {}; later(() => { r.result = undefined; r.onsuccess?.(); tx.oncomplete?.(); }); return r; },
        get: () => { const r = {}; later(() => { r.result = undefined; r.onsuccess?.(); }); return r; },
        delete: () => { const r = {}; later(() => { r.onsuccess?.(); tx.oncomplete?.(); }); return r; },
      }) };
      return tx;
    },
  };
  return { open: () => { const r = { result: db }; later(() => r.onsuccess()); return r; } };
}

test('20: a device state write counts as saved only once IndexedDB flushed it (strict durability), since an acknowledgement follows it', async () => {
  const seen = [];
  const backend = must(await openIdbBackend(recordingIndexedDb(seen)));
  must(await backend.put('state', new Uint8Array(3)));
  must(await backend.remove('state'));
  must(await backend.get('state'));
  assert.deepEqual(seen, [{ mode: 'readwrite', durability: 'strict' }, { mode: 'readwrite', durability: 'strict' }, { mode: 'readonly', durability: 'default' }]);
});

test('11: the server cannot hide a document this device has read behind a fresh one of the same kind and meeting', async () => {
  const me = identityFromSeed(filled(32, 1));
  const view = (id, latest) => ({ id, pair: 4, kind: 'agenda', meeting: 8, owner: null, latest_version: latest, size: 0, created_at: 1, updated_at: 1, format: 2 });
  let listed = [];
  let opened = null;
  const call = async (type, body, asked) => {
    if (type === 'document.list') return decodeResult(type, { pair: 4, documents: listed }, asked);
    if (type === 'document.open') return decodeResult(type, { document: opened }, asked);
    return { ok: false, error: { code: 'not_found', message: 'no' } };
  };
  const documents = {
    5: { pair: 4, identity: { pair: 4, document: 5, kind: 1, meeting: 8, owner: 0 }, head: { version: 3, hash: filled(32, 9), partnerKey: 0 },
      keys: {}, shared: {}, toShare: {}, unopened: {} },
  };
  const book = new DocumentBook({ call, identity: me, me: 1, documents, persist: async () => ({ ok: true, value: null }),
    partnerKeys: null, sendKeyShare: null });
  const request = { pair: 4, kind: 'agenda', meeting: 8 };
  listed = [view(6, 0)];
  const hidden = await book.list(request);
  assertFails(hidden, 'tampered');
  assert.equal(hidden.error.reason, 'rolled_back');
  listed = [];
  assertFails(await book.find(request), 'tampered');
  opened = view(6, 0);
  const swapped = await book.open(request);
  assertFails(swapped, 'tampered');
  assert.equal(swapped.error.reason, 'misplaced');
  listed = [view(6, 0), view(5, 0)];
  assert.deepEqual(must(await book.list(request)).map((d) => d.id), [5, 6]);
  assert.equal(must(await book.find(request)).id, 5);
  opened = view(5, 0);
  assert.equal(must(await book.open(request)).id, 5);
  assert.equal(must(await book.list({ pair: 4, kind: 'agenda', meeting: 9 })).length, 0); // another meeting's agenda is not this one
});

test('27: a server that keeps saying "more" with versions nobody signed is refused at its first page, not fetched until the page runs out of memory', async () => {
  const me = identityFromSeed(filled(32, 1));
  const partner = identityFromSeed(filled(32, 2));
  const wire = { id: 5, pair: 4, kind: 'goals', meeting: null, owner: null, latest_version: 0, size: 0, created_at: 1, updated_at: 1, format: 2 };
  let calls = 0;
  const call = async (type, body, asked) => {
    calls += 1;
    if (calls > 50) return { ok: false, error: { code: 'gave_up', message: 'the test stopped answering' } };
    const versions = [];
    for (let i = 0; i < 100; i++) versions.push({ version: body.from + i, author: 2, body: 'A'.repeat(400), signature: 'A'.repeat(85) + 'A', created_at: 1 });
    return decodeResult(type, { document: wire, versions, more: true }, asked);
  };
  const book = new DocumentBook({ call, identity: me, me: 1, documents: {}, persist: async () => ({ ok: true, value: null }),
    partnerKeys: async () => ({ ok: true, value: { accepted: [partner.publicKey], changed: null } }), sendKeyShare: null });
  const r = await book.read({ id: 5, pair: 4, kind: 'goals', meeting: null, owner: null, latestVersion: 0 });
  assertFails(r, 'tampered');
  assert.equal(calls, 1);
});

test('29: a server that says "low" again and again cannot make this device keep one-time prekey secrets without bound', async () => {
  const identity = identityFromSeed(filled(32, 1));
  const state = { ...newState(identity), keysPublished: true };
  let published = 0;
  const connection = { request: async (type) => {
    if (type === 'keys.status') return { ok: true, value: { device: 1, oneTimePrekeys: 0, low: true } };
    if (type === 'keys.publish') { published += 1; return { ok: true, value: { device: 1, oneTimePrekeys: 0, low: true } }; }
    return { ok: false, error: { code: 'not_found', message: 'no' } };
  } };
  const m = { connection, identity, state, persist: async () => ({ ok: true, value: null }) };
  for (let i = 0; i < 60; i++) must(await prepareDevice(m, 0));
  assert.equal(state.deviceKeys.oneTime.length, MAX_ONE_TIME_PREKEYS_KEPT);
  assert.equal(published, Math.ceil((MAX_ONE_TIME_PREKEYS_KEPT - ONE_TIME_PREKEY_BATCH) / ONE_TIME_PREKEY_BATCH));
});

test('22 in the browser: a follower tab\'s DocumentBook writes nothing, so no document key can exist only in a tab that cannot save it', async () => {
  const me = identityFromSeed(filled(32, 1));
  let calls = 0;
  const call = async () => { calls += 1; return { ok: false, error: { code: 'not_found', message: 'no' } }; };
  const book = new DocumentBook({ call, identity: me, me: 1, documents: {}, persist: async () => ({ ok: true, value: null }),
    partnerKeys: null, sendKeyShare: async () => { calls += 1; return { ok: true, value: null }; }, readOnly: true });
  const info = { id: 5, pair: 4, kind: 'goals', meeting: null, owner: null, latestVersion: 0 };
  assertFails(await book.write(info, 0, 'text'), 'read_only');
  assertFails(await book.sharePending(), 'read_only');
  assert.equal(calls, 0);
});
