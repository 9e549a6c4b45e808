// A pair's end-to-end encrypted documents on this device (PROTOCOL.md §14), as the CLI's
// DocumentBook (client-cli/lib/documents.cpp) does it, in the same order with the same checks:
// the server's document view must be the one asked for; a read fetches from the verified head,
// verifies identity, authors, signatures and the hash chain, binds the identity only once it
// verified, and decrypts the newest version; a write re-reads first and refuses when the document
// moved on (conflict, carrying the other version so the person's text is never lost); a key goes
// to the partner after its first version is accepted, never a reflection's.
// State lives in the device state's `documents` object (plain JSON-able values), saved by persist().
import { ok, fail } from '../protocol/result.js';
import { equal, fromUtf8, toHex, utf8 } from '../protocol/bytes.js';
import { KINDS, KIND_NAMES, MAX_PLAINTEXT_BYTES, MAX_VERSION, keyId, kindHasMeeting, kindHasOwner, openVersion, sameIdentity } from '../protocol/document_version.js';
import { checkDocumentView, verifyChain, CHAIN_ERRORS } from '../protocol/document_chain.js';
import { keyShareFor, prepareWrite, takeKeyShare, writerFor } from '../protocol/documents.js';
import { contractSignBody, documentWriteBody } from '../protocol/requests.js';
import { contractMessage, verifyWith } from '../protocol/signatures.js';

/** Shares waiting per pair, each way (PROTOCOL.md §14.4; the CLI's kMaxPendingKeySharesPerPair). */
export const MAX_PENDING_KEY_SHARES_PER_PAIR = 1000;

/**
 * A failure the server caused by lying: shown as a warning, and nothing it sent is trusted.
 * reason: a CHAIN_ERRORS code (§14.3), or 'undecryptable'; the screens name it in the person's language.
 */
export function tampered(reason, message, extra = {}) {
  const r = fail('tampered', `${message}; this device trusts none of it and wrote nothing`);
  Object.assign(r.error, extra, { tampered: true, reason });
  return r;
}

function readOnlyRefusal() {
  return fail('read_only', 'mentorlink is open in another tab of this browser, which makes every change; this tab only follows it');
}

/** What a person calls the document asked for: {pair, kind (word), meeting}. */
export function nameOf(request) {
  const pair = ` of pair ${request.pair}`;
  const meeting = request.meeting ? ` for meeting ${request.meeting}` : '';
  if (request.kind === 'reflection') return `your private reflection in pair ${request.pair}`;
  return `the ${request.kind}${kindHasMeeting(KINDS[request.kind]) ? meeting : ''}${pair}`;
}

function nameOfIdentity(id) {
  let out = `${KIND_NAMES[id.kind]} of pair ${id.pair}`;
  if (id.meeting !== 0) out += `, meeting ${id.meeting}`;
  if (id.owner !== 0) out += `, member ${id.owner}`;
  return out;
}

/** documents[id] with every field present: {pair, identity, head, keys, shared, toShare, unopened} (keyed by key-id hex; unopened's values name the pair a share came over). */
export function documentState(documents, id) {
  const ds = (documents[id] ??= {});
  ds.pair ??= 0;
  ds.identity ??= null;
  ds.head ??= null;
  ds.keys ??= {};
  ds.shared ??= {};
  ds.toShare ??= {};
  ds.unopened ??= {};
  return ds;
}

function count(set) {
  return set ? Object.keys(set).length : 0;
}

/** The number of keys received over pair's session that have opened nothing yet on this device (unopened: key-id hex → that pair). */
export function unopenedKeyShares(documents, pair) {
  let n = 0;
  for (const d of Object.values(documents)) {
    for (const from of Object.values(d.unopened ?? {})) n += (from === true ? d.pair : from) === pair ? 1 : 0;
  }
  return n;
}

/** The number of keys of pair's documents not yet sent to the partner. */
export function unsentKeyShares(documents, pair) {
  return Object.values(documents).filter((d) => d.pair === pair).reduce((n, d) => n + count(d.toShare), 0);
}

