// The Double Ratchet's key schedule and state (PROTOCOL.md §12.3), without message bytes.
//   KDF_RK(rk, dh) = HKDF(salt = rk, ikm = dh, info = "mentorlink/v2/ratchet-root", 64) → rk' ‖ ck
//   KDF_CK(ck)     = ck' = HMAC(ck, 02), mk = HMAC(ck, 01)
//   message keys   = HKDF(salt = 0×32, ikm = mk, info = "mentorlink/v2/message-keys", 56) → key ‖ nonce
// State is a plain object of numbers and Uint8Arrays (structuredClone-able). receivingKey mutates
// the state it is given: callers run it on a clone and keep the clone only if the message opens.
import { hkdf } from './hkdf.js';
import { hmacSha256 } from './primitives.js';
import { equal, u8, utf8 } from './bytes.js';
import { dh, dhFromSecret, dhGenerate } from './keys.js';
import { ok, fail } from './result.js';

export const MAX_SKIP = 1000;
export const MAX_STORED_SKIPPED = 2000;
const ROOT_INFO = utf8('mentorlink/v2/ratchet-root');
const MESSAGE_KEYS_INFO = utf8('mentorlink/v2/message-keys');

/** {rootKey, chainKey} = KDF_RK(rk, dhOutput). */
export function kdfRk(rootKey, dhOutput) {
  const out = hkdf(rootKey, dhOutput, ROOT_INFO, 64);
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32) };
}

/** {chainKey, messageKey} = KDF_CK(ck). */
export function kdfCk(chainKey) {
  return { chainKey: hmacSha256(chainKey, u8(0x02)), messageKey: hmacSha256(chainKey, u8(0x01)) };
}

/** {key(32), nonce(24)} of a message key. */
export function messageKeys(messageKey) {
  const out = hkdf(new Uint8Array(0), messageKey, MESSAGE_KEYS_INFO, 56);
  return { key: out.slice(0, 32), nonce: out.slice(32) };
}

/** Result of the initiator's state: DHs drawn now, DHr = their signed prekey, (RK, CKs) = KDF_RK(SK, DH). */
export function initiatorState(sharedKey, theirRatchetKey, random) {
  const self = dhGenerate(random);
  const out = dh(self, theirRatchetKey);
  if (out === null) return fail('invalid_key', 'the partner key is not usable (low order)');
  const step = kdfRk(sharedKey, out);
  return ok({
    dhSelf: self.secret, dhRemote: Uint8Array.from(theirRatchetKey), rootKey: step.rootKey,
    sendChain: step.chainKey, receiveChain: null, sendN: 0, receiveN: 0, previousN: 0, receivedAny: false, skipped: [],
  });
}

/** The responder's state: DHs = its signed prekey, RK = SK, no chains. */
export function responderState(sharedKey, signedPrekeySecret) {
  return {
    dhSelf: Uint8Array.from(signedPrekeySecret), dhRemote: null, rootKey: Uint8Array.from(sharedKey),
    sendChain: null, receiveChain: null, sendN: 0, receiveN: 0, previousN: 0, receivedAny: false, skipped: [],
  };
}

/** Result of {header, messageKey} for the next message sent; advances state. cannot_send_yet without a sending chain. */
export function nextSending(state) {
  if (state.sendChain === null) return fail('cannot_send_yet', 'this device cannot send in this session before it has received');
  const step = kdfCk(state.sendChain);
  const header = { dh: dhFromSecret(state.dhSelf).publicKey, pn: state.previousN, n: state.sendN };
  state.sendChain = step.chainKey;
  state.sendN += 1;
  return ok({ header, messageKey: step.messageKey });
}

function skipUntil(state, until) {
  if (state.receiveChain === null || state.dhRemote === null) return true;
  if (until > state.receiveN && until - state.receiveN > MAX_SKIP) return false;
  while (state.receiveN < until) {
    const step = kdfCk(state.receiveChain);
    state.skipped.push({ dh: state.dhRemote, n: state.receiveN, messageKey: step.messageKey });
    if (state.skipped.length > MAX_STORED_SKIPPED) state.skipped.shift();
    state.receiveChain = step.chainKey;
    state.receiveN += 1;
  }
  return true;
}

/** Result of the message key for header {dh, pn, n}, with a DH ratchet step and skipped keys as needed. Mutates state. */
export function receivingKey(state, header, random) {
  const index = state.skipped.findIndex((s) => s.n === header.n && equal(s.dh, header.dh));
  if (index >= 0) {
    const [hit] = state.skipped.splice(index, 1);
    state.receivedAny = true;
    return ok(hit.messageKey);
  }
  const sameChain = state.dhRemote !== null && equal(state.dhRemote, header.dh);
  if (sameChain && state.receiveChain === null) {
    return fail('invalid_message', 'the header names a ratchet key no message was sent under'); // attack 21
  }
  if (sameChain && header.n < state.receiveN) return fail('duplicated_message', 'this message was received before');
  if (!sameChain) {
    if (!skipUntil(state, header.pn)) return fail('too_many_skipped', 'the message claims too many skipped messages');
    state.previousN = state.sendN;
    state.sendN = 0;
    state.receiveN = 0;
    state.dhRemote = Uint8Array.from(header.dh);
    const out1 = dh({ secret: state.dhSelf }, header.dh);
    if (out1 === null) return fail('invalid_key', 'the ratchet key is not usable (low order)');
    const recv = kdfRk(state.rootKey, out1);
    state.rootKey = recv.rootKey;
    state.receiveChain = recv.chainKey;
    const self = dhGenerate(random);
    state.dhSelf = self.secret;
    const out2 = dh(self, header.dh);
    if (out2 === null) return fail('invalid_key', 'the ratchet key is not usable (low order)');
    const send = kdfRk(state.rootKey, out2);
    state.rootKey = send.rootKey;
    state.sendChain = send.chainKey;
  }
  if (!skipUntil(state, header.n)) return fail('too_many_skipped', 'the message claims too many skipped messages');
  const step = kdfCk(state.receiveChain);
  state.receiveChain = step.chainKey;
  state.receiveN += 1;
  state.receivedAny = true;
  return ok(step.messageKey);
}
