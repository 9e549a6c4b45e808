// Messaging for the logged-in member, in the order the CLI's messenger.cpp does it (PROTOCOL.md
// §12): device keys made and saved before their public halves are published; a message encrypted
// and saved (pending, with its client_id) before it is sent; a received message saved to history
// before it is acknowledged; a changed partner key stops sending and leaves the partner's
// messages on the server until the member accepts it. m = {connection, identity, state, persist}:
// state is the device state (changed in place), persist() saves it (Result).
import { newPairChannel, openFromPartner, sealForPartner } from '../protocol/pair_channel.js';
import {
  addOneTimePrekeys, generateDeviceKeys, publicBundle, rotateSignedPrekey, signedPrekeyDue, ONE_TIME_PREKEY_BATCH,
} from '../protocol/device_keys.js';
import { newDeviceState } from '../protocol/device_state.js';
import { dhFromSecret } from '../protocol/keys.js';
import { keysPublishBody, messageSendBody } from '../protocol/requests.js';
import { systemRandom } from '../protocol/random.js';
import { KIND_CHAT, KIND_DOCUMENT_KEY, MAX_PAYLOAD_BYTES } from '../protocol/message_format.js';
import { keepKeyShare } from './documents.js';
import { CALL_SIGNAL_KIND, decodeCallSignal, encodeCallSignal } from '../protocol/call_signal.js';
import { randomBytes } from '../protocol/primitives.js';
import { equal, utf8, fromUtf8 } from '../protocol/bytes.js';
import { ok, fail } from '../protocol/result.js';
import { emptySeen, markSeen, wasSeen } from './seen.js';

export const DEVICE = 1; // one device per member, as the CLI
const nowMs = () => Date.now();
/** Problems remembered per pair to show in its chat (oldest forgotten first). */
export const MAX_PROBLEMS_KEPT = 200;
const CLIENT_ID_BYTES = 16;
/** One-time prekey secrets this device keeps at most: a server that keeps saying "low" gets no more (sessions then start from the signed prekey, §12.2). */
export const MAX_ONE_TIME_PREKEYS_KEPT = 1000;

/** The chat record of pair in state, made on first use. */
export function chatOf(state, pair) {
  state.chats ??= {};
  state.chats[pair] ??= { history: [], pending: [], seen: emptySeen(), unread: 0, problems: [] };
  return state.chats[pair];
}

/** The pair channel of pair in state, made on first use. */
export function channelOf(state, pair) {
  state.channels[pair] ??= newPairChannel(pair);
  return state.channels[pair];
}

function changedKeyError(pair) {
  return fail('changed_key', `your partner's identity key in pair ${pair} has changed, so nothing is sent until you compare safety numbers and accept it (Trust tab)`);
}

/**
 * Records a problem in pair's chat, where it happened (seq, or 0 when not known). kind names the
 * sentence the page shows (catalogue key problem.KIND with {seq}, {reason}, {text}); what is it in English.
 */
export function noteProblem(state, pair, seq, what, kind = null, params = {}, at = Date.now()) {
  const chat = chatOf(state, pair);
  chat.problems.push({ seq, what, kind, params, at });
  while (chat.problems.length > MAX_PROBLEMS_KEPT) chat.problems.shift();
}

async function publish(m, oneTime) {
  return m.connection.request('keys.publish', keysPublishBody(DEVICE, publicBundle(m.state.deviceKeys, oneTime)));
}

/** Publishes this device's keys on first use; refills one-time prekeys when low; rotates the signed prekey when due. */
export async function prepareDevice(m, nowMs = Date.now()) {
  if (!m.state.keysPublished) {
    const oneTime = m.state.deviceKeys.oneTime.map((k) => ({ id: k.id, key: dhFromSecret(k.secret).publicKey }));
    const published = await publish(m, oneTime);
    if (!published.ok) return published;
    m.state.keysPublished = true;
    return m.persist();
  }
  const status = await m.connection.request('keys.status', { device: DEVICE });
  if (!status.ok) return status;
  const room = Math.max(0, MAX_ONE_TIME_PREKEYS_KEPT - m.state.deviceKeys.oneTime.length);
  const refill = status.value.low ? Math.min(ONE_TIME_PREKEY_BATCH, room) : 0;
  const rotate = signedPrekeyDue(m.state.deviceKeys, nowMs);
  if (refill === 0 && !rotate) return ok(null);
  const fresh = refill > 0 ? addOneTimePrekeys(m.state.deviceKeys, refill, systemRandom()) : [];
  if (rotate) rotateSignedPrekey(m.state.deviceKeys, m.identity, nowMs, systemRandom());
  const saved = await m.persist(); // secrets saved before their public halves leave
  if (!saved.ok) return saved;
  const published = await publish(m, fresh);
  return published.ok ? ok(null) : published;
}