export class DocumentBook {
  /**
   * call(type, body, asked) → Promise of the decoded result (protocol/replies.js); identity: this
   * member's key pair; me: member id; documents: the device state's documents object; persist():
   * Promise of a result, saving the device state; partnerKeys(pair) → Promise of a result of
   * {accepted: [keys, oldest first], changed: key|null}; sendKeyShare(pair, payload) → Promise of
   * a result, sending a §14.4 payload over the pair's session. readOnly: in a follower tab, whose
   * persist() saves nothing, so writes and key sends are refused (attack 22).
   */
  constructor({ call, identity, me, documents, persist, partnerKeys, sendKeyShare, readOnly = false }) {
    Object.assign(this, { call, identity, me, documents, persist, partnerKeys, sendKeyShare, readOnly });
    this.older = [];
  }

  state(id) {
    return documentState(this.documents, id);
  }

  // The document view as an answer to request ({pair, kind (word), meeting}), or why it is none.
  checkedInfo(type, view, request, mustBeMine) {
    if (view.format !== 2 && type === 'document.open') return tampered('written_by_v1', 'the server answered with a document kept from protocol version 1');
    const asked = { pair: request.pair, kind: KINDS[request.kind], meeting: kindHasMeeting(KINDS[request.kind]) ? request.meeting : null,
      viaOpen: mustBeMine };
    const checked = checkDocumentView(view, asked, this.me, null);
    if (!checked.ok) {
      return tampered('misplaced', `the server answered with the ${view.kind} of pair ${view.pair} (document ${view.id}) when you asked for ${nameOf(request)}`);
    }
    return ok({ ...view });
  }

  // Ids of the documents of request's pair, kind and meeting (and owner, unless null) this device
  // has verified a version of: the server may not hide them behind another (attack 11).
  knownIn(request, owner) {
    const kind = KINDS[request.kind];
    const meeting = kindHasMeeting(kind) ? (request.meeting ?? 0) : 0;
    return Object.entries(this.documents)
      .filter(([, d]) => d.identity && d.head && d.identity.pair === request.pair && d.identity.kind === kind
        && d.identity.meeting === meeting && (owner === null || d.identity.owner === owner))
      .map(([id]) => Number(id));
  }

  /** Result of the pair's document of this kind (and meeting), created on the server if it has none yet. */
  async open(request) {
    const meeting = kindHasMeeting(KINDS[request.kind]) ? request.meeting : undefined;
    const body = { pair: request.pair, kind: request.kind };
    if (meeting !== undefined) body.meeting = meeting;
    const r = await this.call('document.open', body, { pair: request.pair, kind: request.kind, meeting: meeting ?? null });
    if (!r.ok) return r;
    const checked = this.checkedInfo('document.open', r.value.document, request, true);
    if (!checked.ok) return checked;
    const known = this.knownIn(request, kindHasOwner(KINDS[request.kind]) ? this.me : 0);
    if (known.length > 0 && !known.includes(checked.value.id)) {
      return tampered('misplaced', `the server opened document ${checked.value.id} as ${nameOf(request)}, which this device knows as document ${known[0]}`);
    }
    return checked;
  }

  /** Result of the existing documents of this kind (and meeting); version 1 ones are left out and named in this.older. */
  async list(request) {
    const r = await this.call('document.list', { pair: request.pair }, { pair: request.pair });
    if (!r.ok) return r;
    const out = [];
    this.older = [];
    const withMeeting = kindHasMeeting(KINDS[request.kind]);
    for (const d of r.value.documents) {
      const sameMeeting = withMeeting ? d.meeting === (request.meeting ?? null) : d.meeting === null;
      if (d.kind !== request.kind || !sameMeeting) continue;
      if (d.format === 1) {
        this.older.push(`document ${d.id} (${nameOf(request)}) was written by an older mentorlink (protocol version 1), which this version cannot check`);
        continue;
      }
      const checked = this.checkedInfo('document.list', d, request, false);
      if (!checked.ok) return checked;
      out.push(checked.value);
    }
    const known = this.knownIn(request, null);
    const missing = known.find((id) => !out.some((d) => d.id === id));
    if (missing !== undefined) {
      return tampered('rolled_back', `the server no longer lists document ${missing} (${nameOf(request)}), which this device has read up to version ${this.documents[missing].head.version}`);
    }
    // The documents this device has read come first, so find() never trades one for a newcomer.
    out.sort((a, b) => Number(!known.includes(a.id)) - Number(!known.includes(b.id)));
    return ok(out);
  }

