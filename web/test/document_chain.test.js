// §14.3: a reader catches rollback, fork, drop, reorder, truncation, misplacement and wrong authors
// (attacks 11, 24, 34), each as an error value; §15: the access log's chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { must, assertFails } from './helpers.js';
import { identityFromSeed } from '../src/protocol/keys.js';
import { filled, range, utf8 } from '../src/protocol/bytes.js';
import { sealVersion } from '../src/protocol/document_version.js';
import { checkDocumentView, verifyChain } from '../src/protocol/document_chain.js';
import { entryHash, verifyAccessLog } from '../src/protocol/access_log.js';

const me = identityFromSeed(filled(32, 1));
const partnerOld = identityFromSeed(filled(32, 2));
const partnerNew = identityFromSeed(filled(32, 3));
const stranger = identityFromSeed(filled(32, 4));
const key = range(0x60, 0x80);
const goals = { pair: 7, document: 11, kind: 3, meeting: 0, owner: 0 };

function chain(identity, authors) {
  const out = [];
  let previous = new Uint8Array(32);
  authors.forEach((author, i) => {
    const v = must(sealVersion({ identity, version: i + 1, previousHash: previous, author, documentKey: key,
      nonce: filled(24, i), plaintext: utf8(`text ${i + 1}`) }));
    out.push({ version: i + 1, body: v.body, signature: v.signature, hash: v.hash });
    previous = v.hash;
  });
  return out;
}

function expect(overrides = {}) {
  return { identity: goals, me: me.publicKey, partnerKeys: [partnerOld.publicKey], unacceptedPartnerKey: null,
    writer: 'either', claimedLatest: 0, ...overrides };
}

test('a genuine chain verifies, and a later read from the known head extends it', () => {
  const versions = chain(goals, [me, partnerOld, me]);
  const first = must(verifyChain(expect({ claimedLatest: 2 }), null, 1, versions.slice(0, 2)));
  assert.equal(first.head.version, 2);
  const second = must(verifyChain(expect({ claimedLatest: 3 }), first.head, 2, versions.slice(1)));
  assert.equal(second.head.version, 3);
});

test('rollback, fork, drop, reorder and truncation are named', () => {
  const versions = chain(goals, [me, partnerOld, me, partnerOld]);
  const head = must(verifyChain(expect(), null, 1, versions.slice(0, 3))).head;
  assertFails(verifyChain(expect(), head, 3, []), 'rolled_back');
  assertFails(verifyChain(expect(), head, 2, versions.slice(1)), 'forked');
  const other = chain(goals, [me, partnerOld, partnerOld]);
  assertFails(verifyChain(expect(), head, 3, [other[2]]), 'forked');
  assertFails(verifyChain(expect(), null, 1, [versions[0], versions[2]]), 'dropped');
  assertFails(verifyChain(expect(), null, 1, [versions[1], versions[0]]), 'reordered');
  assertFails(verifyChain(expect({ claimedLatest: 4 }), null, 1, versions.slice(0, 3)), 'truncated');
  const mixed = [versions[0], other[1]];
  assert.equal(must(verifyChain(expect(), null, 1, mixed)).head.version, 2, 'other[1] does chain to the same v1');
  assertFails(verifyChain(expect(), null, 1, [versions[0], other[2]].map((v, i) => ({ ...v, version: i + 1 }))), 'misplaced');
});

test('another document, kind, pair or owner is misplaced (attack 24)', () => {
  const contract = { ...goals, kind: 2 };
  assertFails(verifyChain(expect(), null, 1, chain(contract, [me])), 'misplaced');
  assertFails(verifyChain(expect(), null, 1, chain({ ...goals, pair: 8 }, [me])), 'misplaced');
  assertFails(verifyChain(expect(), null, 1, chain({ ...goals, document: 12 }, [me])), 'misplaced');
  const feedback = { pair: 7, document: 13, kind: 4, meeting: 9, owner: 5 };
  assertFails(verifyChain(expect({ identity: { ...feedback, owner: 6 } }), null, 1, chain(feedback, [me])), 'misplaced');
});

