// Base64url without padding (PROTOCOL.md §2), canonical only: decoding refuses '=', characters
// outside A-Z a-z 0-9 - _, lengths ≡ 1 mod 4 and non-zero trailing bits, so every value has
// exactly one encoding.
import { ok, fail } from './result.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The unpadded base64url text of bytes. */
export function encode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i] << 16;
    out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
  } else if (rest === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63];
  }
  return out;
}

/** Result of the bytes of canonical base64url text (never throws). */
export function decode(text) {
  if (typeof text !== 'string') return fail('invalid', 'not a string');
  if (text.length % 4 === 1) return fail('invalid', 'impossible base64url length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? VALUES[c] : -1;
    if (v < 0) return fail('invalid', 'a character outside base64url');
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
      acc &= (1 << bits) - 1;
    }
  }
  if (acc !== 0) return fail('invalid', 'non-zero trailing bits: not the canonical encoding');
  return ok(out);
}

/** Result of exactly length bytes decoded from text. */
export function decodeExact(text, length) {
  const r = decode(text);
  if (!r.ok) return r;
  if (r.value.length !== length) return fail('invalid', `must decode to ${length} bytes, not ${r.value.length}`);
  return r;
}
