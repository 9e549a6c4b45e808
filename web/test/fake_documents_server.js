// A stand-in for the server's document, contract, meeting and access-log requests in unit tests of
// the web client's services: it answers in wire form (base64url, snake_case) and every answer goes
// through the real decoders (protocol/replies.js). `tamper` hooks let a test play the hostile server.
import { encode, decode } from '../src/protocol/base64url.js';
import { decodeResult } from '../src/protocol/replies.js';
import { parseHeader, versionHash } from '../src/protocol/document_version.js';
import { equal } from '../src/protocol/bytes.js';
import { entryHash } from '../src/protocol/access_log.js';

export class FakeServer {
  constructor() {
    this.documents = [];
    this.meetings = [];
    this.contract = null;
    this.log = [];
    this.now = 1800000000000;
    this.rewrite = null;  // (type, body) → body: the hostile server's edit of an answer
  }

  documentWire(d) {
    const latest = d.versions.length;
    return { id: d.id, pair: d.pair, kind: d.kind, meeting: d.meeting, owner: d.owner, latest_version: latest,
      size: latest === 0 ? 0 : d.versions[latest - 1].body.length, created_at: this.now, updated_at: this.now, format: 2 };
  }

  meetingWire(m) {
    return { id: m.id, pair: m.pair, status: m.status, scheduled_at: m.scheduledAt, started_at: m.startedAt ?? null,
      ended_at: m.endedAt ?? null, cancelled_at: null, present: [], both_present_ms: 0, held: false,
      agenda: { shared_ahead: false, ahead_ms: null }, feedback_from: [] };
  }

  /** A member's view of the server: call(type, body, asked) as the web client's Session offers it. */
  as(member) {
    return async (type, body, asked) => {
      const answer = this.handle(member, type, body);
      if (answer.error) return { ok: false, error: answer.error };
      const wire = this.rewrite ? this.rewrite(type, answer.body) : answer.body;
      return decodeResult(type, JSON.parse(JSON.stringify(wire)), asked);
    };
  }

  handle(member, type, body) {
    const h = this[type.replace('.', '_')];
    return h.call(this, member, body);
  }

  document_open(member, b) {
    const owner = b.kind === 'feedback' || b.kind === 'reflection' ? member : null;
    const meeting = b.meeting ?? null;
    let d = this.documents.find((x) => x.pair === b.pair && x.kind === b.kind && x.meeting === meeting && x.owner === owner);
    if (!d) {
      d = { id: this.documents.length + 1, pair: b.pair, kind: b.kind, meeting, owner, versions: [] };
      this.documents.push(d);
    }
    return { body: { document: this.documentWire(d) } };
  }

  document_list(member, b) {
    const visible = this.documents.filter((d) => d.pair === b.pair && (d.kind !== 'reflection' || d.owner === member));
    return { body: { documents: visible.map((d) => this.documentWire(d)) } };
  }

  document_get(member, b) {
    const d = this.documents[b.document - 1];
    const from = b.from ?? 1;
    const versions = d.versions.slice(from - 1).map((v, i) => ({ version: from + i, author: v.author, body: encode(v.body),
      signature: encode(v.signature), created_at: this.now }));
    return { body: { document: this.documentWire(d), versions, more: false } };
  }

  document_write(member, b) {
    const d = this.documents[b.document - 1];
    const body = decode(b.body).value;
    const header = parseHeader(body).value;
    const previous = d.versions.length === 0 ? new Uint8Array(32) : versionHash(d.versions[d.versions.length - 1].body);
    if (b.version !== d.versions.length + 1 || !equal(header.previousHash, previous)) {
      return { error: { code: 'conflict', message: `the newest version is ${d.versions.length}`, field: 'version' } };
    }
    d.versions.push({ author: member, body, signature: decode(b.signature).value });
    return { body: { document: this.documentWire(d), version: b.version, created_at: this.now, duplicate: false } };
  }

  contract_sign(member, b) {
    const d = this.documents[b.document - 1];
    const hash = versionHash(d.versions[b.version - 1].body);
    const signatures = (this.contract && this.contract.version === b.version ? this.contract.signatures : [])
      .filter((s) => s.member !== member).concat([{ member, signature: b.signature, signed_at: this.now }]);
    this.contract = { pair: d.pair, document: d.id, version: b.version, version_hash: encode(hash), signatures,
      state: signatures.length === 2 ? 'signed' : 'signed_by_one', signed_at: signatures.length === 2 ? this.now : null };
    return { body: { contract: this.contract } };
  }

  contract_status(member, b) {
    return { body: { contract: this.contract ?? { pair: b.pair, state: 'none', document: null, version: 0, version_hash: null, signatures: [], signed_at: null } } };
  }

  meeting_schedule(member, b) {
    const m = { id: this.meetings.length + 1, pair: b.pair, status: 'scheduled', scheduledAt: b.at };
    this.meetings.push(m);
    return { body: { meeting: this.meetingWire(m) } };
  }

  meeting_start(member, b) {
    const m = b.meeting ? this.meetings[b.meeting - 1] : { id: this.meetings.length + 1, pair: b.pair, scheduledAt: null };
    if (!b.meeting) this.meetings.push(m);
    m.status = 'started';
    m.startedAt = this.now;
    return { body: { meeting: this.meetingWire(m) } };
  }

  meeting_end(member, b) {
    const m = this.meetings[b.meeting - 1];
    m.status = 'ended';
    m.endedAt = this.now + 1;
    return { body: { meeting: this.meetingWire(m) } };
  }

  meeting_list(member, b) {
    return { body: { meetings: this.meetings.filter((m) => m.pair === b.pair).map((m) => this.meetingWire(m)) } };
  }

  /** Appends a coordinator's read to pair's log, with its hash computed as the server does. */
  logRead(pair, what, fields) {
    const previous = this.log.length === 0 ? new Uint8Array(32) : this.log[this.log.length - 1].hash;
    const e = { pair, seq: this.log.length + 1, coordinator: 9, at: this.now, what, fieldsText: fields.join(',') };
    this.log.push({ ...e, fields, previousHash: previous, hash: entryHash(previous, e) });
  }

  access_log_list(member, b) {
    const entries = this.log.slice((b.from ?? 1) - 1).map((e) => ({ pair: e.pair, seq: e.seq, coordinator: { id: e.coordinator, name: 'Cora' },
      at: e.at, what: e.what, fields: e.fields, fields_text: e.fieldsText, previous_hash: encode(e.previousHash), hash: encode(e.hash) }));
    return { body: { pair: b.pair, entries, more: false } };
  }
}
