// Decoding each result body against the request that asked for it (PROTOCOL.md §3, §6): every
// field checked, arrays within their limits, and the result about what was asked (keys.identity,
// message.send, access_log.list and contract.* name the pair asked about; document.* the document,
// and for document.open its pair, kind and meeting; document.write the version written;
// login/enroll the member whose identity key signed). Never throws.
import { Reader, decodeWith, check } from './fields.js';
import { equal } from './bytes.js';
import * as v from './views.js';
import { fail } from './result.js';
import { MAX_VERSION } from './document_version.js';

export const LIST_LIMIT = 100000;
export const PROGRAMME_LIST_LIMIT = 10000;
export const SYNC_LIMIT = 500;
export const VERSIONS_LIMIT = 100;
export const ACCESS_LOG_LIMIT = 500;
const SERVER_NAME_BYTES = 200;
/** call.ice_servers: at most this many servers, URLs per server and bytes per URL, username or credential. */
export const MAX_ICE_SERVERS = 16;
export const MAX_ICE_URLS = 16;
export const MAX_ICE_TEXT_BYTES = 512;
const ICE_SCHEMES = /^(stun|stuns|turn|turns):/;

const decoders = {
  hello(r) {
    const limits = r.object('limits');
    return { version: r.int('version', 2, 2), server: r.text('server', SERVER_NAME_BYTES), challenge: r.bytes('challenge', 32),
      serverTime: r.time('server_time'),
      limits: { maxMessageBytes: limits.int('max_message_bytes', 1, Number.MAX_SAFE_INTEGER), idleTimeoutMs: limits.int('idle_timeout_ms', 1, Number.MAX_SAFE_INTEGER) } };
  },
  login(r, asked) {
    const m = v.member(r.object('member'));
    check(equal(m.identityKey, asked.identityKey), 'member.identity_key', 'is not the key that signed');
    return { member: m };
  },
  enroll(r, asked) {
    const m = v.member(r.object('member'));
    check(equal(m.identityKey, asked.identityKey), 'member.identity_key', 'is not the key that signed');
    return { member: m, programme: r.has('programme') ? v.programme(r.object('programme')) : null };
  },
  whoami: (r) => ({ member: v.member(r.object('member')), programmes: r.objects('programmes', PROGRAMME_LIST_LIMIT, v.programme) }),
  'programme.list': (r) => ({ programmes: r.objects('programmes', PROGRAMME_LIST_LIMIT, v.programme) }),
  'member.list': (r, asked) => {
    const programme = r.id('programme');
    check(programme === asked.programme, 'programme', 'is not the programme asked about');
    return { programme, members: r.objects('members', LIST_LIMIT, v.enrolment) };
  },
  'pair.list': (r) => ({ pairs: r.objects('pairs', LIST_LIMIT, v.pair) }),
  'keys.publish': (r) => keyStatus(r),
  'keys.status': (r) => keyStatus(r),
  'keys.fetch': (r) => ({ bundle: v.bundle(r.object('bundle')) }),
  'keys.identity': (r, asked) => {
    const out = { pair: r.id('pair'), member: r.id('member'), name: r.text('name', v.NAME_BYTES, { allowEmpty: true }), identityKey: r.bytes('identity_key', 32) };
    check(out.pair === asked.pair, 'pair', 'is not the pair asked about');
    return out;
  },
  'message.send': (r, asked) => {
    const out = { pair: r.id('pair'), seq: r.id('seq'), sentAt: r.time('sent_at'), duplicate: r.bool('duplicate') };
    check(out.pair === asked.pair, 'pair', 'is not the pair the message was sent in');
    return out;
  },
  'message.sync': (r) => ({ envelopes: r.objects('envelopes', SYNC_LIMIT, v.envelope), more: r.bool('more') }),
  'message.ack': (r) => ({ acknowledged: r.count('acknowledged') }),
  'presence.get': (r, asked) => {
    const out = { pair: r.id('pair'), member: r.id('member'), online: r.bool('online') };
    check(out.pair === asked.pair, 'pair', 'is not the pair asked about');
    return out;
  },
  'template.list': (r) => ({ templates: r.objects('templates', PROGRAMME_LIST_LIMIT, (t) => v.template(t, false)) }),
  'template.get': (r, asked) => {
    const t = v.template(r.object('template'), true);
    check(t.id === asked.template, 'template.id', 'is not the template asked for');
    return { template: t };
  },
  'document.open': (r, asked) => {
    const d = v.documentView(r.object('document'));
    check(d.pair === asked.pair && d.kind === asked.kind && d.meeting === (asked.meeting ?? null), 'document', 'is not the document asked for');
    check(d.format === 2, 'document.format', 'is not a version 2 document');
    return { document: d };
  },
  'document.list': (r, asked) => {
    const documents = r.objects('documents', LIST_LIMIT, v.documentView);
    documents.forEach((d, i) => check(d.pair === asked.pair, `documents[${i}].pair`, 'is not the pair asked about'));
    return { documents };
  },
  'document.get': (r, asked) => {
    const d = v.documentView(r.object('document'));
    check(d.id === asked.document, 'document.id', 'is not the document asked for');
    return { document: d, versions: r.objects('versions', VERSIONS_LIMIT, v.version), more: r.bool('more') };
  },
  'document.write': (r, asked) => {
    const d = v.documentView(r.object('document'));
    const out = { document: d, version: r.int('version', 1, MAX_VERSION), createdAt: r.time('created_at'), duplicate: r.bool('duplicate') };
    check(d.id === asked.document, 'document.id', 'is not the document written');
    check(out.version === asked.version, 'version', 'is not the version written');
    return out;
  },
  'contract.sign': (r, asked) => contractFor(r, asked),
  'contract.status': (r, asked) => contractFor(r, asked),
  'meeting.schedule': (r, asked) => meetingFor(r, asked),
  'meeting.reschedule': (r, asked) => meetingFor(r, asked),
  'meeting.cancel': (r, asked) => meetingFor(r, asked),
  'meeting.start': (r, asked) => meetingFor(r, asked),
  'meeting.join': (r, asked) => meetingFor(r, asked),
  'meeting.leave': (r, asked) => meetingFor(r, asked),
  'meeting.end': (r, asked) => meetingFor(r, asked),
  'meeting.list': (r, asked) => {
    const meetings = r.objects('meetings', LIST_LIMIT, v.meeting);
    meetings.forEach((m, i) => check(m.pair === asked.pair, `meetings[${i}].pair`, 'is not the pair asked about'));
    return { meetings };
  },
  'call.ice_servers': (r) => ({ iceServers: r.objects('ice_servers', MAX_ICE_SERVERS, iceServer), expiresAt: r.time('expires_at') }),
  'access_log.list': (r, asked) => {
    const out = { pair: r.id('pair'), entries: r.objects('entries', ACCESS_LOG_LIMIT, v.accessLogEntry), more: r.bool('more') };
    check(out.pair === asked.pair, 'pair', 'is not the pair asked about');
    out.entries.forEach((e, i) => check(e.pair === asked.pair, `entries[${i}].pair`, 'is not the pair asked about'));
    return out;
  },
};

