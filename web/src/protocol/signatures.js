// What each signature covers (PROTOCOL.md §5, §12.1): context ‖ 00 ‖ fixed-length parts.
// Login/enroll bind the TLS exporter of the connection (channel binding, RFC 9266).
import { blake2b, sign, verify } from './primitives.js';
import { concat, context, u32be, u64be, utf8 } from './bytes.js';

export const LOGIN_CONTEXT = 'mentorlink/v1/login';
export const ENROLL_CONTEXT = 'mentorlink/v1/enroll';
export const INVITE_CONTEXT = 'mentorlink/v1/invite';
export const IDENTITY_DH_CONTEXT = 'mentorlink/v1/identity-dh';
export const SIGNED_PREKEY_CONTEXT = 'mentorlink/v1/signed-prekey';
export const DOCUMENT_SIGNATURE_CONTEXT = 'mentorlink/v2/document-signature';
export const CONTRACT_CONTEXT = 'mentorlink/v2/contract';

/** The 116 bytes a login signature covers. */
export function loginMessage(challenge, exporter, identityKey) {
  return concat(context(LOGIN_CONTEXT), challenge, exporter, identityKey);
}

/** The 149 bytes an enroll signature covers. */
export function enrollMessage(challenge, exporter, identityKey, inviteHash) {
  return concat(context(ENROLL_CONTEXT), challenge, exporter, identityKey, inviteHash);
}

/** BLAKE2b-256("mentorlink/v1/invite" ‖ 00 ‖ code) of a canonical invite code. */
export function inviteHash(code) {
  return blake2b(concat(context(INVITE_CONTEXT), utf8(code)), 32);
}

const INVITE_CODE = /^[a-z2-7]{32}$/;

/** The canonical invite code of what a person typed (capitals lowered, spaces and '-' removed), or null. */
export function normaliseInviteCode(typed) {
  if (typeof typed !== 'string') return null;
  const code = typed.replace(/[ -]/g, '').replace(/[A-Z]/g, (c) => c.toLowerCase());
  return INVITE_CODE.test(code) ? code : null;
}

/** The bytes an identity-DH key's signature covers. */
export function identityDhMessage(identityDhKey) {
  return concat(context(IDENTITY_DH_CONTEXT), identityDhKey);
}

/** The bytes a signed prekey's signature covers. */
export function signedPrekeyMessage(id, key) {
  return concat(context(SIGNED_PREKEY_CONTEXT), u32be(id), key);
}

/** The 75 bytes a contract signature covers (§14.2). */
export function contractMessage(pair, documentId, version, versionHash) {
  return concat(context(CONTRACT_CONTEXT), u64be(pair), u64be(documentId), u32be(version), versionHash);
}

/** Signs message with the identity key pair. */
export function signWith(identity, message) {
  return sign(identity.privateKey, message);
}

/** Whether signature verifies over message under the Ed25519 public key. */
export function verifyWith(publicKey, message, signature) {
  return verify(publicKey, message, signature);
}
