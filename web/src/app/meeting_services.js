// The meeting cycle's services on top of the page's client (client/client.js): a DocumentBook and
// Meetings over its logged-in connection, its device state and its pair sessions. Every change of
// the device state runs inside client.exclusive() in the writer tab; a follower tab reads and
// verifies but saves nothing (the writer's state comes back to it).
import { DocumentBook } from '../client/documents.js';
import { Meetings } from '../client/meetings.js';
import { readAccessLog } from '../client/access_log.js';
import * as messenger from '../client/messenger.js';
import { ok, fail } from '../protocol/result.js';
import { language } from './i18n.js';

function call(client) {
  return (type, body, asked) => client.request(type, body, asked);
}

function persistOf(client) {
  return () => (client.readOnly ? Promise.resolve(ok(null)) : client.persist());
}

// Result of {accepted, changed}: the partner keys this device accepted for pair (asking the server on first use).
async function partnerKeys(client, pair) {
  let channel = client.state.channels[pair];
  if (!channel || channel.trustedKey === null) {
    if (client.readOnly) return fail('no_key', 'open this pair in the tab where mentorlink writes first');
    const r = await messenger.partnerIdentity(client.m, pair);
    if (!r.ok) return r;
    channel = client.state.channels[pair];
  }
  return ok({ accepted: channel.acceptedKeys, changed: channel.changedKey });
}

/** Result of fn(book): a DocumentBook on the client's current state, one change at a time. */
export function withDocuments(client, fn) {
  const run = () => {
    if (client.state === null) return Promise.resolve(fail('locked', 'mentorlink is locked'));
    client.state.documents ??= {};
    const book = new DocumentBook({ call: call(client), identity: client.identity, me: client.account.memberId,
      documents: client.state.documents, persist: persistOf(client), partnerKeys: (pair) => partnerKeys(client, pair),
      sendKeyShare: (pair, payload) => messenger.shareDocumentKey(client.m, pair, payload), readOnly: client.readOnly });
    return fn(book);
  };
  return client.readOnly ? run() : client.exclusive(run);
}

/** The pair's meetings service. */
export function meetingsOf(client) {
  return new Meetings(call(client));
}

/** Result of {entries, head}: the pair's access log, verified in full (§15). */
export function accessLogOf(client, pair) {
  const run = () => {
    client.state.accessLogHeads ??= {};
    return readAccessLog({ call: call(client), pair, heads: client.state.accessLogHeads, persist: persistOf(client) });
  };
  return client.readOnly ? run() : client.exclusive(run);
}

/** ms since the epoch as a date and time in the page's language (local time). */
export function formatTime(ms) {
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

/** ms as the value of an <input type="datetime-local"> (local time, minutes). */
export function localInputValue(ms) {
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** ms of a datetime-local value, or NaN. */
export function fromLocalInput(value) {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? new Date(value).getTime() : NaN;
}

// The meeting each pair's agenda and feedback tabs show, chosen on the meetings tab.
const chosenMeeting = new Map();

/** Remembers meeting as the one pair's agenda and feedback tabs show. */
export function chooseMeeting(pair, meeting) {
  chosenMeeting.set(pair, meeting);
}

/** The meeting chosen for pair, or null. */
export function chosenMeetingOf(pair) {
  return chosenMeeting.get(pair) ?? null;
}
