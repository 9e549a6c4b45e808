// Decoders of the views of PROTOCOL.md §6 ("Views used in results" and each section's views).
// Each takes a Reader positioned on the view and returns a plain object with camelCase names;
// binary values are Uint8Arrays. They throw FieldError (caught by decodeWith in replies/events).
import { check } from './fields.js';
import { textProblem } from './text.js';
import { isPaddedCiphertextLength, MAX_BODY_BYTES, MAX_VERSION, HEADER_BYTES } from './document_version.js';

export const NAME_BYTES = 100;
export const PROGRAMME_NAME_BYTES = 120;
export const PURPOSE_BYTES = 2000;
export const TEMPLATE_NAME_BYTES = 120;
export const TEMPLATE_TEXT_BYTES = 32768;
export const MAX_DEVICE = 1000000;
export const MAX_PREKEY_ID = 4294967294;
export const ROLES = ['coordinator', 'participant'];
export const PAIR_ROLES = ['mentor', 'mentee'];
export const DOCUMENT_KINDS = ['agenda', 'contract', 'goals', 'feedback', 'reflection'];
export const MEETING_STATUSES = ['scheduled', 'cancelled', 'started', 'ended'];
export const CONTRACT_STATES = ['none', 'draft', 'signed_by_one', 'signed'];
const V1_HEADER_BYTES = 126;
const MAX_VERSION_BODY = MAX_BODY_BYTES;

/** member: {id, name, identity_key, may_create_programmes, created_at}. */
export function member(r) {
  return { id: r.id('id'), name: r.text('name', NAME_BYTES), identityKey: r.bytes('identity_key', 32),
    mayCreateProgrammes: r.bool('may_create_programmes'), createdAt: r.time('created_at') };
}

/** enrolment: {id, name, role, joined_at}. */
export function enrolment(r) {
  return { id: r.id('id'), name: r.text('name', NAME_BYTES), role: r.word('role', ROLES), joinedAt: r.time('joined_at') };
}

/** programme: {id, name, purpose, created_at, cadence_days, min_held_minutes, your_role}. */
export function programme(r) {
  return { id: r.id('id'), name: r.text('name', PROGRAMME_NAME_BYTES), purpose: r.text('purpose', PURPOSE_BYTES, { allowEmpty: true }),
    createdAt: r.time('created_at'), cadenceDays: r.int('cadence_days', 1, 365), minHeldMinutes: r.int('min_held_minutes', 1, 240),
    yourRole: r.word('your_role', ROLES, true) };
}

function person(r) {
  return { id: r.id('id'), name: r.text('name', NAME_BYTES, { allowEmpty: true }) };
}

/** pair: {id, programme, mentor{id,name}, mentee{id,name}, formed_at, status, ended_at, your_role}. */
export function pair(r) {
  const out = { id: r.id('id'), programme: r.id('programme'), mentor: person(r.object('mentor')), mentee: person(r.object('mentee')),
    formedAt: r.time('formed_at'), status: r.word('status', ['active', 'ended']), endedAt: r.time('ended_at', true),
    yourRole: r.word('your_role', PAIR_ROLES, true) };
  check(out.mentor.id !== out.mentee.id, `${r.path}.mentee.id`, 'is the mentor too');
  return out;
}

/** meeting: the §6 "Meetings" view. */
export function meeting(r) {
  const agenda = r.object('agenda');
  const out = { id: r.id('id'), pair: r.id('pair'), status: r.word('status', MEETING_STATUSES),
    scheduledAt: r.time('scheduled_at', true), startedAt: r.time('started_at', true), endedAt: r.time('ended_at', true),
    cancelledAt: r.time('cancelled_at', true), present: r.array('present', 2, (v, p) => idValue(v, p)),
    bothPresentMs: r.count('both_present_ms'), held: r.bool('held'),
    agenda: { sharedAhead: agenda.bool('shared_ahead'), aheadMs: agenda.count('ahead_ms', true) },
    feedbackFrom: r.array('feedback_from', 2, (v, p) => idValue(v, p)) };
  check((out.agenda.aheadMs !== null) === out.agenda.sharedAhead, `${agenda.path}.ahead_ms`, 'disagrees with shared_ahead');
  return out;
}

function idValue(v, path) {
  check(typeof v === 'number' && Number.isSafeInteger(v) && v >= 1, path, 'is not an id');
  return v;
}