/** A new device state around fresh device keys (saved by the caller before anything is published). */
export function newState(identity, nowMs = Date.now()) {
  return { ...newDeviceState(generateDeviceKeys(identity, nowMs, systemRandom())), keysPublished: false, chats: {} };
}

/** Result of the partner's identity key as the server states it (keys.identity); a changed one is recorded. */
export async function partnerIdentity(m, pair) {
  const r = await m.connection.request('keys.identity', { pair });
  if (!r.ok) return r;
  const channel = channelOf(m.state, pair);
  const next = structuredClone(channel);
  if (next.trustedKey === null) {
    next.trustedKey = Uint8Array.from(r.value.identityKey);
    next.acceptedKeys = [Uint8Array.from(r.value.identityKey)];
  } else if (!equal(next.trustedKey, r.value.identityKey)) {
    next.changedKey = Uint8Array.from(r.value.identityKey);
  }
  m.state.channels[pair] = next;
  chatOf(m.state, pair).partnerName = r.value.name;
  const saved = await m.persist();
  return saved.ok ? ok(r.value) : saved;
}

/** Result of the last {pair, seq, sentAt} sent: text encrypted, saved, then every saved message of the pair sent in order. */
export async function sendText(m, pair, text) {
  if (typeof text !== 'string' || text.length === 0) return fail('empty', 'there is no text to send');
  const payload = utf8(text);
  if (payload.length > MAX_PAYLOAD_BYTES) return fail('too_long', `a message may be at most ${MAX_PAYLOAD_BYTES} bytes`);
  return sendPayload(m, pair, KIND_CHAT, payload, text);
}

/** Sends a document key share (protocol/documents.js keyShareFor) to the partner over the pair's session. */
export async function shareDocumentKey(m, pair, sharePayload) {
  return sendPayload(m, pair, KIND_DOCUMENT_KEY, sharePayload, null);
}

/**
 * Sends a call signal (§12.8) as a kind-03 message: saved and sent as any message, never shown
 * in the chat. Result as sendText's.
 */
export async function sendCallSignal(m, pair, signal) {
  let payload;
  try {
    payload = encodeCallSignal(signal);
  } catch (e) {
    return fail('invalid', `the call signal cannot be sent: ${e.message}`);
  }
  return sendPayload(m, pair, CALL_SIGNAL_KIND, payload, null);
}

async function sendPayload(m, pair, kind, payload, text) {
  let channel = channelOf(m.state, pair);
  if (channel.changedKey !== null) return changedKeyError(pair);
  let bundle = null;
  if (channel.sessions.length === 0) {
    const fetched = await m.connection.request('keys.fetch', { pair });
    if (!fetched.ok) return fetched;
    bundle = fetched.value.bundle;
  }
  const sealed = sealForPartner(channel, m.identity, m.state.deviceKeys, bundle, kind, payload, systemRandom());
  if (!sealed.ok) {
    if (sealed.error.code === 'changed_key' && sealed.error.state) {
      m.state.channels[pair] = sealed.error.state;
      const saved = await m.persist();
      if (!saved.ok) return saved;
      return changedKeyError(pair);
    }
    return sealed;
  }
  channel = sealed.value.state;
  m.state.channels[pair] = channel;
  const chat = chatOf(m.state, pair);
  chat.pending.push({ clientId: randomBytes(CLIENT_ID_BYTES), body: sealed.value.message, text, kind, counter: sealed.value.counter });
  const saved = await m.persist();
  if (!saved.ok) return saved;
  const problems = [];
  const flushed = await flushPending(m, pair, problems);
  if (!flushed.ok) return fail(flushed.error.code, `${flushed.error.message}; the message is saved and will be sent when the server can be reached`);
  if (problems.length) return fail(problems[problems.length - 1].code, problems[problems.length - 1].what);
  const last = flushed.value[flushed.value.length - 1];
  return last ? ok(last) : fail('internal', 'the message was not sent');
}

// A reply that could not be read leaves the message saved: the server may have stored it, and the
// retry with the same client_id is deduplicated.
function keptForRetry(error) {
  return ['offline', 'timeout', 'busy', 'internal', 'unreadable_reply', 'malformed'].includes(error.code);
}

