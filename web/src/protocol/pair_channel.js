// One pair's end-to-end channel on this device (PROTOCOL.md §12.4 "Sessions per pair", §12.5,
// §12.7): up to 4 sessions, the active one to send on, the sender's per-pair counter, the
// partner's received counters, and the partner key trusted for the pair. Pure functions over a
// plain state object: each returns a new state in its result and never changes the one given,
// so a refused message leaves everything as it was. No network here: the caller fetches bundles
// and stores, sends and acknowledges.
import { equal, compare } from './bytes.js';
import { ok, fail } from './result.js';
import { parseMessage, MAX_COUNTER } from './message_format.js';
import { accept, awaitingReply, decrypt, encrypt, initiate, partnerIdentity } from './session.js';
import { addReceived, emptyReceived, hasReceived, highestReceived, missingBetween } from './message_order.js';
import { parseSafetyNumber, safetyNumber } from './safety_number.js';

export const MAX_SESSIONS_PER_PAIR = 4;

/** A pair with no sessions, counting from 1, trusting no key yet. */
export function newPairChannel(pair) {
  return { pair, sessions: [], active: 0, nextCounter: 1, received: emptyReceived(),
    trustedKey: null, acceptedKeys: [], verified: false, changedKey: null };
}

function changedKeyError(state) {
  const r = fail('changed_key', 'your partner\'s identity key has changed, so nothing is sent until you compare safety numbers and accept it');
  r.error.newKey = state.changedKey;
  return r;
}

// Trust on first use; a different key stops the pair until accepted.
function checkPartnerKey(state, key) {
  if (state.trustedKey === null) {
    state.trustedKey = Uint8Array.from(key);
    state.acceptedKeys = [Uint8Array.from(key)];
    return true;
  }
  if (equal(state.trustedKey, key)) return true;
  state.changedKey = Uint8Array.from(key);
  return false;
}

/**
 * Result of {state, message, counter}: payload of kind encrypted on the active session, or on a
 * new one from bundle (decoded keys.fetch bundle; needed only when there is no session yet).
 * changed_key if the bundle carries a key other than the trusted one (the state then records it).
 */
export function sealForPartner(state, identity, deviceKeys, bundle, kind, payload, random) {
  const next = structuredClone(state);
  if (next.changedKey !== null) return changedKeyError(next);
  if (next.sessions.length === 0) {
    if (!bundle) return fail('no_session', 'fetch the partner\'s key bundle first');
    if (!checkPartnerKey(next, bundle.identityKey)) {
      const r = changedKeyError(next);
      r.error.state = next;
      return r;
    }
    const started = initiate(identity, deviceKeys, bundle, next.pair, random);
    if (!started.ok) return started;
    next.sessions.push(started.value);
    next.active = next.sessions.length - 1;
  }
  if (next.nextCounter > MAX_COUNTER) return fail('counter_exhausted', 'this device has sent as many messages in this pair as the protocol can count');
  const counter = next.nextCounter;
  const sealed = encrypt(next.sessions[next.active], kind, counter, payload);
  if (!sealed.ok) return sealed;
  next.sessions[next.active] = sealed.value.session;
  next.nextCounter += 1;
  return ok({ state: next, message: sealed.value.message, counter });
}

// Adds an answered session; both sides of a simultaneous start send on the session started by
// the member with the smaller identity key.
function addAnswered(state, session, myKey) {
  const current = state.sessions[state.active];
  const keepOurs = current !== undefined && awaitingReply(current) && compare(myKey, partnerIdentity(session)) < 0;
  state.sessions.push(session);
  let keep = keepOurs ? state.active : state.sessions.length - 1;
  if (state.sessions.length > MAX_SESSIONS_PER_PAIR) {
    const oldest = keep === 0 ? 1 : 0;
    state.sessions.splice(oldest, 1);
    if (keep > oldest) keep -= 1;
  }
  state.active = keep;
}

/**
 * Result of {state, deviceKeys, plaintext {kind, counter, payload}, missingBefore, outOfOrder}
 * for an envelope body from the partner. Failures (nothing changed): changed_key (leave the
 * envelope on the server; error.state records the new key), duplicated_message (a replay,
 * also across sessions), and the session errors (bad_mac, unknown_prekey, too_many_skipped, …).
 */
