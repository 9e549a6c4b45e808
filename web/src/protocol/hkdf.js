// HKDF-SHA256 (RFC 5869) on HMAC-SHA256. An empty salt means HashLen (32) zero bytes.
import { concat, u8 } from './bytes.js';
import { hmacSha256 } from './primitives.js';

const HASH_LEN = 32;

/** length (≤ 255·32) bytes of HKDF-Expand(HKDF-Extract(salt, ikm), info). */
export function hkdf(salt, ikm, info, length) {
  const prk = hmacSha256(salt.length === 0 ? new Uint8Array(HASH_LEN) : salt, ikm);
  const out = new Uint8Array(length);
  let block = new Uint8Array(0);
  for (let at = 0, counter = 1; at < length; counter++) {
    block = hmacSha256(prk, concat(block, info, u8(counter)));
    out.set(block.subarray(0, Math.min(HASH_LEN, length - at)), at);
    at += HASH_LEN;
  }
  return out;
}
