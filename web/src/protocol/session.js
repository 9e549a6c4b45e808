// One session between this device and the partner's device in one pair: X3DH to start, then the
// Double Ratchet for every message (PROTOCOL.md §12.2-§12.4). Every function that fails leaves the
// session and the device keys exactly as they were; a successful one returns the new session.
//   SK = HKDF(salt = 0×32, ikm = FF×32 ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4], info = "mentorlink/v2/x3dh", 32)
import { hkdf } from './hkdf.js';
import { concat, filled, utf8 } from './bytes.js';
import { dh, dhGenerate, dhFromSecret } from './keys.js';
import { aeadDecrypt, aeadEncrypt } from './primitives.js';
import { ok, fail } from './result.js';
import { identityDhMessage, signedPrekeyMessage, verifyWith } from './signatures.js';
import { initiatorState, messageKeys, nextSending, receivingKey, responderState } from './ratchet.js';
import {
  FIRST_COUNTER, MAX_COUNTER, MAX_PAYLOAD_BYTES, encodePrefix, messageAd, padPlaintext, parseMessage, unpadPlaintext,
} from './message_format.js';
import {
  acceptedBefore, eraseOneTimePrekey, identityDh, oneTimePrekey, rememberAccepted, signedPrekey,
} from './device_keys.js';

const X3DH_INFO = utf8('mentorlink/v2/x3dh');

/** X3DH's shared key of the DH outputs in order. */
export function x3dhSharedKey(dhOutputs) {
  return hkdf(new Uint8Array(0), concat(filled(32, 0xff), ...dhOutputs), X3DH_INFO, 32);
}

/** Whether a bundle's two signatures verify under its identity key (§12.2). */
export function verifyBundle(bundle) {
  return verifyWith(bundle.identityKey, identityDhMessage(bundle.identityDhKey), bundle.identityDhSignature)
    && verifyWith(bundle.identityKey, signedPrekeyMessage(bundle.signedPrekey.id, bundle.signedPrekey.key),
      bundle.signedPrekey.signature);
}

/**
 * Result of a new session started from the partner's bundle {identityKey, identityDhKey,
 * identityDhSignature, signedPrekey {id, key, signature}, oneTimePrekey {id, key}|null} in pair.
 * invalid_bundle if a signature does not verify; invalid_key for a low-order key.
 */
export function initiate(identity, deviceKeys, bundle, pair, random) {
  if (!verifyBundle(bundle)) return fail('invalid_bundle', 'the partner\'s key bundle is not signed by their identity key');
  const ephemeral = dhGenerate(random);
  const outputs = [
    dh(identityDh(deviceKeys), bundle.signedPrekey.key),
    dh(ephemeral, bundle.identityDhKey),
    dh(ephemeral, bundle.signedPrekey.key),
  ];
  if (bundle.oneTimePrekey) outputs.push(dh(ephemeral, bundle.oneTimePrekey.key));
  if (outputs.some((o) => o === null)) return fail('invalid_key', 'a key in the partner\'s bundle is not usable');
  const ratchet = initiatorState(x3dhSharedKey(outputs), bundle.signedPrekey.key, random);
  if (!ratchet.ok) return ratchet;
  return ok({
    pair, ratchet: ratchet.value, initiator: Uint8Array.from(identity.publicKey),
    responder: Uint8Array.from(bundle.identityKey), weInitiated: true, initialEphemeral: null,
    pendingPrekey: {
      identityKey: Uint8Array.from(identity.publicKey),
      identityDhKey: identityDh(deviceKeys).publicKey,
      identityDhSignature: Uint8Array.from(deviceKeys.identityDhSignature),
      ephemeralKey: ephemeral.publicKey,
      signedPrekeyId: bundle.signedPrekey.id,
      oneTimePrekeyId: bundle.oneTimePrekey ? bundle.oneTimePrekey.id : null,
    },
  });
}

function open(messageKey, parsed, session) {
  const keys = messageKeys(messageKey);
  const ad = messageAd(session.pair, session.initiator, session.responder, parsed.prefix);
  const padded = aeadDecrypt(keys.key, keys.nonce, parsed.ciphertext, ad);
  if (padded === null) return fail('bad_mac', 'the message does not authenticate');
  return unpadPlaintext(padded);
}

/**
 * Result of {session, plaintext {kind, counter, payload}} for a message in this session; the
 * given session is not changed (the returned one replaces it if the caller accepts the message).
 */
