// Request bodies (PROTOCOL.md §4-§6) built from bytes: binary values as canonical base64url.
// The login and enroll proofs sign the challenge together with the connection's TLS exporter.
import { encode } from './base64url.js';
import { enrollMessage, inviteHash, loginMessage, signWith, contractMessage } from './signatures.js';
import { PROTOCOL_VERSION } from './frame.js';

/** hello: {version: 2}. */
export function helloBody() {
  return { version: PROTOCOL_VERSION };
}

/** login: {identity_key, signature} over challenge, exporter and the identity key. */
export function loginBody(identity, challenge, exporter) {
  return { identity_key: encode(identity.publicKey), signature: encode(signWith(identity, loginMessage(challenge, exporter, identity.publicKey))) };
}

/** enroll: {invite, identity_key, signature[, name]}; code must already be canonical (normaliseInviteCode). */
export function enrollBody(identity, challenge, exporter, code, name) {
  const body = { invite: code, identity_key: encode(identity.publicKey),
    signature: encode(signWith(identity, enrollMessage(challenge, exporter, identity.publicKey, inviteHash(code)))) };
  if (name !== undefined) body.name = name;
  return body;
}

/** keys.publish from publicBundle(): device, identity-DH key and signature, signed prekey, one-time prekeys. */
export function keysPublishBody(device, bundle) {
  return { device, identity_dh_key: encode(bundle.identityDhKey), identity_dh_signature: encode(bundle.identityDhSignature),
    signed_prekey: { id: bundle.signedPrekey.id, key: encode(bundle.signedPrekey.key), signature: encode(bundle.signedPrekey.signature) },
    one_time_prekeys: bundle.oneTimePrekeys.map((k) => ({ id: k.id, key: encode(k.key) })) };
}

/** message.send: {pair, client_id (16 bytes), body}. */
export function messageSendBody(pair, clientId, body) {
  return { pair, client_id: encode(clientId), body: encode(body) };
}

/** document.write: {document, version, body, signature}. */
export function documentWriteBody(documentId, version, body, signature) {
  return { document: documentId, version, body: encode(body), signature: encode(signature) };
}

/** contract.sign: {document, version, signature} over pair, document, version and the version hash. */
export function contractSignBody(identity, pair, documentId, version, versionHash) {
  return { document: documentId, version, signature: encode(signWith(identity, contractMessage(pair, documentId, version, versionHash))) };
}
