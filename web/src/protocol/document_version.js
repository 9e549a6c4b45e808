// Document versions, protocol version 2 (PROTOCOL.md §14.1, §14.2, §14.4).
//   identity = u64be(pair) ‖ u64be(document) ‖ u8(kind) ‖ u64be(meeting) ‖ u64be(owner)        33 bytes
//   header   = 02 ‖ identity ‖ u32be(version) ‖ previous_hash(32) ‖ author(32) ‖ key_id(16) ‖ nonce(24)  142
//   body     = header ‖ XChaCha20-Poly1305(document_key, nonce, pad(text), AD = "mentorlink/v2/document" ‖ 00 ‖ header)
//   version_hash = BLAKE2b-256("mentorlink/v2/document-version" ‖ 00 ‖ body)
//   signature    = Ed25519(author, "mentorlink/v2/document-signature" ‖ 00 ‖ identity ‖ u32be(version) ‖ version_hash)
//   key_id       = BLAKE2b-128("mentorlink/v1/document-key-id" ‖ 00 ‖ key)
//   key share    = 01 ‖ u64be(pair) ‖ u64be(document) ‖ key(32)                                  49 bytes
import { concat, context, equal, readU32be, readU64beSafe, u32be, u64be, u8 } from './bytes.js';
import { aeadDecrypt, aeadEncrypt, blake2b, verify } from './primitives.js';
import { padToBucket, unpadBucket } from './message_format.js';
import { signWith } from './signatures.js';
import { ok, fail } from './result.js';

export const FORMAT_V1 = 0x01;
export const FORMAT_V2 = 0x02;
export const IDENTITY_BYTES = 33;
export const HEADER_BYTES = 142;
export const MAX_PLAINTEXT_BYTES = 65535;
export const MIN_BODY_BYTES = HEADER_BYTES + 64 + 16; // 222
export const MAX_BODY_BYTES = HEADER_BYTES + 65536 + 16; // 65694
export const MAX_VERSION = 1000000;
export const KEY_SHARE_BYTES = 49;
export const KINDS = Object.freeze({ agenda: 1, contract: 2, goals: 3, feedback: 4, reflection: 5 });
export const KIND_NAMES = Object.freeze(['', 'agenda', 'contract', 'goals', 'feedback', 'reflection']);
const DOCUMENT_AD = 'mentorlink/v2/document';
const VERSION_HASH = 'mentorlink/v2/document-version';
const SIGNATURE = 'mentorlink/v2/document-signature';
const KEY_ID = 'mentorlink/v1/document-key-id';
const ZERO_HASH = new Uint8Array(32);

/** Whether kind (a number) names a meeting: agenda and feedback do. */
export function kindHasMeeting(kind) {
  return kind === KINDS.agenda || kind === KINDS.feedback;
}

/** Whether kind (a number) has an owner: feedback and reflection do. */
export function kindHasOwner(kind) {
  return kind === KINDS.feedback || kind === KINDS.reflection;
}

/** Whether identity {pair, document, kind, meeting, owner} (0 for absent) is well-formed (§14.1). */
export function identityWellFormed(id) {
  return id.pair > 0 && id.document > 0 && id.kind >= 1 && id.kind <= 5
    && (id.meeting !== 0) === kindHasMeeting(id.kind) && (id.owner !== 0) === kindHasOwner(id.kind);
}

/** Whether two identities are the same document. */
export function sameIdentity(a, b) {
  return a.pair === b.pair && a.document === b.document && a.kind === b.kind && a.meeting === b.meeting && a.owner === b.owner;
}

/** The 33 identity bytes. */
export function encodeIdentity(id) {
  return concat(u64be(id.pair), u64be(id.document), u8(id.kind), u64be(id.meeting), u64be(id.owner));
}

/** The 16-byte key id of a document key. */
export function keyId(documentKey) {
  return blake2b(concat(context(KEY_ID), documentKey), 16);
}

/** The 142 header bytes of {identity, version, previousHash, author, keyId, nonce}. */
export function encodeHeader(h) {
  return concat(u8(FORMAT_V2), encodeIdentity(h.identity), u32be(h.version), h.previousHash, h.author, h.keyId, h.nonce);
}

/** Whether body starts with the version 1 format byte (written by a protocol version 1 client). */
export function isV1Version(body) {
  return body instanceof Uint8Array && body.length > 0 && body[0] === FORMAT_V1;
}

/** Whether n is a valid ciphertext length: a padded size (64·2^k ≤ 65536) plus the 16-byte tag. */
export function isPaddedCiphertextLength(n) {
  for (let bucket = 64; bucket <= 65536; bucket *= 2) if (n === bucket + 16) return true;
  return false;
}