test('authors: foreign, unaccepted, not the owner, replaced key (attack 34)', () => {
  assertFails(verifyChain(expect(), null, 1, chain(goals, [stranger])), 'foreign_author');
  assertFails(verifyChain(expect({ unacceptedPartnerKey: partnerNew.publicKey }), null, 1, chain(goals, [partnerNew])), 'unaccepted_author');
  assertFails(verifyChain(expect({ writer: 'me' }), null, 1, chain(goals, [partnerOld])), 'not_owner');
  assertFails(verifyChain(expect({ writer: 'partner' }), null, 1, chain(goals, [me])), 'not_owner');
  const keys = [partnerOld.publicKey, partnerNew.publicKey];
  must(verifyChain(expect({ partnerKeys: keys }), null, 1, chain(goals, [partnerOld, partnerNew, me])));
  assertFails(verifyChain(expect({ partnerKeys: keys }), null, 1, chain(goals, [partnerNew, partnerOld])), 'replaced_author');
});

test('a bad signature or a body that is not a version is refused', () => {
  const versions = chain(goals, [me]);
  const badSig = { ...versions[0], signature: Uint8Array.from(versions[0].signature) };
  badSig.signature[5] ^= 1;
  assertFails(verifyChain(expect(), null, 1, [badSig]), 'bad_signature');
  assertFails(verifyChain(expect(), null, 1, [{ ...versions[0], body: versions[0].body.subarray(0, 100) }]), 'malformed');
  const v1 = Uint8Array.from(versions[0].body); v1[0] = 1;
  assertFails(verifyChain(expect(), null, 1, [{ ...versions[0], body: v1 }]), 'written_by_v1');
});

test('rule 1: the document view is what was asked, and an id keeps its identity', () => {
  const view = { id: 11, pair: 7, kind: 'goals', meeting: null, owner: null };
  const asked = { pair: 7, kind: 3, meeting: null, viaOpen: true };
  const id = must(checkDocumentView(view, asked, 5, null));
  assert.deepEqual(id, goals);
  assertFails(checkDocumentView({ ...view, kind: 'reflection', owner: 5 }, asked, 5, null), 'misplaced');
  assertFails(checkDocumentView({ ...view, pair: 8 }, asked, 5, null), 'misplaced');
  assertFails(checkDocumentView({ ...view, owner: 5 }, asked, 5, null), 'misplaced');
  const reflection = { id: 12, pair: 7, kind: 'reflection', meeting: null, owner: 6 };
  assertFails(checkDocumentView(reflection, { pair: 7, kind: 5, meeting: null, viaOpen: false }, 5, null), 'misplaced');
  const agenda = { id: 13, pair: 7, kind: 'agenda', meeting: 9, owner: null };
  assertFails(checkDocumentView(agenda, { pair: 7, kind: 1, meeting: 10, viaOpen: true }, 5, null), 'misplaced');
  assertFails(checkDocumentView(view, asked, 5, { ...goals, kind: 2 }), 'misplaced');
});

function log(n) {
  const entries = [];
  let previous = new Uint8Array(32);
  for (let seq = 1; seq <= n; seq++) {
    const e = { pair: 1, seq, coordinator: { id: 3, name: 'C' }, at: 1800000000000 + seq, what: 'report',
      fields: ['pair', 'status'], fieldsText: 'pair,status', previousHash: previous };
    e.hash = entryHash(previous, { ...e, coordinator: 3 });
    previous = e.hash;
    entries.push(e);
  }
  return entries;
}

test('§15 access log: verified, then edits, removals, reorders and cuts are caught', () => {
  const entries = log(4);
  const head = must(verifyAccessLog(1, entries.slice(0, 3), null));
  assert.equal(head.seq, 3);
  must(verifyAccessLog(1, entries, head));
  assertFails(verifyAccessLog(1, entries.slice(0, 2), head), 'rolled_back');
  assertFails(verifyAccessLog(1, [entries[0], entries[2]], null), 'dropped');
  assertFails(verifyAccessLog(1, [entries[1], entries[0]], null), 'dropped');
  assertFails(verifyAccessLog(2, entries, null), 'misplaced');
  const edited = entries.map((e) => ({ ...e }));
  edited[1].at += 1;
  assertFails(verifyAccessLog(1, edited, null), 'altered');
  const fields = entries.map((e) => ({ ...e }));
  fields[0].fields = ['pair'];
  assertFails(verifyAccessLog(1, fields, null), 'inconsistent');
  const rewritten = log(4).map((e) => ({ ...e, what: 'dashboard' }));
  let previous = new Uint8Array(32);
  for (const e of rewritten) { e.previousHash = previous; e.hash = entryHash(previous, { ...e, coordinator: 3 }); previous = e.hash; }
  assertFails(verifyAccessLog(1, rewritten, head), 'altered');
});