export function decrypt(session, message, random) {
  const parsed = parseMessage(message);
  if (!parsed.ok) return parsed;
  const trial = structuredClone(session);
  const key = receivingKey(trial.ratchet, parsed.value.header, random);
  if (!key.ok) return key;
  const plaintext = open(key.value, parsed.value, trial);
  if (!plaintext.ok) return plaintext;
  if (trial.weInitiated) trial.pendingPrekey = null; // answered: no more prekey messages
  return ok({ session: trial, plaintext: plaintext.value });
}

/**
 * Result of {session, deviceKeys, plaintext} answering a partner's prekey message in pair. The
 * returned device keys have the one-time prekey erased and the ephemeral key remembered.
 */
export function accept(identity, deviceKeys, pair, message, random) {
  const parsed = parseMessage(message);
  if (!parsed.ok) return parsed;
  const part = parsed.value.prekey;
  if (part === null) return fail('no_session', 'a message for a session this device does not have');
  if (!verifyWith(part.identityKey, identityDhMessage(part.identityDhKey), part.identityDhSignature)) {
    return fail('invalid_bundle', 'the session start is not signed by the sender\'s identity key');
  }
  const spk = signedPrekey(deviceKeys, part.signedPrekeyId);
  if (spk === null) return fail('unknown_prekey', 'the message uses a prekey this device no longer has');
  if (acceptedBefore(deviceKeys, part.signedPrekeyId, part.ephemeralKey)) {
    return fail('duplicated_message', 'this session start was accepted before (a replay)');
  }
  const opk = part.oneTimePrekeyId === null ? null : oneTimePrekey(deviceKeys, part.oneTimePrekeyId);
  if (part.oneTimePrekeyId !== null && opk === null) {
    return fail('unknown_prekey', 'the message uses a prekey this device no longer has');
  }
  const spkPair = dhFromSecret(spk.secret);
  const outputs = [dh(spkPair, part.identityDhKey), dh(identityDh(deviceKeys), part.ephemeralKey), dh(spkPair, part.ephemeralKey)];
  if (opk !== null) outputs.push(dh(dhFromSecret(opk.secret), part.ephemeralKey));
  if (outputs.some((o) => o === null)) return fail('invalid_key', 'a key in the session start is not usable');
  const fresh = {
    pair, ratchet: responderState(x3dhSharedKey(outputs), spk.secret), initiator: Uint8Array.from(part.identityKey),
    responder: Uint8Array.from(identity.publicKey), weInitiated: false, initialEphemeral: Uint8Array.from(part.ephemeralKey),
    pendingPrekey: null,
  };
  const opened = decrypt(fresh, message, random);
  if (!opened.ok) return opened;
  const keys = structuredClone(deviceKeys);
  if (part.oneTimePrekeyId !== null) eraseOneTimePrekey(keys, part.oneTimePrekeyId);
  rememberAccepted(keys, part.signedPrekeyId, part.ephemeralKey);
  return ok({ session: opened.value.session, deviceKeys: keys, plaintext: opened.value.plaintext });
}

/** Result of {session, message} encrypting payload of kind with the sender's per-pair counter. */
export function encrypt(session, kind, counter, payload) {
  if (!(payload instanceof Uint8Array) || payload.length > MAX_PAYLOAD_BYTES) return fail('invalid_message', 'the payload is too large');
  if (!Number.isSafeInteger(counter) || counter < FIRST_COUNTER || counter > MAX_COUNTER) return fail('invalid_message', 'the counter is out of range');
  if (!Number.isInteger(kind) || kind < 1 || kind > 255) return fail('invalid_message', 'the kind is out of range');
  const next = structuredClone(session);
  const sending = nextSending(next.ratchet);
  if (!sending.ok) return sending;
  const prefix = encodePrefix(next.pendingPrekey, sending.value.header);
  const keys = messageKeys(sending.value.messageKey);
  const ad = messageAd(next.pair, next.initiator, next.responder, prefix);
  const ciphertext = aeadEncrypt(keys.key, keys.nonce, padPlaintext(kind, counter, payload), ad);
  return ok({ session: next, message: concat(prefix, ciphertext) });
}

/** The partner's identity key in this session. */
export function partnerIdentity(session) {
  return session.weInitiated ? session.responder : session.initiator;
}

/** Whether this is a session we started that has had no reply yet (it still sends prekey messages). */
export function awaitingReply(session) {
  return session.pendingPrekey !== null;
}
