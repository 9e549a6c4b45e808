// Safety numbers (PROTOCOL.md §12.5): 30 digits per identity key, the two in ascending order.
import { concat, context } from './bytes.js';
import { sha512 } from './primitives.js';

const CONTEXT = 'mentorlink/v1/safety-number';
const ITERATIONS = 5199;
const CHUNKS = 6;

/** The 30 digits of one identity key. */
export function digitsOf(identityKey) {
  let h = sha512(concat(context(CONTEXT), identityKey));
  for (let i = 0; i < ITERATIONS; i++) h = sha512(concat(h, identityKey));
  let out = '';
  for (let i = 0; i < CHUNKS; i++) {
    let v = 0;
    for (let j = 0; j < 5; j++) v = v * 256 + h[5 * i + j];
    out += String(v % 100000).padStart(5, '0');
  }
  return out;
}

/** The 60-digit safety number of two identity keys (the same whichever comes first). */
export function safetyNumber(keyA, keyB) {
  const a = digitsOf(keyA);
  const b = digitsOf(keyB);
  return a < b ? a + b : b + a;
}

/** The number as 12 groups of 5 digits, three lines of four (as the CLI shows it). */
export function formatSafetyNumber(number) {
  const groups = number.match(/\d{5}/g) ?? [];
  const lines = [];
  for (let i = 0; i < groups.length; i += 4) lines.push(groups.slice(i, i + 4).join(' '));
  return lines.join('\n');
}

/** The 60 digits a person typed (spaces and line breaks ignored), or null if it is not that. */
export function parseSafetyNumber(typed) {
  if (typeof typed !== 'string') return null;
  const digits = typed.replace(/[\s]/g, '');
  return /^\d{60}$/.test(digits) ? digits : null;
}
