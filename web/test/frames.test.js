// §2/§3: strict JSON, frame envelopes and checked result/event bodies. Hostile frames (duplicate
// keys, fractions, huge numbers, wrong types, missing fields, bad base64url, control characters,
// answers about something else) give an error value naming the field; nothing throws (attack 32).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must, assertFails } from './helpers.js';
import { parseJson, JsonFraction } from '../src/protocol/json.js';
import { decodeFrame, encodeRequest } from '../src/protocol/frame.js';
import { decodeResult } from '../src/protocol/replies.js';
import { decodeEvent } from '../src/protocol/events.js';
import { encode } from '../src/protocol/base64url.js';
import { filled } from '../src/protocol/bytes.js';
import { textProblem } from '../src/protocol/text.js';

const b = (n, v = 1) => encode(filled(n, v));

test('strict JSON: duplicate keys at any depth, trailing text and bad escapes are malformed', () => {
  assertFails(parseJson('{"a":1,"a":2}'), 'malformed');
  assertFails(parseJson('{"a":{"b":1,"b":1}}'), 'malformed');
  assertFails(parseJson('[{"x":1,"x":1}]'), 'malformed');
  assertFails(parseJson('{"a":1} x'), 'malformed');
  assertFails(parseJson('{"a":"\\x"}'), 'malformed');
  assertFails(parseJson('{"a":"\u0001"}'), 'malformed');
  assertFails(parseJson('{"a":01}'), 'malformed');
  assertFails(parseJson('['.repeat(100) + ']'.repeat(100)), 'malformed');
  assertFails(parseJson(''), 'malformed');
  assertFails(parseJson(null), 'malformed');
  assert.ok(must(parseJson('{"a":1.0}')).a instanceof JsonFraction);
  assert.ok(must(parseJson('{"a":1e3}')).a instanceof JsonFraction);
  const proto = must(parseJson('{"__proto__":{"polluted":1}}'));
  assert.equal(({}).polluted, undefined);
  assert.equal(proto.__proto__.polluted, 1);
  assert.equal(must(parseJson('{"s":"\\ud83d\\ude00 \\u00e6"}')).s, '😀 æ');
});

test('§2 text: control, C1, bidi and CR refused; newline only in long fields; lone surrogates refused', () => {
  assert.equal(textProblem('Maria', 100), null);
  assert.equal(textProblem('tab\there', 100), null);
  for (const bad of ['a\nb', 'a\rb', 'a\u0085b', 'a\u202eb', 'a\u2066b', 'a\u061cb', 'a\u200fb', 'a\u007fb', '\ud800x', '']) {
    assert.notEqual(textProblem(bad, 100), null, JSON.stringify(bad));
  }
  assert.equal(textProblem('line\nline', 2000), null);
  assert.notEqual(textProblem('line\r\nline', 2000), null);
  assert.notEqual(textProblem('æ'.repeat(51), 100), null, '102 bytes');
  assert.equal(textProblem('', 2000, true), null);
});

test('frame envelopes: result, error, event; anything else is unreadable', () => {
  assert.deepEqual({ ...must(decodeFrame('{"id":7,"type":"result","body":{"pairs":[]}}')) }.kind, 'result');
  const e = must(decodeFrame('{"id":7,"type":"error","error":{"code":"brand_new","message":"x","field":"pair"}}'));
  assert.equal(e.code, 'internal', 'an unknown code is internal (§11)');
  assert.equal(must(decodeFrame('{"id":null,"type":"error","error":{"code":"malformed","message":"m"}}')).id, null);
  assert.equal(must(decodeFrame('{"type":"event","event":"message","body":{}}')).event, 'message');
  for (const bad of ['[]', '{"type":"result","id":1.5,"body":{}}', '{"type":"result","id":-1,"body":{}}',
    '{"type":"result","id":1}', '{"type":"nope"}', '{"type":"error","id":1,"error":{"code":"x"}}',
    '{"type":"error","id":1,"error":{"code":"x","message":"\u001b[31m"}}', '{"type":"event","event":"<b>","body":{}}',
    '{"type":"result","id":9007199254740993,"body":{}}', 'not json']) {
    const r = decodeFrame(bad);
    assertFails(r, 'unreadable_reply');
  }
  assert.equal(encodeRequest(1, 'hello', { version: 2 }), '{"id":1,"type":"hello","body":{"version":2}}');
  assert.equal(encodeRequest(2, 'whoami'), '{"id":2,"type":"whoami"}');
});

