// Shared by the tests: libsodium ready, hex from PROTOCOL.md's wrapped vectors.
import assert from 'node:assert/strict';
import { ready } from '../src/protocol/sodium.js';
import { fromHex, toHex } from '../src/protocol/bytes.js';

await ready();

/** Bytes of hex text as PROTOCOL.md prints it (spaces and line breaks ignored). */
export function hex(text) {
  const out = fromHex(text);
  assert.notEqual(out, null, `not hex: ${text}`);
  return out;
}

/** Asserts bytes equal the hex text. */
export function assertHex(bytes, text, what) {
  assert.equal(toHex(bytes), text.replace(/\s+/g, '').toLowerCase(), what);
}

/** Asserts r is a failure result (and did not throw), optionally with code. */
export function assertFails(r, code) {
  assert.equal(typeof r, 'object');
  assert.equal(r.ok, false, `expected a failure, got ${JSON.stringify(r.value && Object.keys(r.value))}`);
  if (code !== undefined) assert.equal(r.error.code, code, r.error.message);
}

/** The value of a result that must succeed. */
export function must(r) {
  assert.equal(r.ok, true, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}
