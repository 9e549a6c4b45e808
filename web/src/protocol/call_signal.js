// Call signalling (PROTOCOL.md §12.8): the payload of a kind-03 message inside the pair's Double
// Ratchet, so the server relays offers, answers, ICE candidates and hang-ups without reading them.
// The payload is UTF-8 JSON with exactly these keys, written in this order without spaces:
//   {"v":1,"call":B64(16),"reply_to":B64(16)|null,"meeting":INT,"type":"offer"|"answer"|"candidate"|"hangup",
//    "restart":BOOL,"sdp":STR|null,"candidate":{"candidate":STR,"sdp_mid":STR|null,"sdp_mline_index":INT|null}|null,
//    "fingerprint":B64(32)|null,"media_key":B64(32)|null,"sent_at":INT}
// Decoding never throws: a Result whose error.code is the reason.
import { encode as b64encode, decodeExact as b64decodeExact } from './base64url.js';
import { fromHex, fromUtf8, utf8 } from './bytes.js';
import { isObject, parseJson } from './json.js';
import { ok, fail } from './result.js';

export const CALL_SIGNAL_KIND = 0x03;
export const CALL_SIGNAL_VERSION = 1;
export const CALL_ID_BYTES = 16;
export const MEDIA_KEY_BYTES = 32;
export const FINGERPRINT_BYTES = 32;
/** An offer's or answer's SDP is at most this many UTF-8 bytes. */
export const MAX_SDP_BYTES = 32768;
/** An ICE candidate line (and its sdp_mid) is at most this many UTF-8 bytes. */
export const MAX_CANDIDATE_BYTES = 1024;
/** A signal sent longer ago than this by the local clock is stale and ignored (a late offer rings no call). */
export const MAX_SIGNAL_AGE_MS = 120000;
/** A signal dated further ahead of the local clock than this is refused. */
export const MAX_SIGNAL_AHEAD_MS = 120000;
export const SIGNAL_TYPES = Object.freeze(['offer', 'answer', 'candidate', 'hangup']);
const KEYS = ['v', 'call', 'reply_to', 'meeting', 'type', 'restart', 'sdp', 'candidate', 'fingerprint', 'media_key', 'sent_at'];
const CANDIDATE_KEYS = ['candidate', 'sdp_mid', 'sdp_mline_index'];
const MAX_MLINE_INDEX = 65535;