/** Sends pair's saved messages in order; Result of the [{pair, seq, sentAt}] sent now. */
export async function flushPending(m, pair, problems) {
  const chat = chatOf(m.state, pair);
  const sent = [];
  while (chat.pending.length) {
    const p = chat.pending[0];
    const r = await m.connection.request('message.send', messageSendBody(pair, p.clientId, p.body));
    if (!r.ok && keptForRetry(r.error)) return r;
    chat.pending.shift();
    if (r.ok) {
      if (p.kind === KIND_CHAT) chat.history.push({ seq: r.value.seq, mine: true, text: p.text, sentAt: r.value.sentAt, counter: p.counter });
      markSeen(chat.seen, r.value.seq);
      sent.push({ pair, seq: r.value.seq, sentAt: r.value.sentAt });
    } else {
      if (p.kind === CALL_SIGNAL_KIND) {
        problems.push({ pair, seq: 0, what: `a call signal was not sent: ${r.error.message}`, code: r.error.code, kind: 'call_not_sent', params: { reason: r.error.message } });
        const saved = await m.persist();
        if (!saved.ok) return saved;
        continue; // a call the server refused to carry is not a chat problem
      }
      const what = p.kind === KIND_CHAT ? `"${p.text}" was not sent: ${r.error.message}` : `a document key was not sent: ${r.error.message}`;
      const kind = p.kind === KIND_CHAT ? 'not_sent' : 'key_not_sent';
      const params = { text: p.text ?? '', reason: r.error.message };
      problems.push({ pair, seq: 0, what, code: r.error.code, kind, params });
      noteProblem(m.state, pair, 0, what, kind, params);
    }
    const saved = await m.persist();
    if (!saved.ok) return saved;
  }
  return ok(sent);
}

/**
 * Result of the chat message {pair, seq, sender, text, sentAt, counter, missingBefore, outOfOrder}
 * taken in from envelope, a call signal {pair, seq, from, callSignal} (kind 03, §12.8: checked,
 * never stored in the chat), or null (seen before, not chat, or dropped into problems). Saved before
 * it returns; acknowledges nothing. Fails with changed_key or keys_waiting (§14.4) when it must
 * stay on the server.
 */
export async function takeIn(m, envelope, problems) {
  const { pair, seq } = envelope;
  const isNewPair = m.state.channels[pair] === undefined;
  const chat = chatOf(m.state, pair);
  if (wasSeen(chat.seen, seq)) return ok(null);
  const channel = channelOf(m.state, pair);
  const drop = async (kind, what, params = {}) => {
    params = { seq, ...params };
    problems.push({ pair, seq, what, kind, params });
    if (isNewPair && channel.sessions.length === 0) {
      delete m.state.channels[pair];
      delete m.state.chats[pair];
      return ok(null);
    }
    noteProblem(m.state, pair, seq, what, kind, params);
    markSeen(chat.seen, seq);
    const saved = await m.persist();
    return saved.ok ? ok(null) : saved;
  };
  if (channel.changedKey !== null) return changedKeyError(pair);
  if (chat.keysWaiting) return fail('keys_waiting', `a document key from your partner in pair ${pair} waits on the server until you open the pair's documents`);
  const opened = openFromPartner(channel, m.identity, m.state.deviceKeys, envelope.body, systemRandom());
  if (!opened.ok) {
    if (opened.error.code === 'changed_key') {
      if (opened.error.state) {
        m.state.channels[pair] = opened.error.state;
        const saved = await m.persist();
        if (!saved.ok) return saved;
      }
      return changedKeyError(pair);
    }
    if (opened.error.code === 'duplicated_message') return drop('replay', `message ${seq} repeats a message already received (a replay) and was rejected`);
    return drop('undecryptable', `message ${seq} could not be decrypted (${opened.error.message}) and was dropped`, { reason: opened.error.message });
  }
  const { plaintext, missingBefore, outOfOrder } = opened.value;
  // A key beyond the pair's unopened ones (§14.4) is refused before the session moves: it stays on the server.
  const share = plaintext.kind === KIND_DOCUMENT_KEY ? keepKeyShare(m.state.documents, pair, plaintext.payload) : null;
  if (share && !share.ok && share.error.code === 'forbidden') {
    chat.keysWaiting = true; // later envelopes of the pair wait too: acknowledging one would delete this one
    const saved = await m.persist();
    return saved.ok ? fail('keys_waiting', share.error.message) : saved;
  }
  m.state.channels[pair] = opened.value.state;
  m.state.deviceKeys = opened.value.deviceKeys;
  if (share) {
    if (!share.ok) return drop('foreign_share', `message ${seq} carried a document key for another pair and was set aside`);
    markSeen(chat.seen, seq);
    const saved = await m.persist();
    return saved.ok ? ok(null) : saved;
  }
  if (plaintext.kind === CALL_SIGNAL_KIND) {
    markSeen(chat.seen, seq); // the counter is kept by the channel, so nothing shows as missing
    const saved = await m.persist();
    if (!saved.ok) return saved;
    const signal = decodeCallSignal(plaintext.payload, nowMs());
    if (!signal.ok) return ok({ pair, seq, from: envelope.sender, callSignal: null, reason: signal.error.code });
    return ok({ pair, seq, from: envelope.sender, callSignal: signal.value });
  }
  if (plaintext.kind !== KIND_CHAT) return drop('unknown_kind', `message ${seq} is of a kind this version of mentorlink cannot show and was set aside`);
  const text = fromUtf8(plaintext.payload);
  if (text === null) return drop('not_text', `message ${seq} is not UTF-8 text and was dropped`);
  const entry = { seq, mine: false, text, sentAt: envelope.sentAt, counter: plaintext.counter };
  chat.history.push(entry);
  chat.unread += 1;
  markSeen(chat.seen, seq);
  const saved = await m.persist(); // in history before it is acknowledged
  if (!saved.ok) return saved;
  return ok({ pair, seq, sender: envelope.sender, text, sentAt: envelope.sentAt, counter: plaintext.counter, missingBefore, outOfOrder });
}

