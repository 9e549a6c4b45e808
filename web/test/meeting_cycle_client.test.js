// The web client's meeting-cycle services (src/client/) against a stand-in server whose answers go
// through the real decoders: documents written, shared, read, continued, conflicted and signed as
// the CLI's DocumentBook does; a hostile server's flipped byte, rollback and misplaced answer
// refused; the access log verified; meeting steps; the .ics file; outlines and templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must, assertFails } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { filled } from '../src/protocol/bytes.js';
import { DocumentBook, keepKeyShare, MAX_PENDING_KEY_SHARES_PER_PAIR } from '../src/client/documents.js';
import { encodeKeyShare } from '../src/protocol/document_version.js';
import { Meetings, checkMeetingTime, meetingUnderWay, nextScheduled, sentDuring } from '../src/client/meetings.js';
import { readAccessLog, MAX_ACCESS_LOG_ENTRIES } from '../src/client/access_log.js';
import { meetingIcs, escapeText, fold } from '../src/client/ics.js';
import { chooseTemplate, fillTemplate, startingText } from '../src/client/outlines.js';
import { FakeServer } from './fake_documents_server.js';

const MENTOR = 1;
const MENTEE = 2;
const PAIR = 7;

// Two members' devices; key shares travel straight to the other book, as the pair's session would carry them.
function twoDevices(server) {
  const keys = { [MENTOR]: identityFromSeed(filled(32, 1)), [MENTEE]: identityFromSeed(filled(32, 2)) };
  const books = {};
  const sent = [];
  for (const me of [MENTOR, MENTEE]) {
    const other = me === MENTOR ? MENTEE : MENTOR;
    books[me] = new DocumentBook({ call: server.as(me), identity: keys[me], me, documents: {},
      persist: async () => ({ ok: true, value: null }),
      partnerKeys: async () => ({ ok: true, value: { accepted: [keys[other].publicKey], changed: null } }),
      sendKeyShare: async (pair, payload) => {
        sent.push({ from: me, pair, payload });
        return books[other].receiveKeyShare(pair, payload);
      } });
  }
  return { books, keys, sent };
}

test('an agenda written by the mentee is read by the mentor, continued, and a stale edit is a conflict that keeps both texts', async () => {
  const server = new FakeServer();
  const { books, sent } = twoDevices(server);
  const agenda = must(await books[MENTEE].open({ pair: PAIR, kind: 'agenda', meeting: 3 }));
  const v1 = must(await books[MENTEE].write(agenda, 0, '1. my goals'));
  assert.equal(v1.version, 1);
  const found = must(await books[MENTOR].find({ pair: PAIR, kind: 'agenda', meeting: 3 }));
  const read = must(await books[MENTOR].read(found));
  assert.equal(read.text, '1. my goals');
  assert.equal(read.mine, false);
  must(await books[MENTOR].write(found, 1, '1. my goals\n2. your question'));
  assert.equal(sent.length, 1, 'a key the partner sent is not sent back');
  const stale = await books[MENTEE].write(agenda, 1, '1. my goals, rewritten');
  assertFails(stale, 'conflict');
  assert.equal(stale.error.current.text, '1. my goals\n2. your question');
  assert.equal(stale.error.current.version, 2);
  const history = must(await books[MENTEE].history(agenda));
  assert.deepEqual(history.map((h) => [h.version, h.text, h.mine]), [[1, '1. my goals', true], [2, '1. my goals\n2. your question', false]]);
});

test('a version that loses the race at the server is a conflict carrying the winner, and nothing of the loser is kept', async () => {
  const server = new FakeServer();
  const { books, sent } = twoDevices(server);
  const goals = must(await books[MENTEE].open({ pair: PAIR, kind: 'goals' }));
  must(await books[MENTEE].write(goals, 0, 'one'));
  const info = must(await books[MENTOR].find({ pair: PAIR, kind: 'goals' }));
  must(await books[MENTOR].write(info, 1, 'two, by the mentor'));
  // The mentor's version reaches the server between the mentee's read and write.
  const winner = server.documents[0].versions.pop();
  const write = server.document_write;
  server.document_write = function raced(member, body) {
    this.documents[0].versions.push(winner);
    this.document_write = write;
    return write.call(this, member, body);
  };
  const lost = await books[MENTEE].write(goals, 1, 'two, by the mentee');
  assertFails(lost, 'conflict');
  assert.equal(lost.error.current.text, 'two, by the mentor');
  assert.equal(lost.error.current.version, 2);
  assert.equal(server.documents[0].versions.length, 2);
  assert.equal(sent.length, 1, 'the losing write sent no key');
  must(await books[MENTEE].write(goals, 2, 'three, merged'));
});

