// Frames (PROTOCOL.md §3): requests out, results/errors/events in. decodeFrame checks the
// envelope of a frame (type, id, body, error, event name) and never throws; the body is then
// decoded by replies.js or events.js against what was asked.
import { parseJson, isObject, JsonFraction } from './json.js';
import { ok, fail } from './result.js';
import { textProblem } from './text.js';
import { MAX_ID } from './fields.js';

export const PROTOCOL_VERSION = 2;
/** The stable error codes of §8; any other code is treated as internal (§11). */
export const ERROR_CODES = Object.freeze(['malformed', 'unknown_type', 'missing_field', 'invalid_field', 'unsupported_version',
  'hello_required', 'not_authenticated', 'already_authenticated', 'bad_signature', 'unknown_identity', 'identity_taken',
  'invite_unknown', 'invite_used', 'invite_expired', 'invite_name_mismatch', 'forbidden', 'not_found', 'conflict',
  'rate_limited', 'quota_exceeded', 'internal', 'unavailable']);
const MESSAGE_BYTES = 1000;
const FIELD_BYTES = 200;
const EVENT_NAME = /^[a-z_]+(\.[a-z_]+)*$/;

/** The JSON text of a request {id, type, body} (body omitted when undefined). */
export function encodeRequest(id, type, body) {
  return JSON.stringify(body === undefined ? { id, type } : { id, type, body });
}

function unreadable(problem, field) {
  return fail('unreadable_reply', `the server sent a reply this client cannot read: ${problem}`, field);
}

/**
 * Result of one frame: {kind: 'result', id, body} | {kind: 'error', id (or null), code, message, field?}
 * | {kind: 'event', event, body}. A code outside §8 becomes 'internal'.
 */
export function decodeFrame(text) {
  const parsed = parseJson(text);
  if (!parsed.ok) return unreadable(parsed.error.message, 'frame');
  const f = parsed.value;
  if (!isObject(f)) return unreadable('the frame is not an object', 'frame');
  const validId = (v) => typeof v === 'number' && !(v instanceof JsonFraction) && Number.isSafeInteger(v) && v >= 0 && v <= MAX_ID;
  if (f.type === 'result') {
    if (!validId(f.id)) return unreadable('id is not a request id', 'id');
    if (!isObject(f.body)) return unreadable('body is not an object', 'body');
    return ok({ kind: 'result', id: f.id, body: f.body });
  }
  if (f.type === 'error') {
    if (!(f.id === null || validId(f.id))) return unreadable('id is not a request id', 'id');
    const e = f.error;
    if (!isObject(e)) return unreadable('error is not an object', 'error');
    if (typeof e.code !== 'string') return unreadable('error.code is not text', 'error.code');
    if (textProblem(e.message, MESSAGE_BYTES) !== null) return unreadable('error.message is not valid text', 'error.message');
    const out = { kind: 'error', id: f.id, code: ERROR_CODES.includes(e.code) ? e.code : 'internal', message: e.message };
    if (Object.hasOwn(e, 'field') && e.field !== null) {
      if (textProblem(e.field, FIELD_BYTES) !== null) return unreadable('error.field is not valid text', 'error.field');
      out.field = e.field;
    }
    return ok(out);
  }
  if (f.type === 'event') {
    if (typeof f.event !== 'string' || !EVENT_NAME.test(f.event) || f.event.length > 64) return unreadable('event is not an event name', 'event');
    if (!isObject(f.body)) return unreadable('body is not an object', 'body');
    return ok({ kind: 'event', event: f.event, body: f.body });
  }
  return unreadable('type is not result, error or event', 'type');
}