export function openFromPartner(state, identity, deviceKeys, body, random) {
  if (state.changedKey !== null) return changedKeyError(state);
  const parsed = parseMessage(body);
  if (!parsed.ok) return parsed;
  const prekey = parsed.value.prekey;
  let opened = null;
  let openedAt = -1;
  let keysAfter = deviceKeys;
  let reason = null;
  for (let k = 0; k < state.sessions.length && opened === null; k++) {
    const i = (state.active + k) % state.sessions.length;
    const r = decrypt(state.sessions[i], body, random);
    if (r.ok) {
      opened = r.value;
      openedAt = i;
    } else if (reason === null || r.error.code === 'duplicated_message') {
      reason = r;
    }
  }
  const next = structuredClone(state);
  if (opened === null) {
    const startsHeld = prekey !== null && state.sessions.some((s) => s.initialEphemeral !== null && equal(s.initialEphemeral, prekey.ephemeralKey));
    if (prekey === null || startsHeld) return reason ?? fail('no_session', 'a message for a session this device does not have');
    const accepted = accept(identity, deviceKeys, state.pair, body, random);
    if (!accepted.ok) return accepted;
    if (!checkPartnerKey(next, prekey.identityKey)) {
      const r = changedKeyError(next);
      r.error.state = next;
      return r;
    }
    opened = accepted.value;
    keysAfter = accepted.value.deviceKeys;
  }
  const counter = opened.plaintext.counter;
  if (hasReceived(state.received, counter)) return fail('duplicated_message', 'this message repeats one already received (a replay)');
  const highest = highestReceived(state.received);
  const missingBefore = missingBetween(state.received, highest, counter);
  const outOfOrder = counter < highest;
  next.received = addReceived(state.received, counter);
  if (openedAt >= 0) {
    next.sessions[openedAt] = opened.session;
    if (prekey === null) next.active = openedAt; // a reply in a session makes it the one we send on
  } else {
    addAnswered(next, opened.session, identity.publicKey);
  }
  return ok({ state: next, deviceKeys: keysAfter, plaintext: opened.plaintext, missingBefore, outOfOrder });
}

/**
 * Result of the new state accepting the changed partner key, only if typedNumber (60 digits,
 * spaces ignored) is the safety number of myKey and that key (§12.5): the old key stays
 * accepted for older documents, sessions are dropped, and both counts start again (§12.7).
 */
export function acceptChangedKey(state, myKey, typedNumber) {
  if (state.changedKey === null) return fail('no_change', 'your partner\'s key has not changed');
  const typed = parseSafetyNumber(typedNumber);
  if (typed === null) return fail('invalid_number', 'a safety number is 60 digits');
  if (typed !== safetyNumber(myKey, state.changedKey)) {
    return fail('number_mismatch', 'that is not the safety number of the key now offered; nothing was accepted');
  }
  const next = structuredClone(state);
  next.trustedKey = next.changedKey;
  next.acceptedKeys.push(next.changedKey);
  next.changedKey = null;
  next.verified = true;
  next.sessions = [];
  next.active = 0;
  next.nextCounter = 1;
  next.received = emptyReceived();
  return ok(next);
}

/**
 * Result of the new state with the trusted key marked verified, only if typedNumber is the
 * safety number of myKey and serverKey (keys.identity's key, which must be the trusted one).
 */
export function markVerified(state, myKey, serverKey, typedNumber) {
  if (state.trustedKey === null) return fail('no_key', 'no key of your partner is known yet');
  if (state.changedKey !== null || !equal(state.trustedKey, serverKey)) return fail('changed_key', 'the key the server now states is not the one trusted');
  const typed = parseSafetyNumber(typedNumber);
  if (typed === null) return fail('invalid_number', 'a safety number is 60 digits');
  if (typed !== safetyNumber(myKey, state.trustedKey)) return fail('number_mismatch', 'the numbers differ: do not trust this key');
  return ok({ ...structuredClone(state), verified: true });
}