test('a contract is drafted, signed by both, and each sees both signatures verify on the version read', async () => {
  const server = new FakeServer();
  const { books } = twoDevices(server);
  const text = fillTemplate('Between {{mentor}} and {{mentee}} in {{programme}}, {{date}}.', { mentor: 'Mo', mentee: 'Mia', programme: 'P', date: '2027-01-02' });
  assert.equal(text, 'Between Mo and Mia in P, 2027-01-02.');
  const contract = must(await books[MENTEE].open({ pair: PAIR, kind: 'contract' }));
  const written = must(await books[MENTEE].write(contract, 0, text));
  must(await books[MENTEE].signContract(written, 1));
  const mentorRead = must(await books[MENTOR].read(must(await books[MENTOR].find({ pair: PAIR, kind: 'contract' }))));
  const signed = must(await books[MENTOR].signContract(mentorRead, 1));
  assert.equal(signed.state, 'signed');
  assert.deepEqual(must(await books[MENTOR].verifiedSigners(signed, mentorRead)), { me: true, partner: true });
  assertFails(await books[MENTOR].signContract(mentorRead, 2), 'conflict');
});

test('a key share naming another pair is set aside; the 1001st unopened key of a pair is refused and nothing kept', () => {
  const documents = {};
  assertFails(keepKeyShare(documents, PAIR, encodeKeyShare(8, 5, filled(32, 9))), 'set_aside');
  for (let d = 1; d <= MAX_PENDING_KEY_SHARES_PER_PAIR; d++) must(keepKeyShare(documents, PAIR, encodeKeyShare(PAIR, d, filled(32, d % 250))));
  assertFails(keepKeyShare(documents, PAIR, encodeKeyShare(PAIR, 5000, filled(32, 251))), 'forbidden');
  assert.equal(documents[5000], undefined);
  must(keepKeyShare(documents, PAIR, encodeKeyShare(PAIR, 1, filled(32, 1))));
});

test('a reflection\'s key never leaves the device, and the partner cannot see it', async () => {
  const server = new FakeServer();
  const { books, sent } = twoDevices(server);
  const reflection = must(await books[MENTOR].open({ pair: PAIR, kind: 'reflection' }));
  must(await books[MENTOR].write(reflection, 0, startingText('reflection', (k) => `[${k}]`)));
  assert.equal(sent.length, 0);
  assert.equal(must(await books[MENTEE].find({ pair: PAIR, kind: 'reflection' })), null);
  assert.equal(must(await books[MENTOR].read(reflection)).text, '[outline.reflection]');
});

test('a hostile server: a flipped byte, a rollback and another pair\'s document are refused as tampering', async () => {
  const server = new FakeServer();
  const { books } = twoDevices(server);
  const goals = must(await books[MENTEE].open({ pair: PAIR, kind: 'goals' }));
  must(await books[MENTEE].write(goals, 0, 'goal one'));
  must(await books[MENTEE].write(goals, 1, 'goal two'));
  const info = must(await books[MENTOR].find({ pair: PAIR, kind: 'goals' }));
  assert.equal(must(await books[MENTOR].read(info)).text, 'goal two');

  const genuine = server.documents[0].versions[1].body;
  const flipped = Uint8Array.from(genuine);
  flipped[flipped.length - 1] ^= 1;
  server.documents[0].versions[1].body = flipped;
  const r = await books[MENTOR].read(info);
  assertFails(r, 'tampered');
  assert.equal(r.error.tampered, true);
  server.documents[0].versions[1].body = genuine;

  const newest = server.documents[0].versions.pop();
  const rolled = await books[MENTOR].read({ ...info, latestVersion: 1 });
  assertFails(rolled, 'tampered');
  assert.equal(rolled.error.chain, 'rolled_back');
  assertFails(await books[MENTOR].history({ ...info, latestVersion: 1 }), 'tampered');
  server.documents[0].versions.push(newest);

  server.rewrite = (type, body) => (type === 'document.list' ? { documents: body.documents.map((d) => ({ ...d, pair: 8 })) } : body);
  assertFails(await books[MENTOR].find({ pair: PAIR, kind: 'goals' }));
  server.rewrite = (type, body) => (type === 'document.get' ? { ...body, document: { ...body.document, id: body.document.id + 1 } } : body);
  assertFails(await books[MENTOR].read(info));
  server.rewrite = null;
  assert.equal(must(await books[MENTOR].read(info)).text, 'goal two');
});