  /** Result of the first of list() (one this device has read, if any), or null. */
  async find(request) {
    const all = await this.list(request);
    if (!all.ok) return all;
    return ok(all.value.length > 0 ? all.value[0] : null);
  }

  identityOf(info) {
    return { pair: info.pair, document: info.id, kind: KINDS[info.kind], meeting: info.meeting ?? 0, owner: info.owner ?? 0 };
  }

  async expectation(info, identity) {
    const keys = await this.partnerKeys(info.pair);
    if (!keys.ok) return keys;
    return ok({ identity, me: this.identity.publicKey, partnerKeys: keys.value.accepted, unacceptedPartnerKey: keys.value.changed,
      writer: writerFor(identity, this.me), claimedLatest: info.latestVersion });
  }

  // Result of {versions, createdAt, claimed}: every version from `from`, while the server says more.
  // Each page is checked (numbering, identity, author, signature) as it comes, so a server cannot
  // make the page hold more than the versions members really signed.
  async fetchFrom(info, identity, from, expect) {
    const versions = [];
    const createdAt = [];
    let claimed = info.latestVersion;
    for (let more = true; more;) {
      const next = from + versions.length;
      if (next > MAX_VERSION) return tampered('malformed', 'the server sent versions beyond the last possible one');
      const r = await this.call('document.get', { document: info.id, from: next }, { document: info.id });
      if (!r.ok) return r;
      const answered = this.identityOf(r.value.document);
      if (!sameIdentity(answered, identity)) {
        return tampered('misplaced', `asked for document ${info.id} (the ${nameOfIdentity(identity)}), the server answered with the ${nameOfIdentity(answered)}`);
      }
      claimed = Math.max(claimed, r.value.document.latestVersion);
      const page = verifyChain({ ...expect, claimedLatest: 0 }, null, next, r.value.versions);
      if (!page.ok) return this.chainRefusal(info, identity, page.error);
      for (const v of r.value.versions) {
        versions.push({ version: v.version, body: v.body, signature: v.signature });
        createdAt.push(v.createdAt);
      }
      more = r.value.more && r.value.versions.length > 0;
    }
    return ok({ versions, createdAt, claimed });
  }

  chainRefusal(info, identity, error) {
    return tampered(error.code, `document ${info.id} (the ${nameOfIdentity(identity)}): ${error.message} (at version ${error.version})`,
      { chain: error.code, version: error.version });
  }