const envelope = (over = {}) => ({ pair: 7, seq: 1, sender: 2, sender_device: 1, client_id: b(16), body: b(100), sent_at: 1, ...over });

test('message.sync: one bad envelope refuses the whole batch, naming the field', () => {
  must(decodeResult('message.sync', { envelopes: [envelope(), envelope({ seq: 2 })], more: false }));
  const cases = [
    [{ seq: 0 }, 'envelopes[1].seq'], [{ seq: 2 ** 53 }, 'envelopes[1].seq'], [{ seq: new JsonFraction(2) }, 'envelopes[1].seq'],
    [{ seq: '2' }, 'envelopes[1].seq'], [{ client_id: b(15) }, 'envelopes[1].client_id'], [{ body: 'AQ==' }, 'envelopes[1].body'],
    [{ body: '' }, 'envelopes[1].body'], [{ sender_device: 0 }, 'envelopes[1].sender_device'], [{ sent_at: null }, 'envelopes[1].sent_at'],
  ];
  for (const [over, field] of cases) {
    const r = decodeResult('message.sync', { envelopes: [envelope(), envelope(over)], more: false });
    assertFails(r, 'unreadable_reply');
    assert.equal(r.error.field, field);
  }
  const missing = envelope();
  delete missing.pair;
  assert.equal(decodeResult('message.sync', { envelopes: [missing], more: false }).error.field, 'envelopes[0].pair');
  assertFails(decodeResult('message.sync', { envelopes: Array(501).fill(envelope()), more: false }));
  assertFails(decodeResult('message.sync', { envelopes: [], more: 'no' }));
  assertFails(decodeResult('message.sync', null));
  assertFails(decodeResult('message.sync', { envelopes: {}, more: false }));
});

const bundle = (over = {}) => ({ member: 3, identity_key: b(32), device: 1, identity_dh_key: b(32, 2), identity_dh_signature: b(64),
  signed_prekey: { id: 1, key: b(32, 3), signature: b(64) }, one_time_prekey: null, ...over });

test('keys.fetch: every nested field checked; one_time_prekey may be null', () => {
  must(decodeResult('keys.fetch', { bundle: bundle() }));
  must(decodeResult('keys.fetch', { bundle: bundle({ one_time_prekey: { id: 2, key: b(32) } }) }));
  const r = decodeResult('keys.fetch', { bundle: bundle({ signed_prekey: { id: 1, key: b(31), signature: b(64) } }) });
  assert.equal(r.error.field, 'bundle.signed_prekey.key');
  assertFails(decodeResult('keys.fetch', { bundle: bundle({ signed_prekey: { id: 4294967295, key: b(32), signature: b(64) } }) }));
});

test('results must be about what was asked (attack 24)', () => {
  const doc = { id: 11, pair: 7, kind: 'goals', meeting: null, owner: null, latest_version: 0, size: 0, created_at: 1, updated_at: 1, format: 2 };
  must(decodeResult('document.open', { document: doc }, { pair: 7, kind: 'goals' }));
  assertFails(decodeResult('document.open', { document: doc }, { pair: 7, kind: 'reflection' }));
  assertFails(decodeResult('document.open', { document: doc }, { pair: 8, kind: 'goals' }));
  assertFails(decodeResult('document.open', { document: { ...doc, kind: 'agenda' } }, { pair: 7, kind: 'agenda', meeting: 3 }));
  assertFails(decodeResult('document.open', { document: { ...doc, meeting: 4 } }, { pair: 7, kind: 'goals' }), 'unreadable_reply');
  assertFails(decodeResult('document.open', { document: { ...doc, size: 300, latest_version: 1 } }, { pair: 7, kind: 'goals' }));
  must(decodeResult('document.open', { document: { ...doc, size: 142 + 80, latest_version: 1 } }, { pair: 7, kind: 'goals' }));
  assertFails(decodeResult('document.get', { document: doc, versions: [], more: false }, { document: 12 }));
  const send = { pair: 7, seq: 3, sent_at: 5, duplicate: false };
  must(decodeResult('message.send', send, { pair: 7 }));
  assertFails(decodeResult('message.send', send, { pair: 8 }));
  const member = { id: 1, name: 'Maria', identity_key: b(32), may_create_programmes: false, created_at: 1 };
  must(decodeResult('login', { member }, { identityKey: filled(32, 1) }));
  assertFails(decodeResult('login', { member }, { identityKey: filled(32, 2) }));
  assertFails(decodeResult('keys.identity', { pair: 8, member: 2, name: 'x', identity_key: b(32) }, { pair: 7 }));
  assertFails(decodeResult('no.such.type', {}));
});