/** Result of the header {identity, version, previousHash, author, keyId, nonce} of a version 2 body. */
export function parseHeader(body) {
  if (!(body instanceof Uint8Array) || body.length < HEADER_BYTES) return fail('malformed', 'the version is shorter than its header');
  if (body[0] === FORMAT_V1) return fail('written_by_v1', 'the version was written by a protocol version 1 client');
  if (body[0] !== FORMAT_V2) return fail('malformed', 'the version has an unknown format byte');
  const fields = [readU64beSafe(body, 1), readU64beSafe(body, 9), readU64beSafe(body, 18), readU64beSafe(body, 26)];
  if (fields.some((v) => v === null)) return fail('malformed', 'an id in the version header is out of range');
  const identity = { pair: fields[0], document: fields[1], kind: body[17], meeting: fields[2], owner: fields[3] };
  const version = readU32be(body, 34);
  if (!identityWellFormed(identity)) return fail('malformed', 'the version header names no well-formed document');
  if (version < 1 || version > MAX_VERSION) return fail('malformed', 'the version number is out of range');
  if (!isPaddedCiphertextLength(body.length - HEADER_BYTES)) return fail('malformed', 'the ciphertext is not a padded size');
  return ok({
    identity, version, previousHash: body.slice(38, 70), author: body.slice(70, 102),
    keyId: body.slice(102, 118), nonce: body.slice(118, 142),
  });
}

/** The version hash of a body. */
export function versionHash(body) {
  return blake2b(concat(context(VERSION_HASH), body), 32);
}

/** The bytes a version signature covers. */
export function signatureMessage(identity, version, hash) {
  return concat(context(SIGNATURE), encodeIdentity(identity), u32be(version), hash);
}

/**
 * Result of {body, hash, signature} of a new version: text (a string, ≤ 65535 UTF-8 bytes) under
 * documentKey by identity (the author's key pair). nonce: 24 bytes, random except in tests.
 */
export function sealVersion({ identity, version, previousHash, author, documentKey, nonce, plaintext }) {
  if (!identityWellFormed(identity)) return fail('invalid', 'not a well-formed document identity');
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) return fail('invalid', 'version out of range');
  if (version === 1 && !equal(previousHash, ZERO_HASH)) return fail('invalid', 'version 1 follows nothing');
  if (plaintext.length > MAX_PLAINTEXT_BYTES) return fail('too_large', 'the text is longer than 65535 bytes');
  const header = encodeHeader({ identity, version, previousHash, author: author.publicKey, keyId: keyId(documentKey), nonce });
  const ciphertext = aeadEncrypt(documentKey, nonce, padToBucket(plaintext), concat(context(DOCUMENT_AD), header));
  const body = concat(header, ciphertext);
  const hash = versionHash(body);
  return ok({ body, hash, signature: signWith(author, signatureMessage(identity, version, hash)) });
}

/** Whether signature verifies over body's identity, version and hash under the header's author. */
export function verifyVersionSignature(header, hash, signature) {
  return verify(header.author, signatureMessage(header.identity, header.version, hash), signature);
}

/** Result of the plaintext bytes of body under documentKey (wrong_key when its key id names another key). */
export function openVersion(body, documentKey) {
  const header = parseHeader(body);
  if (!header.ok) return header;
  if (!equal(header.value.keyId, keyId(documentKey))) return fail('wrong_key', 'the version is under another key');
  const padded = aeadDecrypt(documentKey, header.value.nonce, body.subarray(HEADER_BYTES),
    concat(context(DOCUMENT_AD), body.subarray(0, HEADER_BYTES)));
  if (padded === null) return fail('bad_mac', 'the version does not decrypt: it was changed');
  const text = unpadBucket(padded);
  if (text === null) return fail('malformed', 'the padding inside the version is wrong');
  return ok(Uint8Array.from(text));
}

/** The 49-byte key share of a document key. */
export function encodeKeyShare(pair, documentId, documentKey) {
  return concat(u8(0x01), u64be(pair), u64be(documentId), documentKey);
}

/** Result of {pair, document, key} of a key share payload. */
export function parseKeyShare(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== KEY_SHARE_BYTES || bytes[0] !== 0x01) {
    return fail('malformed', 'not a document key share');
  }
  const pair = readU64beSafe(bytes, 1);
  const document = readU64beSafe(bytes, 9);
  if (pair === null || document === null || pair === 0 || document === 0) return fail('malformed', 'a key share id is out of range');
  return ok({ pair, document, key: bytes.slice(17, 49) });
}