test('the access log verifies in full, and an edited or cut log is refused without moving the known head', async () => {
  const server = new FakeServer();
  server.logRead(PAIR, 'report', ['pair', 'status']);
  server.logRead(PAIR, 'pair.list', ['id', 'programme']);
  const heads = {};
  const persist = async () => ({ ok: true, value: null });
  const read = must(await readAccessLog({ call: server.as(MENTEE), pair: PAIR, heads, persist }));
  assert.equal(read.entries.length, 2);
  assert.equal(heads[PAIR].seq, 2);
  server.log[0].what = 'dashboard';
  assertFails(await readAccessLog({ call: server.as(MENTEE), pair: PAIR, heads, persist }), 'tampered');
  server.log[0].what = 'report';
  server.log.pop();
  assertFails(await readAccessLog({ call: server.as(MENTEE), pair: PAIR, heads, persist }), 'tampered');
  assert.equal(heads[PAIR].seq, 2);
});

test('a server that sends access log entries without end is stopped at the named limit, and nothing is kept', async () => {
  const page = 500; // the server's most per answer (PROTOCOL.md §6)
  let asked = 0;
  const endless = async (type, body) => {
    asked += 1;
    const entries = Array.from({ length: page }, (_, i) => ({ pair: PAIR, seq: body.from + i }));
    return { ok: true, value: { pair: PAIR, entries, more: true } };
  };
  const heads = { [PAIR]: { seq: 2, hash: filled(32, 9) } };
  let saved = 0;
  const r = await readAccessLog({ call: endless, pair: PAIR, heads, persist: async () => { saved += 1; return { ok: true, value: null }; } });
  assertFails(r, 'tampered');
  assert.equal(r.error.reason, 'endless');
  assert.equal(asked, MAX_ACCESS_LOG_ENTRIES / page + 1);
  assert.equal(saved, 0);
  assert.deepEqual(heads[PAIR], { seq: 2, hash: filled(32, 9) });
});

test('meeting steps are checked to be about the meeting asked for; the one under way and the next one', async () => {
  const server = new FakeServer();
  const meetings = new Meetings(server.as(MENTEE));
  assertFails(checkMeetingTime(server.now - 1, server.now), 'invalid_field');
  must(checkMeetingTime(server.now + 3600000, server.now));
  const scheduled = must(await meetings.schedule(PAIR, server.now + 3600000));
  assert.equal(nextScheduled(must(await meetings.list(PAIR))).id, scheduled.id);
  const started = must(await meetings.start(PAIR, scheduled.id));
  assert.equal(meetingUnderWay(must(await meetings.list(PAIR))).id, started.id);
  assert.equal(sentDuring(started, server.now), true);
  assert.equal(sentDuring(started, server.now - 1), false);
  server.rewrite = (type, body) => (type === 'meeting.end' ? { meeting: { ...body.meeting, id: 99 } } : body);
  assertFails(await meetings.end(PAIR, started.id));
  server.rewrite = null;
  assert.equal(must(await meetings.end(PAIR, started.id)).status, 'ended');
});

test('an .ics file: CRLF lines of at most 75 octets, escaped text, one UID per meeting', () => {
  const meeting = { id: 4, pair: 7, status: 'scheduled', scheduledAt: Date.UTC(2027, 0, 2, 9, 30) };
  const ics = meetingIcs({ meeting, host: 'example.org', summary: 'Møde med Mo; agenda, ting\nnu', now: Date.UTC(2027, 0, 1), description: 'x'.repeat(200) });
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\n'));
  assert.ok(ics.includes('DTSTART:20270102T093000Z\r\n'));
  assert.ok(ics.includes('UID:meeting-4-pair-7@example.org\r\n'));
  assert.ok(ics.includes('SUMMARY:Møde med Mo\\; agenda\\, ting\\nnu\r\n'));
  for (const line of ics.split('\r\n')) assert.ok(new TextEncoder().encode(line).length <= 75, line);
  assert.equal(escapeText('a\\b'), 'a\\\\b');
  assert.equal(fold('é'.repeat(80)).split('\r\n ').join(''), 'é'.repeat(80));
});

test('templates: the chosen one, else the default name, else the first; placeholders filled once', () => {
  const templates = [{ id: 1, name: 'Short' }, { id: 2, name: 'Mentoring contract' }];
  assert.equal(chooseTemplate(templates).id, 2);
  assert.equal(chooseTemplate(templates, 1).id, 1);
  assert.equal(chooseTemplate([{ id: 3, name: 'Other' }]).id, 3);
  assert.equal(chooseTemplate([]), null);
  assert.equal(fillTemplate('{{mentor}}/{{mentee}}', { mentor: '{{mentee}}', mentee: 'B', programme: '', date: '' }), '{{mentee}}/B');
});
