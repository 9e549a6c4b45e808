// PROTOCOL.md §12.9: call media frames sealed per sender with AES-256-GCM; the prefix a packetizer
// reads stays in clear and authenticated; a wrong key, any flipped bit, a replay or a frame too
// old is dropped (null), never returned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveFrameKeys, sealFrame, openFrame, FRAME_TRAILER_BYTES, FRAME_TAG_BYTES, REPLAY_WINDOW, VP8_KEY_PREFIX_BYTES, VP8_DELTA_PREFIX_BYTES,
} from '../src/protocol/call_frames.js';
import { filled, range } from '../src/protocol/bytes.js';

const KEY = filled(32, 0x11);
const CALL = filled(16, 0x22);
const vp8Key = () => Uint8Array.from([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01, ...range(0, 40)]); // P bit 0
const vp8Delta = () => Uint8Array.from([0x31, 0x01, 0x00, ...range(0, 30)]); // P bit 1
const opus = () => Uint8Array.from([0x78, ...range(100, 140)]);

test('round trip for audio, a VP8 key frame and a VP8 delta frame, prefix in clear', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const rx = await deriveFrameKeys(KEY, CALL);
  for (const [kind, data, p] of [['audio', opus(), 1], ['video', vp8Key(), VP8_KEY_PREFIX_BYTES], ['video', vp8Delta(), VP8_DELTA_PREFIX_BYTES], ['screen', vp8Key(), VP8_KEY_PREFIX_BYTES]]) {
    const sealed = await sealFrame(tx, kind, data);
    assert.equal(sealed.length, data.length + FRAME_TAG_BYTES + FRAME_TRAILER_BYTES);
    assert.deepEqual(sealed.subarray(0, p), data.subarray(0, p), 'the codec prefix stays in clear');
    assert.notDeepEqual(sealed.subarray(p, data.length), data.subarray(p));
    assert.deepEqual(await openFrame(rx, kind, sealed), data);
  }
});

test('empty and short frames round trip', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const rx = await deriveFrameKeys(KEY, CALL);
  for (const data of [new Uint8Array(0), Uint8Array.of(0x10), Uint8Array.of(0x10, 1, 2, 3)]) {
    assert.deepEqual(await openFrame(rx, 'video', await sealFrame(tx, 'video', data)), data);
  }
});

test('a receiver with the wrong key, call id or kind decodes nothing', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const sealed = await sealFrame(tx, 'video', vp8Key());
  assert.equal(await openFrame(await deriveFrameKeys(filled(32, 0x12), CALL), 'video', sealed), null);
  assert.equal(await openFrame(await deriveFrameKeys(KEY, filled(16, 0x23)), 'video', sealed), null);
  assert.equal(await openFrame(await deriveFrameKeys(KEY, CALL), 'screen', sealed), null);
  assert.equal(await openFrame(await deriveFrameKeys(KEY, CALL), 'audio', sealed), null);
});

test('any flipped bit anywhere in a sealed frame drops it', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const sealed = await sealFrame(tx, 'video', vp8Key());
  for (let i = 0; i < sealed.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const t = Uint8Array.from(sealed);
      t[i] ^= 1 << bit;
      assert.equal(await openFrame(await deriveFrameKeys(KEY, CALL), 'video', t), null, `byte ${i} bit ${bit}`);
    }
  }
  assert.notEqual(await openFrame(await deriveFrameKeys(KEY, CALL), 'video', sealed), null);
});

test('truncated or extended frames and non-bytes are dropped, never thrown', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const sealed = await sealFrame(tx, 'audio', opus());
  const rx = await deriveFrameKeys(KEY, CALL);
  for (const bad of [sealed.subarray(0, sealed.length - 1), sealed.subarray(1), Uint8Array.from([...sealed, 0]), new Uint8Array(0), new Uint8Array(21), null, 'frame']) {
    assert.equal(await openFrame(rx, 'audio', bad), null);
  }
  assert.equal(await openFrame(rx, 'nonsense', sealed), null);
  assert.equal(await openFrame(null, 'audio', sealed), null);
});

test('a replayed frame and one older than the window are dropped; reordered ones inside it are kept', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const rx = await deriveFrameKeys(KEY, CALL);
  const frames = [];
  for (let i = 0; i < REPLAY_WINDOW + 3; i++) frames.push(await sealFrame(tx, 'audio', opus()));
  assert.notEqual(await openFrame(rx, 'audio', frames[1]), null);
  assert.notEqual(await openFrame(rx, 'audio', frames[0]), null, 'one frame late is fine');
  assert.equal(await openFrame(rx, 'audio', frames[1]), null, 'replay');
  assert.equal(await openFrame(rx, 'audio', frames[0]), null, 'replay');
  const both = await Promise.all([openFrame(rx, 'audio', frames[5]), openFrame(rx, 'audio', frames[5])]);
  assert.equal(both.filter((f) => f !== null).length, 1, 'two opens of one frame at once: only one is accepted');
  assert.notEqual(await openFrame(rx, 'audio', frames[REPLAY_WINDOW + 2]), null);
  assert.equal(await openFrame(rx, 'audio', frames[2]), null, 'too old');
  assert.notEqual(await openFrame(rx, 'audio', frames[REPLAY_WINDOW + 1]), null, 'inside the window');
});

test('each sealed frame uses a fresh counter: the same data never gives the same bytes', async () => {
  const tx = await deriveFrameKeys(KEY, CALL);
  const a = await sealFrame(tx, 'audio', opus());
  const b = await sealFrame(tx, 'audio', opus());
  assert.notDeepEqual(a, b);
  const trailer = (f) => [...f.subarray(f.length - FRAME_TRAILER_BYTES)];
  assert.deepEqual(trailer(a).slice(0, 4), [0, 0, 0, 0]);
  assert.deepEqual(trailer(b).slice(0, 4), [0, 0, 0, 1]);
});