test('cross-field checks: contract hash with version, meeting agenda, access-log fields', () => {
  const contract = { pair: 7, state: 'none', document: null, version: 0, version_hash: null, signatures: [], signed_at: null };
  must(decodeResult('contract.status', { contract }, { pair: 7 }));
  assertFails(decodeResult('contract.status', { contract: { ...contract, version_hash: b(32) } }, { pair: 7 }));
  assertFails(decodeResult('contract.status', { contract: { ...contract, signatures: [1, 2, 3] } }, { pair: 7 }));
  const meeting = { id: 1, pair: 7, status: 'scheduled', scheduled_at: 5, started_at: null, ended_at: null, cancelled_at: null,
    present: [], both_present_ms: 0, held: false, agenda: { shared_ahead: false, ahead_ms: null }, feedback_from: [] };
  must(decodeResult('meeting.schedule', { meeting }, { pair: 7 }));
  assertFails(decodeResult('meeting.schedule', { meeting: { ...meeting, agenda: { shared_ahead: false, ahead_ms: 5 } } }, { pair: 7 }));
  assertFails(decodeResult('meeting.schedule', { meeting: { ...meeting, status: 'held' } }, { pair: 7 }));
  assertFails(decodeResult('meeting.join', { meeting }, { meeting: 2 }));
  const entry = { pair: 7, seq: 1, coordinator: { id: 3, name: '' }, at: 1, what: 'report', fields: ['pair', 'status'],
    fields_text: 'pair,status', previous_hash: b(32, 0), hash: b(32) };
  must(decodeResult('access_log.list', { pair: 7, entries: [entry], more: false }, { pair: 7 }));
  assertFails(decodeResult('access_log.list', { pair: 7, entries: [{ ...entry, fields_text: 'pair' }], more: false }, { pair: 7 }));
  assertFails(decodeResult('access_log.list', { pair: 7, entries: [{ ...entry, what: 'peek\u001b' }], more: false }, { pair: 7 }));
  assertFails(decodeResult('access_log.list', { pair: 7, entries: [{ ...entry, fields: ['pair,x'], fields_text: 'pair,x' }], more: false }, { pair: 7 }));
});

test('events: known ones decoded, unknown and malformed ones refused as values', () => {
  must(decodeEvent('message', { envelope: envelope() }));
  must(decodeEvent('presence', { pair: 7, member: 2, online: true }));
  assertFails(decodeEvent('presence', { pair: 7, member: 2, online: 1 }), 'unreadable_reply');
  assertFails(decodeEvent('new.thing', {}), 'unknown_event');
  const pair = { id: 7, programme: 1, mentor: { id: 2, name: 'A' }, mentee: { id: 2, name: 'B' }, formed_at: 1, status: 'active', ended_at: null, your_role: 'mentor' };
  assertFails(decodeEvent('pair.formed', { pair }), 'unreadable_reply');
  must(decodeEvent('pair.formed', { pair: { ...pair, mentee: { id: 3, name: 'B' } } }));
  assertFails(decodeEvent('pair.formed', { pair: { ...pair, mentee: { id: 3, name: 'B\u202e' } } }));
});
