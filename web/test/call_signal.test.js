// PROTOCOL.md §12.8: call signals (kind 03) encode to the documented JSON bytes and decode with
// every field checked and named limits; hostile payloads give a reason, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeCallSignal, decodeCallSignal, checkCallSignal, fingerprintFromSdp, newCallId, newMediaKey,
  MAX_SDP_BYTES, MAX_CANDIDATE_BYTES, MAX_SIGNAL_AGE_MS, MAX_SIGNAL_AHEAD_MS,
} from '../src/protocol/call_signal.js';
import { filled, fromUtf8, utf8 } from '../src/protocol/bytes.js';

const NOW = 1800000000000;
const offer = () => ({ callId: filled(16, 1), replyTo: null, meeting: 7, type: 'offer', restart: false, sdp: 'v=0\r\n', fingerprint: filled(32, 2), mediaKey: filled(32, 3), sentAt: NOW });
const candidate = () => ({ callId: filled(16, 1), replyTo: filled(16, 9), meeting: 7, type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host', sdpMid: '0', sdpMLineIndex: 0 }, sentAt: NOW });
const reason = (r) => (r.ok ? 'ok' : r.error.code);

test('an offer, answer, candidate and hang-up round trip', () => {
  for (const s of [offer(), { ...offer(), type: 'answer', replyTo: filled(16, 9) }, { ...offer(), restart: true }, candidate(),
    { callId: filled(16, 1), replyTo: filled(16, 9), meeting: 7, type: 'hangup', sentAt: NOW }]) {
    const r = decodeCallSignal(encodeCallSignal(s), NOW + 1000);
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.value.type, s.type);
    assert.deepEqual(r.value.callId, s.callId);
    assert.equal(r.value.restart, s.restart === true);
    if (s.sdp) assert.equal(r.value.sdp, s.sdp);
    if (s.candidate) assert.deepEqual(r.value.candidate, s.candidate);
  }
});

test('the bytes are the documented JSON, keys in order, no spaces', () => {
  assert.equal(fromUtf8(encodeCallSignal(candidate())),
    '{"v":1,"call":"AQEBAQEBAQEBAQEBAQEBAQ","reply_to":"CQkJCQkJCQkJCQkJCQkJCQ","meeting":7,"type":"candidate","restart":false,"sdp":null,' +
    '"candidate":{"candidate":"candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host","sdp_mid":"0","sdp_mline_index":0},' +
    '"fingerprint":null,"media_key":null,"sent_at":1800000000000}');
});

test('stale and future signals are refused by the local clock', () => {
  const bytes = encodeCallSignal(offer());
  assert.equal(reason(decodeCallSignal(bytes, NOW + MAX_SIGNAL_AGE_MS)), 'ok');
  assert.equal(reason(decodeCallSignal(bytes, NOW + MAX_SIGNAL_AGE_MS + 1)), 'stale');
  assert.equal(reason(decodeCallSignal(bytes, NOW - MAX_SIGNAL_AHEAD_MS)), 'ok');
  assert.equal(reason(decodeCallSignal(bytes, NOW - MAX_SIGNAL_AHEAD_MS - 1)), 'future');
});

test('size limits are named and enforced', () => {
  const big = { ...offer(), sdp: 'a'.repeat(MAX_SDP_BYTES) };
  assert.equal(reason(decodeCallSignal(encodeCallSignal(big), NOW)), 'ok');
  const tooBig = utf8(fromUtf8(encodeCallSignal(big)).replace('"sdp":"a', '"sdp":"aa'));
  assert.equal(reason(decodeCallSignal(tooBig, NOW)), 'too_large');
  const c = candidate();
  c.candidate.candidate = 'x'.repeat(MAX_CANDIDATE_BYTES + 1);
  assert.throws(() => encodeCallSignal(c), TypeError);
});

test('hostile payloads give a reason, never an exception', () => {
  const good = fromUtf8(encodeCallSignal(offer()));
  const cases = {
    malformed: [new Uint8Array([0xff, 0xfe]), utf8(''), utf8('[]'), utf8('null'), utf8(good.slice(0, -1)),
      utf8(good.replace('"type":"offer"', '"type":"ring"')),
      utf8(good.replace('"restart":false', '"restart":1')),
      utf8(good.replace('"meeting":7', '"meeting":7.0')),
      utf8(good.replace('"meeting":7', '"meeting":0')),
      utf8(good.replace('"sent_at":1800000000000', '"sent_at":-1')),
      utf8(good.replace('"call":"AQEBAQEBAQEBAQEBAQEBAQ"', '"call":"AQEBAQEBAQEBAQEBAQEBAR"')), // non-canonical
      utf8(good.replace('"media_key":"', '"media_key":"AA')),
      utf8(good.replace('"fingerprint":"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI"', '"fingerprint":null')),
      utf8(good.replace('"candidate":null', '"candidate":{}')),
      utf8(good.replace('{"v":1,', '{"v":1,"v":1,')), // duplicate key
      utf8(good.replace('{"v":1,', '{"v":1,"extra":0,')),
      utf8(good.replace('"sdp":"v=0\\r\\n"', '"sdp":""')),
      utf8(fromUtf8(encodeCallSignal({ ...offer(), type: 'answer' })).replace('"restart":false', '"restart":true')),
      utf8(fromUtf8(encodeCallSignal(candidate())).replace('"sdp_mline_index":0', '"sdp_mline_index":65536')),
      utf8(fromUtf8(encodeCallSignal(candidate())).replace('"sdp":null', '"sdp":"v=0"')),
      null, 'text'],
    version: [utf8(good.replace('{"v":1,', '{"v":2,'))],
  };
  for (const [code, list] of Object.entries(cases)) {
    for (const bytes of list) assert.equal(reason(decodeCallSignal(bytes, NOW)), code, String(bytes instanceof Uint8Array ? fromUtf8(bytes) : bytes));
  }
});

test('a signal about another meeting is refused by the meeting joined', () => {
  const s = decodeCallSignal(encodeCallSignal(offer()), NOW).value;
  assert.equal(reason(checkCallSignal(s, { meeting: 7 })), 'ok');
  assert.equal(reason(checkCallSignal(s, { meeting: 8 })), 'other_meeting');
});

test('fresh call ids and media keys, and the fingerprint an SDP states', () => {
  assert.equal(newCallId().length, 16);
  assert.notDeepEqual(newMediaKey(), newMediaKey());
  const fp = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');
  assert.deepEqual(fingerprintFromSdp(`v=0\r\na=fingerprint:sha-256 ${fp}\r\n`), Uint8Array.from({ length: 32 }, (_, i) => i));
  assert.equal(fingerprintFromSdp('v=0\r\na=fingerprint:sha-1 00:11\r\n'), null);
});

test('call.ice_servers results are checked field by field', async () => {
  const { decodeResult } = await import('../src/protocol/replies.js');
  const good = { ice_servers: [{ urls: ['stun:turn.example.org:3478'] }, { urls: ['turn:turn.example.org:3478?transport=udp'], username: '1800000000:42', credential: 'wknoRh/ujpRR3s1pEY6KENDeBOU=' }], expires_at: 1800000000000 };
  const r = decodeResult('call.ice_servers', good);
  assert.ok(r.ok);
  assert.deepEqual(r.value.iceServers[1], { urls: ['turn:turn.example.org:3478?transport=udp'], username: '1800000000:42', credential: 'wknoRh/ujpRR3s1pEY6KENDeBOU=' });
  assert.equal(r.value.expiresAt, 1800000000000);
  const bad = [
    { ...good, ice_servers: [{ urls: ['http://evil.example'] }] },
    { ...good, ice_servers: [{ urls: [] }] },
    { ...good, ice_servers: [{ urls: 'stun:x' }] },
    { ...good, ice_servers: [{ urls: ['turn:x'], username: 'u' }] },
    { ...good, ice_servers: [{ urls: [`stun:${'a'.repeat(600)}`] }] },
    { ...good, ice_servers: Array.from({ length: 17 }, () => ({ urls: ['stun:x'] })) },
    { ice_servers: good.ice_servers },
  ];
  for (const body of bad) assert.equal(decodeResult('call.ice_servers', body).ok, false, JSON.stringify(body).slice(0, 80));
});