function random(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A fresh call id: one per join. */
export function newCallId() {
  return random(CALL_ID_BYTES);
}

/** A fresh media key for the frames this member sends: one per join, so keys change on every rejoin. */
export function newMediaKey() {
  return random(MEDIA_KEY_BYTES);
}

function bytesOf(v, n, name) {
  if (!(v instanceof Uint8Array) || v.length !== n) throw new TypeError(`${name} must be ${n} bytes`);
  return b64encode(v);
}

function describes(type) {
  return type === 'offer' || type === 'answer';
}

/** The payload bytes of signal (field names as in decodeCallSignal's result). Throws TypeError on a field the caller got wrong. */
export function encodeCallSignal(signal) {
  const { type } = signal;
  if (!SIGNAL_TYPES.includes(type)) throw new TypeError(`unknown signal type ${type}`);
  if (!Number.isSafeInteger(signal.meeting) || signal.meeting < 1) throw new TypeError('meeting must be a meeting id');
  if (!Number.isSafeInteger(signal.sentAt) || signal.sentAt < 0) throw new TypeError('sentAt must be milliseconds since 1970');
  let candidate = null;
  if (type === 'candidate') {
    const c = signal.candidate;
    if (typeof c?.candidate !== 'string') throw new TypeError('a candidate signal needs candidate.candidate');
    candidate = {
      candidate: c.candidate,
      sdp_mid: c.sdpMid ?? null,
      sdp_mline_index: c.sdpMLineIndex ?? null,
    };
  }
  if (describes(type) && typeof signal.sdp !== 'string') throw new TypeError(`an ${type} needs its sdp`);
  const out = {
    v: CALL_SIGNAL_VERSION,
    call: bytesOf(signal.callId, CALL_ID_BYTES, 'callId'),
    reply_to: signal.replyTo == null ? null : bytesOf(signal.replyTo, CALL_ID_BYTES, 'replyTo'),
    meeting: signal.meeting,
    type,
    restart: type === 'offer' && signal.restart === true,
    sdp: describes(type) ? signal.sdp : null,
    candidate,
    fingerprint: describes(type) ? bytesOf(signal.fingerprint, FINGERPRINT_BYTES, 'fingerprint') : null,
    media_key: describes(type) ? bytesOf(signal.mediaKey, MEDIA_KEY_BYTES, 'mediaKey') : null,
    sent_at: signal.sentAt,
  };
  const bytes = utf8(JSON.stringify(out));
  const check = decodeFields(bytes);
  if (!check.ok) throw new TypeError(check.error.message);
  return bytes;
}

function hasExactly(obj, keys) {
  const have = Object.keys(obj);
  return have.length === keys.length && keys.every((k) => Object.prototype.hasOwnProperty.call(obj, k));
}

const isInt = (v) => typeof v === 'number' && Number.isSafeInteger(v);

function bytesField(v, n, name, nullable) {
  if (v === null && nullable) return ok(null);
  const r = b64decodeExact(v, n);
  return r.ok ? r : fail('malformed', `${name} must be ${n} bytes in base64url`);
}

function utf8Length(s) {
  return utf8(s).length;
}

// The signal of bytes with every field checked, the clock not yet.
function decodeFields(bytes) {
  if (!(bytes instanceof Uint8Array)) return fail('malformed', 'a call signal is bytes');
  if (bytes.length > MAX_SDP_BYTES + 4 * MAX_CANDIDATE_BYTES) return fail('too_large', 'the call signal is too large');
  const text = fromUtf8(bytes);
  if (text === null) return fail('malformed', 'the call signal is not UTF-8');
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) return fail('malformed', 'the call signal is not a JSON object');
  const o = parsed.value;
  if (isInt(o.v) && o.v !== CALL_SIGNAL_VERSION) return fail('version', `call signal version ${o.v} is not known`);
  if (!hasExactly(o, KEYS) || o.v !== CALL_SIGNAL_VERSION) return fail('malformed', 'the call signal does not have exactly the fields of version 1');
  const type = o.type;
  if (!SIGNAL_TYPES.includes(type)) return fail('malformed', 'the call signal type is not known');
  const call = bytesField(o.call, CALL_ID_BYTES, 'call', false);
  if (!call.ok) return call;
  const replyTo = bytesField(o.reply_to, CALL_ID_BYTES, 'reply_to', true);
  if (!replyTo.ok) return replyTo;
  if (!isInt(o.meeting) || o.meeting < 1) return fail('malformed', 'meeting must be a meeting id');
  if (typeof o.restart !== 'boolean' || (o.restart && type !== 'offer')) return fail('malformed', 'only an offer may be a restart');
  if (!isInt(o.sent_at) || o.sent_at < 0) return fail('malformed', 'sent_at must be milliseconds since 1970');
  const described = describes(type);
  let sdp = null;
  let fingerprint = null;
  let mediaKey = null;
  if (described) {
    if (typeof o.sdp !== 'string' || o.sdp.length === 0) return fail('malformed', `an ${type} needs its SDP`);
    if (utf8Length(o.sdp) > MAX_SDP_BYTES) return fail('too_large', `the SDP is longer than ${MAX_SDP_BYTES} bytes`);
    sdp = o.sdp;
    const f = bytesField(o.fingerprint, FINGERPRINT_BYTES, 'fingerprint', false);
    if (!f.ok) return f;
    fingerprint = f.value;
    const k = bytesField(o.media_key, MEDIA_KEY_BYTES, 'media_key', false);
    if (!k.ok) return k;
    mediaKey = k.value;
  } else if (o.sdp !== null || o.fingerprint !== null || o.media_key !== null) {
    return fail('malformed', `a ${type} carries no SDP, fingerprint or media key`);
  }
  let candidate = null;
  if (type === 'candidate') {
    const c = o.candidate;
    if (!isObject(c) || !hasExactly(c, CANDIDATE_KEYS)) return fail('malformed', 'the candidate does not have exactly its three fields');
    if (typeof c.candidate !== 'string') return fail('malformed', 'the candidate line must be text');
    if (c.sdp_mid !== null && typeof c.sdp_mid !== 'string') return fail('malformed', 'sdp_mid must be text or null');
    if (utf8Length(c.candidate) > MAX_CANDIDATE_BYTES || (c.sdp_mid !== null && utf8Length(c.sdp_mid) > MAX_CANDIDATE_BYTES)) {
      return fail('too_large', `the candidate is longer than ${MAX_CANDIDATE_BYTES} bytes`);
    }
    const index = c.sdp_mline_index;
    if (index !== null && (!isInt(index) || index < 0 || index > MAX_MLINE_INDEX)) return fail('malformed', 'sdp_mline_index must be 0..65535 or null');
    candidate = { candidate: c.candidate, sdpMid: c.sdp_mid, sdpMLineIndex: index };
  } else if (o.candidate !== null) {
    return fail('malformed', `a ${type} carries no candidate`);
  }
  return ok({
    version: o.v, callId: call.value, replyTo: replyTo.value, meeting: o.meeting, type, restart: o.restart,
    sdp, candidate, fingerprint, mediaKey, sentAt: o.sent_at,
  });
}

/**
 * Result of the signal in a kind-03 payload received at nowMs (local clock): every field checked,
 * then its age. Error codes: malformed, version, too_large, stale, future. Never throws.
 */
export function decodeCallSignal(bytes, nowMs) {
  const r = decodeFields(bytes);
  if (!r.ok) return r;
  const { sentAt } = r.value;
  if (nowMs - sentAt > MAX_SIGNAL_AGE_MS) return fail('stale', `the call signal was sent ${Math.round((nowMs - sentAt) / 1000)} s ago and is ignored`);
  if (sentAt - nowMs > MAX_SIGNAL_AHEAD_MS) return fail('future', 'the call signal is dated in the future by more than the clocks may differ');
  return r;
}

/** Result of whether signal belongs to the call of meeting this person joined (code other_meeting). */
export function checkCallSignal(signal, { meeting }) {
  if (signal.meeting !== meeting) return fail('other_meeting', `the call signal is about meeting ${signal.meeting}, not the meeting joined (${meeting})`);
  return ok(null);
}

/** The SHA-256 certificate fingerprint an SDP states (a=fingerprint:sha-256 AA:BB:…), or null. */
export function fingerprintFromSdp(sdp) {
  if (typeof sdp !== 'string') return null;
  const m = /^a=fingerprint:sha-256 ((?:[0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})\r?$/im.exec(sdp);
  if (!m) return null;
  return fromHex(m[1].replaceAll(':', '').toLowerCase());
}
