// A device's X3DH secrets (PROTOCOL.md §12.1): the identity-DH key, signed prekeys (the last 3
// kept; each remembers the ephemeral keys of session starts it accepted, at most 1000) and one-time
// prekeys. One id counter per device, from 1, for signed and one-time prekeys alike.
import { dhFromSecret, dhGenerate } from './keys.js';
import { equal } from './bytes.js';
import { identityDhMessage, signedPrekeyMessage, signWith } from './signatures.js';

export const ONE_TIME_PREKEY_BATCH = 50;
export const ONE_TIME_PREKEY_LOW_WATER = 10;
export const SIGNED_PREKEY_ROTATION_MS = 7 * 24 * 60 * 60 * 1000;
export const SIGNED_PREKEYS_KEPT = 3;
export const ACCEPTED_SESSION_STARTS_KEPT = 1000;

/** New device keys: draw 0 the identity-DH key, draw 1 signed prekey id 1; then oneTime one-time prekeys. */
export function generateDeviceKeys(identity, nowMs, random, oneTime = ONE_TIME_PREKEY_BATCH) {
  const identityDh = dhGenerate(random);
  const keys = {
    identityDhSecret: identityDh.secret,
    identityDhSignature: signWith(identity, identityDhMessage(identityDh.publicKey)),
    signed: [], // ascending id: {id, secret, signature, createdAt, accepted: [ephemeral keys]}
    oneTime: [], // {id, secret}
    nextId: 1,
  };
  rotateSignedPrekey(keys, identity, nowMs, random);
  addOneTimePrekeys(keys, oneTime, random);
  return keys;
}

/** The identity-DH key pair. */
export function identityDh(keys) {
  return dhFromSecret(keys.identityDhSecret);
}

/** Makes a new current signed prekey and forgets the oldest beyond 3; returns {id, key, signature}. */
export function rotateSignedPrekey(keys, identity, nowMs, random) {
  const pair = dhGenerate(random);
  const id = keys.nextId++;
  const signature = signWith(identity, signedPrekeyMessage(id, pair.publicKey));
  keys.signed.push({ id, secret: pair.secret, signature, createdAt: nowMs, accepted: [] });
  while (keys.signed.length > SIGNED_PREKEYS_KEPT) keys.signed.shift();
  return { id, key: pair.publicKey, signature };
}

/** Whether the current signed prekey is 7 days old. */
export function signedPrekeyDue(keys, nowMs) {
  const current = keys.signed[keys.signed.length - 1];
  return nowMs - current.createdAt >= SIGNED_PREKEY_ROTATION_MS;
}

/** Adds count one-time prekeys with new ids; returns their public halves [{id, key}]. */
export function addOneTimePrekeys(keys, count, random) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const pair = dhGenerate(random);
    const id = keys.nextId++;
    keys.oneTime.push({ id, secret: pair.secret });
    out.push({ id, key: pair.publicKey });
  }
  return out;
}

/** The current signed prekey {id, key, signature}. */
export function currentSignedPrekey(keys) {
  const s = keys.signed[keys.signed.length - 1];
  return { id: s.id, key: dhFromSecret(s.secret).publicKey, signature: s.signature };
}

/** The signed prekey record with id, or null. */
export function signedPrekey(keys, id) {
  return keys.signed.find((s) => s.id === id) ?? null;
}

/** The one-time prekey record with id, or null. */
export function oneTimePrekey(keys, id) {
  return keys.oneTime.find((k) => k.id === id) ?? null;
}

/** Forgets one-time prekey id. */
export function eraseOneTimePrekey(keys, id) {
  keys.oneTime = keys.oneTime.filter((k) => k.id !== id);
}

/** Whether a session start with this ephemeral key was accepted under signed prekey spkId. */
export function acceptedBefore(keys, spkId, ephemeral) {
  const s = signedPrekey(keys, spkId);
  return s !== null && s.accepted.some((e) => equal(e, ephemeral));
}

/** Remembers an accepted session start's ephemeral key under signed prekey spkId (oldest forgotten beyond 1000). */
export function rememberAccepted(keys, spkId, ephemeral) {
  const s = signedPrekey(keys, spkId);
  if (s === null) return;
  s.accepted.push(Uint8Array.from(ephemeral));
  while (s.accepted.length > ACCEPTED_SESSION_STARTS_KEPT) s.accepted.shift();
}

/** The keys.publish body fields (binary values still bytes) for this device. */
export function publicBundle(keys, oneTimePublic) {
  return {
    identityDhKey: identityDh(keys).publicKey,
    identityDhSignature: keys.identityDhSignature,
    signedPrekey: currentSignedPrekey(keys),
    oneTimePrekeys: oneTimePublic,
  };
}
