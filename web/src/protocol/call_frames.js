// End-to-end encryption of call media frames (PROTOCOL.md §12.9), for encoded transforms in a
// Worker: WebCrypto only, no DOM, no libsodium.
//   frame   = prefix ‖ AES-256-GCM(key, iv, rest, aad) ‖ trailer
//   prefix  = the codec bytes a packetizer reads, in clear: Opus 1 byte; VP8 10 (key frame) or 3
//   trailer = u32be(counter) ‖ key_id(1) ‖ FRAME_VERSION(1)
//   iv      = salt(12) XOR (00×8 ‖ u32be(counter));  aad = prefix ‖ trailer
//   key ‖ salt ‖ key_id = HKDF-SHA256(ikm = media key, salt = call id, info = "mentorlink/v2/call-frame/" ‖ kind, 45)
// Each sender seals with its own media key; a receiver opens with the key its partner signalled.
import { utf8 } from './bytes.js';

export const FRAME_VERSION = 0x20;
export const FRAME_KINDS = Object.freeze(['audio', 'video', 'screen']);
export const MEDIA_KEY_BYTES = 32;
export const CALL_ID_BYTES = 16;
export const FRAME_TAG_BYTES = 16;
export const FRAME_TRAILER_BYTES = 6;
export const FRAME_SALT_BYTES = 12;
/** The last counter a sender may use: after it the join needs a new media key. */
export const MAX_FRAME_COUNTER = 0xffffffff;
/** Frames older than this many counters behind the newest accepted one are dropped as too old. */
export const REPLAY_WINDOW = 256;
export const OPUS_PREFIX_BYTES = 1;
export const VP8_KEY_PREFIX_BYTES = 10;
export const VP8_DELTA_PREFIX_BYTES = 3;
const INFO_PREFIX = 'mentorlink/v2/call-frame/';
const DERIVED_BYTES = 32 + FRAME_SALT_BYTES + 1;

function freshWindow() {
  return { newest: -1, seen: new Set() };
}

/**
 * The frame state of one sender's media key for one join: per kind an AES key, salt, key id,
 * the next counter to seal and the replay window of opened ones. Async (WebCrypto).
 */
export async function deriveFrameKeys(mediaKey, callId) {
  if (!(mediaKey instanceof Uint8Array) || mediaKey.length !== MEDIA_KEY_BYTES) throw new TypeError('a media key is 32 bytes');
  if (!(callId instanceof Uint8Array) || callId.length !== CALL_ID_BYTES) throw new TypeError('a call id is 16 bytes');
  const ikm = await crypto.subtle.importKey('raw', mediaKey, 'HKDF', false, ['deriveBits']);
  const kinds = {};
  for (const kind of FRAME_KINDS) {
    const bits = new Uint8Array(await crypto.subtle.deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: callId, info: utf8(INFO_PREFIX + kind) }, ikm, DERIVED_BYTES * 8));
    const key = await crypto.subtle.importKey('raw', bits.subarray(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
    kinds[kind] = {
      key,
      salt: bits.slice(32, 32 + FRAME_SALT_BYTES),
      keyId: bits[32 + FRAME_SALT_BYTES],
      next: 0,
      window: freshWindow(),
    };
    bits.fill(0);
  }
  return { kinds };
}

/** The derived bytes of deriveFrameKeys for one kind (key ‖ salt ‖ key id), for vectors. */
export async function frameKeyMaterial(mediaKey, callId, kind) {
  const ikm = await crypto.subtle.importKey('raw', mediaKey, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: callId, info: utf8(INFO_PREFIX + kind) }, ikm, DERIVED_BYTES * 8));
}

/** How many leading bytes of frame data stay in clear for kind (capped at available bytes). */
export function prefixLength(kind, data, available = data.length) {
  let n;
  if (kind === 'audio') n = OPUS_PREFIX_BYTES;
  else if (data.length === 0) n = 0;
  else n = (data[0] & 0x01) === 0 ? VP8_KEY_PREFIX_BYTES : VP8_DELTA_PREFIX_BYTES; // VP8 P bit: 0 = key frame
  return Math.min(n, Math.max(0, available));
}

function ivFor(salt, counter) {
  const iv = Uint8Array.from(salt);
  iv[8] ^= (counter >>> 24) & 0xff;
  iv[9] ^= (counter >>> 16) & 0xff;
  iv[10] ^= (counter >>> 8) & 0xff;
  iv[11] ^= counter & 0xff;
  return iv;
}

function trailerFor(counter, keyId) {
  return Uint8Array.of((counter >>> 24) & 0xff, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff, keyId, FRAME_VERSION);
}

function aadOf(prefix, trailer) {
  const aad = new Uint8Array(prefix.length + trailer.length);
  aad.set(prefix);
  aad.set(trailer, prefix.length);
  return aad;
}

/** The sealed frame of data (Opus for audio, VP8 otherwise), or null when the kind is unknown or the counter is used up. */
export async function sealFrame(state, kind, data) {
  const k = state?.kinds?.[kind];
  if (!k || !(data instanceof Uint8Array) || k.next > MAX_FRAME_COUNTER) return null;
  const counter = k.next;
  k.next += 1; // taken before the await: two seals in flight never share a counter
  const p = prefixLength(kind, data);
  const prefix = data.subarray(0, p);
  const trailer = trailerFor(counter, k.keyId);
  const sealed = new Uint8Array(await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: ivFor(k.salt, counter), additionalData: aadOf(prefix, trailer), tagLength: 128 }, k.key, data.subarray(p)));
  const out = new Uint8Array(p + sealed.length + FRAME_TRAILER_BYTES);
  out.set(prefix);
  out.set(sealed, p);
  out.set(trailer, p + sealed.length);
  return out;
}

function tooOld(window, counter) {
  return window.seen.has(counter) || (window.newest >= 0 && counter + REPLAY_WINDOW <= window.newest);
}

function accept(window, counter) {
  window.seen.add(counter);
  if (counter > window.newest) {
    window.newest = counter;
    for (const c of window.seen) if (c + REPLAY_WINDOW <= counter) window.seen.delete(c);
  }
}

/** The frame data of a sealed frame, or null: malformed, another key, tampered, replayed or too old. Never throws. */
export async function openFrame(state, kind, frame) {
  const k = state?.kinds?.[kind];
  if (!k || !(frame instanceof Uint8Array)) return null;
  const overhead = FRAME_TAG_BYTES + FRAME_TRAILER_BYTES;
  if (frame.length < overhead) return null;
  const t = frame.length - FRAME_TRAILER_BYTES;
  if (frame[t + 5] !== FRAME_VERSION || frame[t + 4] !== k.keyId) return null;
  const counter = ((frame[t] << 24) | (frame[t + 1] << 16) | (frame[t + 2] << 8) | frame[t + 3]) >>> 0;
  if (tooOld(k.window, counter)) return null;
  const p = prefixLength(kind, frame, frame.length - overhead);
  const prefix = frame.subarray(0, p);
  let plain;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: ivFor(k.salt, counter), additionalData: aadOf(prefix, frame.subarray(t)), tagLength: 128 },
      k.key, frame.subarray(p, t)));
  } catch {
    return null;
  }
  if (tooOld(k.window, counter)) return null; // another open of the same counter finished first
  accept(k.window, counter);
  const out = new Uint8Array(p + plain.length);
  out.set(prefix);
  out.set(plain, p);
  return out;
}
