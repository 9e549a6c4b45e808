// The two catalogues hold the same keys, each string with the same {placeholders}, so no screen
// shows a key or loses a value in either language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from '../src/app/i18n/en.js';
import da from '../src/app/i18n/da.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English and Danish have the same keys and placeholders', () => {
  assert.deepEqual(Object.keys(da).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.equal(typeof en[key], 'string', key);
    assert.notEqual(en[key].trim(), '', key);
    assert.deepEqual(placeholders(da[key]), placeholders(en[key]), key);
  }
});
