// The bytes of a session message, protocol version 2 (PROTOCOL.md §12.4).
//   ratchet message = 21 ‖ header ‖ ciphertext
//   prekey message  = 22 ‖ prekey part ‖ header ‖ ciphertext
//   header          = ratchet_key(32) ‖ u32be(pn) ‖ u32be(n)                                   40 bytes
//   prekey part     = identity_key(32) ‖ identity_dh_key(32) ‖ identity_dh_signature(64)
//                     ‖ ephemeral_key(32) ‖ u32be(signed_prekey_id) ‖ u32be(one_time_prekey_id) 168 bytes
//   AD              = "mentorlink/v2/message" ‖ 00 ‖ u64be(pair) ‖ IK_initiator ‖ IK_responder ‖ prefix
//   padded          = kind(1) ‖ u64be(counter) ‖ payload ‖ 80 ‖ 00… (64, 128, … 65536 bytes)
import { concat, context, readU32be, readU64be, u32be, u64be, u8 } from './bytes.js';
import { ok, fail } from './result.js';

export const RATCHET_MESSAGE = 0x21;
export const PREKEY_MESSAGE = 0x22;
export const HEADER_BYTES = 40;
export const PREKEY_PART_BYTES = 168;
export const TAG_BYTES = 16;
export const NO_ONE_TIME_PREKEY = 0xffffffff;
export const MAX_PADDED_BYTES = 65536;
export const MIN_BUCKET = 64;
export const MAX_PAYLOAD_BYTES = MAX_PADDED_BYTES - 1 - 8 - 1; // kind, counter, the 0x80 byte
export const FIRST_COUNTER = 1;
export const MAX_COUNTER = Number.MAX_SAFE_INTEGER; // 2^53 - 1
export const KIND_CHAT = 0x01;
export const KIND_DOCUMENT_KEY = 0x02;
const MESSAGE_CONTEXT = 'mentorlink/v2/message';

/** The 168 bytes of a prekey part {identityKey, identityDhKey, identityDhSignature, ephemeralKey, signedPrekeyId, oneTimePrekeyId|null}. */
export function encodePrekeyPart(part) {
  return concat(part.identityKey, part.identityDhKey, part.identityDhSignature, part.ephemeralKey,
    u32be(part.signedPrekeyId), u32be(part.oneTimePrekeyId ?? NO_ONE_TIME_PREKEY));
}

/** The prekey part of exactly 168 bytes, or null. */
export function parsePrekeyPart(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PREKEY_PART_BYTES) return null;
  const otk = readU32be(bytes, 164);
  return {
    identityKey: bytes.slice(0, 32),
    identityDhKey: bytes.slice(32, 64),
    identityDhSignature: bytes.slice(64, 128),
    ephemeralKey: bytes.slice(128, 160),
    signedPrekeyId: readU32be(bytes, 160),
    oneTimePrekeyId: otk === NO_ONE_TIME_PREKEY ? null : otk,
  };
}

/** Everything before the ciphertext: the type byte, the prekey part (if any) and the header {dh, pn, n}. */
export function encodePrefix(prekeyPart, header) {
  const parts = [u8(prekeyPart ? PREKEY_MESSAGE : RATCHET_MESSAGE)];
  if (prekeyPart) parts.push(encodePrekeyPart(prekeyPart));
  parts.push(header.dh, u32be(header.pn), u32be(header.n));
  return concat(...parts);
}

/** Result of {prekey|null, header, prefix, ciphertext}; unrecognized_version for a type other than 21/22. */
export function parseMessage(message) {
  if (!(message instanceof Uint8Array) || message.length === 0) return fail('invalid_message', 'the message is empty');
  const type = message[0];
  if (type !== RATCHET_MESSAGE && type !== PREKEY_MESSAGE) {
    return fail('unrecognized_version', `a message of unknown version or type 0x${type.toString(16).padStart(2, '0')}`);
  }
  const prefixLength = 1 + (type === PREKEY_MESSAGE ? PREKEY_PART_BYTES : 0) + HEADER_BYTES;
  if (message.length < prefixLength + TAG_BYTES) return fail('invalid_message', 'the message is truncated');
  let at = 1;
  let prekey = null;
  if (type === PREKEY_MESSAGE) {
    prekey = parsePrekeyPart(message.subarray(at, at + PREKEY_PART_BYTES));
    at += PREKEY_PART_BYTES;
  }
  const header = { dh: message.slice(at, at + 32), pn: readU32be(message, at + 32), n: readU32be(message, at + 36) };
  return ok({ prekey, header, prefix: message.subarray(0, prefixLength), ciphertext: message.subarray(prefixLength) });
}

/** The associated data of a message in pair between the two identity keys (initiator first). */
export function messageAd(pair, initiatorKey, responderKey, prefix) {
  return concat(context(MESSAGE_CONTEXT), u64be(pair), initiatorKey, responderKey, prefix);
}

/** The bucket for n bytes: the smallest of 64·2^k holding n + 1. */
export function paddedSize(n) {
  let bucket = MIN_BUCKET;
  while (bucket < n + 1) bucket *= 2;
  return bucket;
}

/** ISO/IEC 7816-4 padding of data to its bucket. */
export function padToBucket(data) {
  const out = new Uint8Array(paddedSize(data.length));
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** The data before ISO/IEC 7816-4 padding (… 80 00…00), or null if the padding is wrong. */
export function unpadBucket(padded) {
  let i = padded.length - 1;
  while (i >= 0 && padded[i] === 0) i--;
  if (i < 0 || padded[i] !== 0x80) return null;
  return padded.subarray(0, i);
}

/** kind ‖ u64be(counter) ‖ payload, padded. counter may be a BigInt for known-answer tests. */
export function padPlaintext(kind, counter, payload) {
  return padToBucket(concat(u8(kind), u64be(counter), payload));
}

/** Result of {kind, counter, payload}; invalid_message for bad padding, kind 0 or a counter outside 1..2^53-1. */
export function unpadPlaintext(padded) {
  const data = unpadBucket(padded);
  if (data === null || data.length < 9) return fail('invalid_message', 'the padding inside the message is wrong');
  const kind = data[0];
  const counter = readU64be(data, 1);
  if (kind === 0) return fail('invalid_message', 'the message has kind 0');
  if (counter < BigInt(FIRST_COUNTER) || counter > BigInt(MAX_COUNTER)) {
    return fail('invalid_message', 'the message counter is out of range');
  }
  return ok({ kind, counter: Number(counter), payload: data.slice(9) });
}
