// What a reader checks of a document the server returns (PROTOCOL.md §14.3): the document is the
// one asked for; versions run from, from+1, … without gap or disorder; each names exactly the
// identity and number expected, is signed by an allowed author (partner keys in the order they
// were accepted), chains to the one before and to the known head; and the answer reaches at
// least the known head and what the server itself claims. Failures are results, never throws.
import { equal } from './bytes.js';
import { ok, fail } from './result.js';
import { kindHasMeeting, kindHasOwner, parseHeader, sameIdentity, verifyVersionSignature, versionHash, KINDS } from './document_version.js';

export const CHAIN_ERRORS = Object.freeze({
  rolled_back: 'the server rolled the document back to an older version',
  forked: 'the server forked the document: a version does not follow from the one before',
  dropped: 'the server left out a version of the document',
  reordered: 'the server reordered the document\'s versions',
  truncated: 'the server left out the newest versions: it says the document goes further than what it sent',
  misplaced: 'the server answered with another document, or moved a version from another document or place',
  bad_signature: 'a version\'s signature does not verify',
  foreign_author: 'a version is signed by someone outside the pair',
  unaccepted_author: 'a version is signed by your partner\'s new identity key, which you have not accepted yet',
  replaced_author: 'a version is signed by an identity key your partner had already replaced in this document',
  not_owner: 'a version of a member\'s own document is signed by the other member',
  written_by_v1: 'it was written by an older mentorlink (protocol version 1), whose documents this version cannot check',
  malformed: 'a version is malformed',
});

function chainFail(code, version, partial) {
  const r = fail(code, CHAIN_ERRORS[code]);
  r.error.version = version;
  r.error.verified = partial;
  return r;
}

/**
 * Rule 1: result of the identity {pair, document, kind, meeting, owner} (0 where absent) of a
 * decoded `document` view, if it is what was asked: asked = {pair, kind (number), meeting|null,
 * viaOpen (document.open)}, me = this member's id, seen = the identity this id was read as before (or null).
 */
export function checkDocumentView(view, asked, me, seen) {
  const kind = KINDS[view.kind];
  if (view.pair !== asked.pair || kind !== asked.kind) return fail('misplaced', CHAIN_ERRORS.misplaced);
  const wantMeeting = kindHasMeeting(kind) ? asked.meeting : null;
  if (view.meeting !== wantMeeting) return fail('misplaced', CHAIN_ERRORS.misplaced);
  if (!kindHasOwner(kind) && view.owner !== null) return fail('misplaced', CHAIN_ERRORS.misplaced);
  if (kindHasOwner(kind) && view.owner === null) return fail('misplaced', CHAIN_ERRORS.misplaced);
  if (kindHasOwner(kind) && (asked.viaOpen || kind === KINDS.reflection) && view.owner !== me) {
    return fail('misplaced', CHAIN_ERRORS.misplaced);
  }
  const identity = { pair: view.pair, document: view.id, kind, meeting: view.meeting ?? 0, owner: view.owner ?? 0 };
  if (seen && !sameIdentity(seen, identity)) return fail('misplaced', CHAIN_ERRORS.misplaced);
  return ok(identity);
}

function orderError(from, versions) {
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  for (let i = 0; i < numbers.length; i++) if (numbers[i] !== from + i) return 'dropped';
  return 'reordered';
}

function checkAuthor(expect, author, floor) {
  if (equal(author, expect.me)) return expect.writer === 'partner' ? { error: 'not_owner' } : { floor };
  const index = expect.partnerKeys.findIndex((k) => equal(k, author));
  if (index < 0) {
    if (expect.unacceptedPartnerKey && equal(author, expect.unacceptedPartnerKey)) return { error: 'unaccepted_author' };
    return { error: 'foreign_author' };
  }
  if (expect.writer === 'me') return { error: 'not_owner' };
  if (index < floor) return { error: 'replaced_author' };
  return { floor: index };
}

/**
 * Rules 2-6. expect = {identity, me (identity key), partnerKeys (oldest first), unacceptedPartnerKey|null,
 * writer 'either'|'me'|'partner', claimedLatest}; known = {version, hash, partnerKey}|null; from = the
 * requested first version (known.version, or 1); versions = [{version, body, signature}] as decoded.
 * Result of {versions: [{header, hash, body}], head}; an error carries .version and .verified.
 */
export function verifyChain(expect, known, from, versions) {
  const verified = [];
  if (known && from !== known.version) return chainFail('forked', from, verified);
  if (known && versions.length === 0) return chainFail('rolled_back', known.version, verified);
  let floor = known ? known.partnerKey : 0;
  for (let i = 0; i < versions.length; i++) {
    const v = versions[i];
    const expected = from + i;
    if (v.version !== expected) return chainFail(orderError(from, versions), expected, verified);
    const header = parseHeader(v.body);
    if (!header.ok) return chainFail(header.error.code === 'written_by_v1' ? 'written_by_v1' : 'malformed', v.version, verified);
    const h = header.value;
    if (!sameIdentity(h.identity, expect.identity) || h.version !== v.version) return chainFail('misplaced', v.version, verified);
    const author = checkAuthor(expect, h.author, floor);
    if (author.error) return chainFail(author.error, v.version, verified);
    floor = author.floor;
    const hash = versionHash(v.body);
    if (!verifyVersionSignature(h, hash, v.signature)) return chainFail('bad_signature', v.version, verified);
    if (i === 0) {
      if (known) {
        if (!equal(hash, known.hash)) return chainFail('forked', v.version, verified);
      } else if (from === 1 && !equal(h.previousHash, new Uint8Array(32))) {
        return chainFail('forked', v.version, verified);
      }
    } else if (!equal(h.previousHash, verified[verified.length - 1].hash)) {
      return chainFail('forked', v.version, verified);
    }
    verified.push({ header: h, hash, body: v.body });
  }
  let head = known;
  if (verified.length > 0) {
    const last = verified[verified.length - 1];
    head = { version: last.header.version, hash: last.hash, partnerKey: floor };
  }
  const reached = head ? head.version : 0;
  if (reached < expect.claimedLatest) return chainFail('truncated', reached + 1, verified);
  return ok({ versions: verified, head });
}