  /**
   * Result of {info, version (0: nothing yet), text, mine, writtenAt, hash, keyIdHex}: what is new
   * fetched, verified against what this device saw before, and the newest version decrypted.
   */
  async read(info) {
    const identity = this.identityOf(info);
    const ds = this.state(info.id);
    if (ds.identity && !sameIdentity(ds.identity, identity)) {
      return tampered('misplaced', `the server presents document ${info.id} as the ${nameOfIdentity(identity)}, but this device knows it as the ${nameOfIdentity(ds.identity)}`);
    }
    const firstSight = ds.identity === null;
    const expect = await this.expectation(info, identity);
    if (!expect.ok) return expect;
    const from = ds.head ? ds.head.version : 1;
    const fetched = await this.fetchFrom(info, identity, from, expect.value);
    if (!fetched.ok) return fetched;
    expect.value.claimedLatest = fetched.value.claimed;
    const check = verifyChain(expect.value, ds.head, from, fetched.value.versions);
    if (!check.ok) return this.chainRefusal(info, identity, check.error);
    const head = check.value.head;
    const moved = head && (!ds.head || head.version !== ds.head.version || head.partnerKey !== ds.head.partnerKey);
    ds.pair = info.pair;
    ds.identity = identity;
    ds.head = head;
    if (firstSight || moved) {
      const saved = await this.persist();
      if (!saved.ok) return saved;
    }
    const out = { info, version: 0, text: '', mine: false, writtenAt: 0, hash: null, keyIdHex: null };
    const verified = check.value.versions;
    if (verified.length === 0) return ok(out);
    const newest = verified[verified.length - 1];
    const keyIdHex = toHex(newest.header.keyId);
    const key = ds.keys[keyIdHex];
    if (key === undefined) {
      return fail('no_key', `the key for document ${info.id} has not reached this device yet; it comes over your pair's session when your partner's device next connects`);
    }
    const plaintext = openVersion(newest.body, key);
    if (!plaintext.ok) return tampered('undecryptable', `version ${newest.header.version} of document ${info.id} does not decrypt`);
    const text = fromUtf8(plaintext.value);
    if (text === null) return tampered('undecryptable', `version ${newest.header.version} of document ${info.id} is not text`);
    if (ds.unopened[keyIdHex]) {
      delete ds.unopened[keyIdHex];
      const saved = await this.persist();
      if (!saved.ok) return saved;
    }
    return ok({ ...out, version: newest.header.version, text, mine: equal(newest.header.author, this.identity.publicKey),
      writtenAt: fetched.value.createdAt[fetched.value.createdAt.length - 1], hash: newest.hash, keyIdHex });
  }

  /**
   * Result of every version from 1 as [{version, text|null, mine, writtenAt, hash}], the whole
   * chain verified and reaching this device's known head with the same hash (else rolled back or
   * forked). text is null for a version under a key this device does not hold.
   */
  async history(info) {
    const identity = this.identityOf(info);
    const ds = this.state(info.id);
    if (ds.identity && !sameIdentity(ds.identity, identity)) {
      return tampered('misplaced', `the server presents document ${info.id} as the ${nameOfIdentity(identity)}, but this device knows it as the ${nameOfIdentity(ds.identity)}`);
    }
    const expect = await this.expectation(info, identity);
    if (!expect.ok) return expect;
    const fetched = await this.fetchFrom(info, identity, 1, expect.value);
    if (!fetched.ok) return fetched;
    expect.value.claimedLatest = fetched.value.claimed;
    const check = verifyChain(expect.value, null, 1, fetched.value.versions);
    if (!check.ok) return this.chainRefusal(info, identity, check.error);
    const verified = check.value.versions;
    if (ds.head) {
      const atHead = verified[ds.head.version - 1];
      if (atHead === undefined) return this.chainRefusal(info, identity, { code: 'rolled_back', message: CHAIN_ERRORS.rolled_back, version: ds.head.version });
      if (!equal(atHead.hash, ds.head.hash)) return this.chainRefusal(info, identity, { code: 'forked', message: CHAIN_ERRORS.forked, version: ds.head.version });
    }
    return ok(verified.map((v, i) => {
      const key = ds.keys[toHex(v.header.keyId)];
      const opened = key === undefined ? null : openVersion(v.body, key);
      const text = opened && opened.ok ? fromUtf8(opened.value) : null;
      return { version: v.header.version, text, mine: equal(v.header.author, this.identity.publicKey),
        writtenAt: fetched.value.createdAt[i], hash: v.hash };
    }));
  }