/** Acknowledges pair's envelopes up to seq. */
export async function acknowledge(m, pair, upTo) {
  return m.connection.request('message.ack', { pair, up_to: upTo });
}

/** One pushed envelope (live): taken in, then acknowledged. */
export async function receive(m, envelope) {
  const problems = [];
  const r = await takeIn(m, envelope, problems);
  if (!r.ok) return { result: r, problems };
  const acked = await acknowledge(m, envelope.pair, envelope.seq);
  return { result: acked.ok ? r : acked, problems };
}

/**
 * Result of {received, callSignals, problems, leftOnServer}: saved messages sent, then the backlog taken in
 * and acknowledged, paging past pairs whose messages stay on the server (a changed key).
 */
export async function sync(m) {
  const out = { received: [], callSignals: [], problems: [], leftOnServer: [] };
  for (const pair of Object.keys(m.state.chats ?? {})) {
    if (m.state.chats[pair].pending.length === 0) continue;
    const flushed = await flushPending(m, Number(pair), out.problems);
    if (!flushed.ok) return flushed;
  }
  for (const chat of Object.values(m.state.chats ?? {})) delete chat.keysWaiting; // a sync tries again (§14.4)
  const leftAfter = new Map();
  const blocked = new Set();
  for (;;) {
    const body = leftAfter.size ? { after: [...leftAfter].map(([pair, seq]) => ({ pair, seq })) } : {};
    const batch = await m.connection.request('message.sync', body);
    if (!batch.ok) return batch;
    const ackUpTo = new Map();
    let movedOn = false;
    // The batch is saved once, after it is taken in and before any of it is acknowledged.
    const batched = { ...m, persist: async () => ok(null) };
    for (const env of batch.value.envelopes) {
      if (!blocked.has(env.pair)) {
        const r = await takeIn(batched, env, out.problems);
        if (r.ok) {
          if (r.value?.callSignal !== undefined) out.callSignals.push(r.value);
          else if (r.value) out.received.push(r.value);
          ackUpTo.set(env.pair, env.seq);
          movedOn = true;
          continue;
        }
        if (r.error.code !== 'changed_key' && r.error.code !== 'keys_waiting') {
          const kept = await m.persist(); // what was taken in so far stays, unacknowledged
          return kept.ok ? r : kept;
        }
        blocked.add(env.pair);
        out.problems.push({ pair: env.pair, seq: env.seq, what: r.error.message, kind: r.error.code, params: {} });
      }
      if (env.seq > (leftAfter.get(env.pair) ?? 0)) {
        leftAfter.set(env.pair, env.seq);
        movedOn = true;
      }
    }
    const saved = await m.persist();
    if (!saved.ok) return saved;
    for (const [pair, seq] of ackUpTo) {
      const acked = await acknowledge(m, pair, seq);
      if (acked.ok) continue;
      // Envelopes the server filed under a pair this device is not in, and then will not let it
      // acknowledge: said once, skipped by the next message.sync, no reason to fail the others.
      const foreign = m.state.channels[pair] === undefined && ['not_found', 'forbidden'].includes(acked.error.code);
      if (!foreign) return acked;
      out.problems.push({ pair, seq, kind: 'foreign_pair', params: { pair }, what: `the server delivered messages under pair ${pair}, which you are not in, and refused their acknowledgement; they were ignored` });
      leftAfter.set(pair, Math.max(leftAfter.get(pair) ?? 0, seq));
    }
    if (!batch.value.more || !movedOn) break;
  }
  out.leftOnServer = [...blocked];
  return ok(out);
}
