// Byte helpers: concatenation, fixed-width big-endian integers, comparison, hex and UTF-8.
// Integers are JS numbers in 0..2^53-1 (or BigInt where a layout allows more, as u64 does).

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** The concatenation of the given Uint8Arrays. */
export function concat(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One byte. */
export function u8(v) {
  return Uint8Array.of(v & 0xff);
}

/** 4 bytes big-endian; v in 0..2^32-1. */
export function u32be(v) {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, v, false);
  return out;
}

/** 8 bytes big-endian; v a number in 0..2^53-1 or a BigInt in 0..2^64-1. */
export function u64be(v) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(v), false);
  return out;
}

/** 8 bytes little-endian; v a number in 0..2^53-1 or a BigInt. */
export function u64le(v) {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(v), true);
  return out;
}

/** The u32 at offset of bytes (the caller checked the length). */
export function readU32be(bytes, offset) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/** The u64 at offset as a BigInt (the caller checked the length). */
export function readU64be(bytes, offset) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, false);
}

/** The u64 at offset as a number, or null when it is above 2^53-1. */
export function readU64beSafe(bytes, offset) {
  const v = readU64be(bytes, offset);
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
}

/** Whether two byte arrays hold the same bytes (not constant time: for public values). */
export function equal(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bytewise unsigned comparison: negative, 0 or positive. */
export function compare(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Lowercase hex of bytes. */
export function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Bytes of a hex string (whitespace ignored); null if it is not hex. */
export function fromHex(text) {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(2 * i, 2), 16);
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(text) {
  return encoder.encode(text);
}

/** The string of well-formed UTF-8 bytes, or null if they are not well-formed. */
export function fromUtf8(bytes) {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

/** n bytes of value v. */
export function filled(n, v) {
  return new Uint8Array(n).fill(v);
}

/** The bytes start, start+1, ..., end-1 (for test vectors written as "00 01 .. 1f"). */
export function range(start, end) {
  const out = new Uint8Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/** A string context followed by one 0x00 byte (PROTOCOL.md §5). */
export function context(name) {
  return concat(utf8(name), u8(0));
}