  /**
   * Result of the DocumentText written: text as the version after baseVersion (the one the person
   * edited). If the document moved on, nothing is written and the error is conflict, carrying
   * `current` (the newest version, read and verified) so the person can merge and resubmit.
   */
  async write(info, baseVersion, text) {
    if (this.readOnly) return readOnlyRefusal();
    const bytes = utf8(text);
    if (bytes.length > MAX_PLAINTEXT_BYTES) return fail('too_large', `a document may be at most ${MAX_PLAINTEXT_BYTES} bytes`);
    const current = await this.read(info);
    if (!current.ok) return current;
    if (current.value.version !== baseVersion) return this.conflict(info, current.value);
    const ds = this.state(info.id);
    const private_ = ds.identity.kind === KINDS.reflection;
    const startsShare = !private_ && (current.value.version === 0
      || (!ds.shared[current.value.keyIdHex] && !ds.toShare[current.value.keyIdHex]));
    if (startsShare && unsentKeyShares(this.documents, info.pair) >= MAX_PENDING_KEY_SHARES_PER_PAIR) {
      return fail('forbidden', `the keys of ${MAX_PENDING_KEY_SHARES_PER_PAIR} documents of pair ${info.pair} have not reached your partner yet, the most this device keeps waiting; nothing was written`);
    }
    const keys = new Map(Object.entries(ds.keys));
    const prepared = prepareWrite({ identity: ds.identity, author: this.identity, head: ds.head, newestKeyId: current.value.keyIdHex,
      keys, plaintext: bytes });
    if (!prepared.ok) return prepared;
    const p = prepared.value;
    const id = toHex(keyId(p.documentKey));
    if (p.newKey) {
      ds.keys[id] = p.documentKey;
      const saved = await this.persist();  // the key is safe before anything uses it
      if (!saved.ok) return saved;
    }
    const r = await this.call('document.write', documentWriteBody(info.id, p.version, p.body, p.signature), { document: info.id, version: p.version });
    if (!r.ok) {
      if (r.error.code === 'conflict') {
        const again = await this.read(info);
        if (again.ok) return this.conflict(info, again.value);
      }
      return r;
    }
    ds.head = { version: p.version, hash: p.hash, partnerKey: ds.head ? ds.head.partnerKey : 0 };
    const saved = await this.persist();
    if (!saved.ok) return saved;
    if (!private_ && !ds.shared[id]) {
      ds.toShare[id] = true;  // remembered first, so a failed send is retried
      const kept = await this.persist();
      if (!kept.ok) return kept;
      const sent = await this.sharePending(info.id);
      if (!sent.ok) {
        return fail(sent.error.code, `version ${p.version} is saved, but its key did not reach your partner yet (${sent.error.message}); it is sent again next time`);
      }
    }
    return ok({ info: { ...info, latestVersion: p.version }, version: p.version, text, mine: true, writtenAt: r.value.createdAt,
      hash: p.hash, keyIdHex: id });
  }

  conflict(info, current) {
    const r = fail('conflict', `the ${KIND_NAMES[KINDS[info.kind]]} changed since you opened it (now version ${current.version}); your text is kept: compare it with the newer version, merge, and save again`, 'version');
    r.error.current = current;
    return r;
  }

  /** Sends the partner every key this device wrote with but has not sent (only document `only` when given); never a reflection's. */
  async sharePending(only = null) {
    if (this.readOnly) return readOnlyRefusal();
    for (const idText of Object.keys(this.documents)) {
      const id = Number(idText);
      if (only !== null && id !== only) continue;
      const ds = this.state(id);
      if (count(ds.toShare) > 0 && (!ds.identity || ds.identity.kind === KINDS.reflection)) {
        ds.toShare = {};
        const saved = await this.persist();
        if (!saved.ok) return saved;
        return fail('forbidden', `refused to send the key of document ${id} to anyone: ${ds.identity ? 'it is a private reflection' : 'this device never verified which document it is'}`);
      }
      for (const keyIdHex of Object.keys(ds.toShare)) {
        const key = ds.keys[keyIdHex];
        if (key !== undefined) {
          const payload = keyShareFor(ds.identity, true, key);
          if (!payload.ok) return payload;
          const sent = await this.sendKeyShare(ds.identity.pair, payload.value);
          if (!sent.ok) return sent;
          ds.shared[keyIdHex] = true;
        }
        delete ds.toShare[keyIdHex];
        const saved = await this.persist();
        if (!saved.ok) return saved;
      }
    }
    return ok(null);
  }