// One RTCIceServer: urls of the STUN/TURN schemes, and for TURN the username and credential.
function iceServer(r) {
  const urls = r.array('urls', MAX_ICE_URLS, (u, path) => {
    check(typeof u === 'string' && u.length <= MAX_ICE_TEXT_BYTES && ICE_SCHEMES.test(u), path, 'is not a stun: or turn: URL');
    return u;
  });
  check(urls.length > 0, `${r.path}.urls`, 'is empty');
  const out = { urls };
  if (r.has('username') || r.has('credential')) {
    out.username = r.text('username', MAX_ICE_TEXT_BYTES);
    out.credential = r.text('credential', MAX_ICE_TEXT_BYTES);
  }
  return out;
}

function keyStatus(r) {
  const out = { device: r.int('device', 1, v.MAX_DEVICE), oneTimePrekeys: r.count('one_time_prekeys'), low: r.bool('low') };
  return out;
}

function contractFor(r, asked) {
  const c = v.contract(r.object('contract'));
  check(c.pair === asked.pair, 'contract.pair', 'is not the pair asked about');
  if (asked.document !== undefined) check(c.document === asked.document, 'contract.document', 'is not the contract signed');
  return { contract: c };
}

function meetingFor(r, asked) {
  const m = v.meeting(r.object('meeting'));
  if (asked.pair !== undefined) check(m.pair === asked.pair, 'meeting.pair', 'is not the pair asked about');
  if (asked.meeting !== undefined) check(m.id === asked.meeting, 'meeting.id', 'is not the meeting asked about');
  return { meeting: m };
}

/** The request types this client can read the results of. */
export const KNOWN_RESULTS = Object.freeze(Object.keys(decoders));

/**
 * Result of the decoded result body of request `type`; asked holds what the request named (pair,
 * document, kind (a word), meeting, version, identityKey, template, programme) for the checks.
 */
export function decodeResult(type, body, asked = {}) {
  const decoder = decoders[type];
  if (decoder === undefined) return fail('unreadable_reply', `this client does not read results of ${type}`);
  return decodeWith(() => decoder(new Reader(body, ''), asked));
}
