// Attacks found reviewing the web client as a hostile server would (SECURITY.md numbers where one fits).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeResult } from '../src/protocol/replies.js';
import { parseJson } from '../src/protocol/json.js';
import { MAX_TIME_MS } from '../src/protocol/fields.js';

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