  /** As keepKeyShare, saved. */
  async receiveKeyShare(pair, payload) {
    const kept = keepKeyShare(this.documents, pair, payload);
    if (!kept.ok) return kept;
    const saved = await this.persist();
    return saved.ok ? kept : saved;
  }

  /** Result of the contract view after signing the contract version just read (which must be `version`). */
  async signContract(current, version) {
    if (current.version === 0) return fail('not_found', 'the contract has no text to sign yet');
    if (current.info.kind !== 'contract') return tampered('misplaced', `document ${current.info.id} is no contract`);
    if (current.version !== version) {
      return fail('conflict', `the contract changed: version ${current.version} is the newest; read it before signing`, 'version');
    }
    const body = contractSignBody(this.identity, current.info.pair, current.info.id, version, current.hash);
    const r = await this.call('contract.sign', body, { pair: current.info.pair, document: current.info.id });
    if (!r.ok) return r;
    return ok(r.value.contract);
  }

  /** Result of the pair's contract view (contract.status). */
  async contractStatus(pair) {
    const r = await this.call('contract.status', { pair }, { pair });
    if (!r.ok) return r;
    return ok(r.value.contract);
  }

  /** Result of {me, partner}: whose signatures in the contract view verify on the very version read, under trusted keys. */
  async verifiedSigners(contract, read) {
    const out = { me: false, partner: false };
    if (read.version === 0 || contract.version !== read.version || contract.document !== read.info.id) return ok(out);
    const keys = await this.partnerKeys(read.info.pair);
    if (!keys.ok) return keys;
    const partner = keys.value.accepted[keys.value.accepted.length - 1];
    const message = contractMessage(read.info.pair, read.info.id, read.version, read.hash);
    for (const s of contract.signatures) {
      if (verifyWith(this.identity.publicKey, message, s.signature)) out.me = true;
      if (partner !== undefined && verifyWith(partner, message, s.signature)) out.partner = true;
    }
    return ok(out);
  }
}

/** The contract's state as far as verifiedSigners() found signatures on the version read: 'draft', 'signed_by_one' or 'signed'; never the server's word. */
export function verifiedContractState(signers) {
  const n = (signers.me ? 1 : 0) + (signers.partner ? 1 : 0);
  return ['draft', 'signed_by_one', 'signed'][n];
}

/**
 * Result of the document id a key share received over pair's session names, its key kept in
 * documents (changed in place; the caller saves): marked shared (the partner has it) and unopened
 * until it decrypts a version. set_aside for a share naming another pair; forbidden, keeping
 * nothing, when pair already has MAX_PENDING_KEY_SHARES_PER_PAIR unopened keys (the caller then
 * leaves the envelope on the server, §14.4).
 */
export function keepKeyShare(documents, pair, payload) {
  const share = takeKeyShare(pair, payload);
  if (!share.ok) return share;
  const { document, key, keyIdHex } = share.value;
  const known = documents[document];
  // A share proves nothing about its document: refused for one this device verified as another pair's, as the CLI does.
  if (known && known.identity && known.identity.pair !== pair) return fail('set_aside', `a document key share from pair ${pair} named document ${document}, which is another pair's, and was set aside`);
  if (known && known.keys && known.keys[keyIdHex] !== undefined) return ok(document);
  if (unopenedKeyShares(documents, pair) >= MAX_PENDING_KEY_SHARES_PER_PAIR) {
    return fail('forbidden', `your partner in pair ${pair} has sent keys for ${MAX_PENDING_KEY_SHARES_PER_PAIR} documents that have not been opened on this device, the most it keeps waiting; their later messages stay on the server until you open the pair's documents`);
  }
  const ds = documentState(documents, document);
  if (ds.pair === 0) ds.pair = pair;
  ds.keys[keyIdHex] = key;
  ds.shared[keyIdHex] = true;
  ds.unopened[keyIdHex] = pair; // counted against the pair it came over until it opens a version
  return ok(document);
}