/** document: {id, pair, kind, meeting, owner, latest_version, size, created_at, updated_at, format}. */
export function documentView(r) {
  const out = { id: r.id('id'), pair: r.id('pair'), kind: r.word('kind', DOCUMENT_KINDS), meeting: r.id('meeting', true),
    owner: r.id('owner', true), latestVersion: r.int('latest_version', 0, MAX_VERSION), size: r.int('size', 0, MAX_VERSION_BODY),
    createdAt: r.time('created_at'), updatedAt: r.time('updated_at'), format: r.int('format', 1, 2) };
  const withMeeting = out.kind === 'agenda' || out.kind === 'feedback';
  const withOwner = out.kind === 'feedback' || out.kind === 'reflection';
  check((out.meeting !== null) === withMeeting, `${r.path}.meeting`, `is ${withMeeting ? 'missing' : 'set'} for a ${out.kind}`);
  check((out.owner !== null) === withOwner, `${r.path}.owner`, `is ${withOwner ? 'missing' : 'set'} for a ${out.kind}`);
  check((out.size === 0) === (out.latestVersion === 0), `${r.path}.size`, 'disagrees with latest_version');
  if (out.format === 2 && out.size !== 0) {
    check(isPaddedCiphertextLength(out.size - HEADER_BYTES), `${r.path}.size`, 'is not a padded size');
  }
  if (out.format === 1 && out.size !== 0) check(out.size > V1_HEADER_BYTES, `${r.path}.size`, 'is too small');
  return out;
}

/** version: {version, author, body, signature, created_at}. */
export function version(r) {
  return { version: r.int('version', 1, MAX_VERSION), author: r.id('author'), body: r.bytesBetween('body', 1, MAX_VERSION_BODY),
    signature: r.bytes('signature', 64), createdAt: r.time('created_at') };
}

/** contract: {pair, state, document, version, version_hash, signatures, signed_at}. */
export function contract(r) {
  const out = { pair: r.id('pair'), state: r.word('state', CONTRACT_STATES), document: r.id('document', true),
    version: r.int('version', 0, MAX_VERSION), versionHash: r.bytes('version_hash', 32, true),
    signatures: r.objects('signatures', 2, (s) => ({ member: s.id('member'), signature: s.bytes('signature', 64), signedAt: s.time('signed_at') })),
    signedAt: r.time('signed_at', true) };
  check((out.versionHash === null) === (out.version === 0), `${r.path}.version_hash`, 'disagrees with version');
  return out;
}

/** template: {id, programme, name, version, published_by, published_at, text?}. */
export function template(r, withText) {
  const out = { id: r.id('id'), programme: r.id('programme'), name: r.text('name', TEMPLATE_NAME_BYTES), version: r.id('version'),
    publishedBy: r.id('published_by'), publishedAt: r.time('published_at') };
  if (withText) out.text = r.text('text', TEMPLATE_TEXT_BYTES);
  return out;
}

/** envelope: {pair, seq, sender, sender_device, client_id, body, sent_at}. */
export function envelope(r) {
  return { pair: r.id('pair'), seq: r.id('seq'), sender: r.id('sender'), senderDevice: r.int('sender_device', 1, MAX_DEVICE),
    clientId: r.bytes('client_id', 16), body: r.bytesBetween('body', 1, 131072), sentAt: r.time('sent_at') };
}

export const ACTIVITIES = ['pair.formed', 'pair.ended', 'meeting.started', 'meeting.ended', 'contract.signed'];
export const WHAT_BYTES = 200;
export const FIELDS_TEXT_BYTES = 2000;
export const MAX_ENTRY_FIELDS = 1000;

/** access-log entry (`what` is any text: later servers may log new kinds of read, §11): {pair, seq, coordinator{id,name}, at, what, fields, fields_text, previous_hash, hash}. */
export function accessLogEntry(r) {
  const out = { pair: r.id('pair'), seq: r.id('seq'), coordinator: person(r.object('coordinator')), at: r.time('at'),
    what: r.text('what', WHAT_BYTES), fields: r.array('fields', MAX_ENTRY_FIELDS, (v, p) => fieldName(v, p)),
    fieldsText: r.text('fields_text', FIELDS_TEXT_BYTES, { allowEmpty: true }),
    previousHash: r.bytes('previous_hash', 32), hash: r.bytes('hash', 32) };
  check(out.fields.join(',') === out.fieldsText, `${r.path}.fields_text`, 'disagrees with fields');
  return out;
}

function fieldName(v, path) {
  check(textProblem(v, FIELDS_TEXT_BYTES) === null && !v.includes(','), path, 'is not a field name');
  return v;
}

/** bundle: {member, identity_key, device, identity_dh_key, identity_dh_signature, signed_prekey, one_time_prekey}. */
export function bundle(r) {
  const spk = r.object('signed_prekey');
  const otk = r.object('one_time_prekey', true);
  return { member: r.id('member'), identityKey: r.bytes('identity_key', 32), device: r.int('device', 1, MAX_DEVICE),
    identityDhKey: r.bytes('identity_dh_key', 32), identityDhSignature: r.bytes('identity_dh_signature', 64),
    signedPrekey: { id: spk.int('id', 0, MAX_PREKEY_ID), key: spk.bytes('key', 32), signature: spk.bytes('signature', 64) },
    oneTimePrekey: otk === null ? null : { id: otk.int('id', 0, MAX_PREKEY_ID), key: otk.bytes('key', 32) } };
}
