// Nothing a hostile server or partner sends makes a decoder throw (attack 32, SECURITY.md 19 in
// spirit): thousands of random and mutated inputs go through every entry point and each returns
// a result object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must } from './helpers.js';
import { decodeFrame } from '../src/protocol/frame.js';
import { decodeResult, KNOWN_RESULTS } from '../src/protocol/replies.js';
import { decodeEvent, KNOWN_EVENTS } from '../src/protocol/events.js';
import { parseJson } from '../src/protocol/json.js';
import { parseMessage } from '../src/protocol/message_format.js';
import { parseHeader, openVersion, parseKeyShare } from '../src/protocol/document_version.js';
import { decode } from '../src/protocol/base64url.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { filled, utf8 } from '../src/protocol/bytes.js';
import { systemRandom } from '../src/protocol/random.js';
import { generateDeviceKeys } from '../src/protocol/device_keys.js';
import { newPairChannel, openFromPartner } from '../src/protocol/pair_channel.js';
import { newDeviceState, openDeviceState, sealDeviceState } from '../src/protocol/device_state.js';

let seed = 12345;
function rnd(n) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
}
const PIECES = ['{', '}', '[', ']', '"', ':', ',', '1', '-1', '1.5', '1e9', 'null', 'true', '"a"', '"pair"', '"body"',
  '"type"', '"result"', '"event"', '"error"', '"id"', '\\u0000', '"\\ud800"', '9007199254740993', ' '];

function randomText() {
  let s = '';
  const n = rnd(40);
  for (let i = 0; i < n; i++) s += PIECES[rnd(PIECES.length)];
  return s;
}

function isResult(r) {
  return r !== null && typeof r === 'object' && typeof r.ok === 'boolean';
}

test('random and mutated frames never throw', () => {
  const valid = '{"id":1,"type":"result","body":{"envelopes":[{"pair":7,"seq":1,"sender":2,"sender_device":1,"client_id":"AAAAAAAAAAAAAAAAAAAAAA","body":"AQ","sent_at":1}],"more":false}}';
  for (let i = 0; i < 3000; i++) {
    let text;
    if (i % 2 === 0) text = randomText();
    else {
      const at = rnd(valid.length);
      text = valid.slice(0, at) + PIECES[rnd(PIECES.length)] + valid.slice(at + rnd(3));
    }
    const f = decodeFrame(text);
    assert.ok(isResult(f));
    assert.ok(isResult(parseJson(text)));
    if (f.ok && f.value.kind !== 'error') {
      for (const type of KNOWN_RESULTS) assert.ok(isResult(decodeResult(type, f.value.body, { pair: 7 })));
      for (const name of KNOWN_EVENTS) assert.ok(isResult(decodeEvent(name, f.value.body)));
    }
  }
});

test('random values in every result and event body never throw', () => {
  const values = [null, 0, -1, 2 ** 60, 'x', '', [], {}, [1, 2], { a: 1 }, true, 'AAAA', '\u202e'];
  for (const type of KNOWN_RESULTS) {
    for (let i = 0; i < 30; i++) {
      const body = Object.create(null);
      for (const key of ['pair', 'document', 'member', 'bundle', 'envelopes', 'more', 'contract', 'meeting', 'versions', 'entries']) {
        if (rnd(2)) body[key] = values[rnd(values.length)];
      }
      assert.ok(isResult(decodeResult(type, body, {})));
    }
  }
  for (const name of KNOWN_EVENTS) assert.ok(isResult(decodeEvent(name, { envelope: 5, pair: 'x' })));
  for (const type of KNOWN_RESULTS) assert.ok(isResult(decodeResult(type, undefined, undefined)));
});

test('random bytes as session messages, document versions, key shares and sealed state never throw', () => {
  const random = systemRandom();
  const identity = identityFromSeed(filled(32, 1));
  const keys = generateDeviceKeys(identity, 0, random, 2);
  const channel = newPairChannel(7);
  for (let i = 0; i < 300; i++) {
    const bytes = new Uint8Array(rnd(400));
    for (let j = 0; j < bytes.length; j++) bytes[j] = rnd(256);
    if (bytes.length > 0 && rnd(2)) bytes[0] = [0x21, 0x22, 0x02, 0x01][rnd(4)];
    assert.ok(isResult(parseMessage(bytes)));
    assert.ok(isResult(openFromPartner(channel, identity, keys, bytes, random)));
    assert.ok(isResult(parseHeader(bytes)));
    assert.ok(isResult(openVersion(bytes, filled(32, 3))));
    assert.ok(isResult(parseKeyShare(bytes)));
    assert.ok(isResult(openDeviceState(filled(32, 4), bytes)));
    assert.ok(isResult(decode(String.fromCharCode(...bytes.subarray(0, 50)))));
  }
});

test('device state: sealed and opened; another format is refused', () => {
  const random = systemRandom();
  const identity = identityFromSeed(filled(32, 1));
  const state = newDeviceState(generateDeviceKeys(identity, 0, random, 2));
  state.channels[7] = newPairChannel(7);
  const key = filled(32, 9);
  assert.deepEqual(must(openDeviceState(key, sealDeviceState(key, state))), state);
  const v1 = sealDeviceState(key, { ...state, format: 1 });
  assert.equal(openDeviceState(key, v1).error.code, 'unreadable');
  assert.equal(openDeviceState(key, sealDeviceState(key, 5)).ok, false);
  assert.equal(openDeviceState(key, utf8('not sealed')).ok, false);
});
