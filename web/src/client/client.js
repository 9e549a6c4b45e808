// The member's mentorlink in this page: storage, the logged-in connection, the device state and
// messaging, behind one object the screens use. Every change of the device state runs through
// exclusive(), one at a time, in the one tab that holds the writer lock; other tabs follow.
//
// Events: 'changed' (state or pairs changed: render again), 'message' (a chat message arrived),
// 'presence' ({pair, online}), 'problem' ({pair?, seq?, what}: something the server did that the
// person must hear about), 'status' (connection: 'connecting' | 'open' | 'closed'),
// 'role' ('writer' | 'follower'), 'call-signal' ({pair, from, seq, signal}: a checked call signal
// from the partner, §12.8; writer tab only), 'call-signal-dropped' ({pair, from, seq, reason}),
// and every other server event by name (document.updated, ...).
import { Connection } from './connection.js';
import { enrol as enrolAccount, unlock as unlockAccount, webLogin } from './account.js';
import * as messenger from './messenger.js';
import { Emitter } from './emitter.js';
import { KNOWN_EVENTS } from '../protocol/events.js';
import { safetyNumber, digitsOf } from '../protocol/safety_number.js';
import { acceptChangedKey, markVerified } from '../protocol/pair_channel.js';
import { orderNotes } from '../protocol/message_order.js';
import { ok, fail } from '../protocol/result.js';

const OFFLINE_CODES = ['offline', 'timeout'];

/** The WebSocket URL of the server that served a page at origin (https://HOST:PORT). */
export function socketUrlOf(origin) {
  return `${origin.replace(/^https:/, 'wss:').replace(/^http:/, 'ws:')}/v1`;
}

export class Client extends Emitter {
  /** storage: storage.js Storage; origin: location.origin. */
  constructor(storage, origin) {
    super();
    this.storage = storage;
    this.origin = origin;
    this.connection = null;
    this.identity = null;
    this.storageKey = null;
    this.account = null;
    this.state = null;
    this.pairs = [];
    this.presence = new Map(); // pair id → online
    this.queue = Promise.resolve();
    storage.on('changed', () => this.followWriter());
    storage.on('role', (role) => this.roleChanged(role));
  }

  /** 'writer' or 'follower': whether this tab may change anything. */
  get role() {
    return this.storage.role;
  }

  get readOnly() {
    return this.storage.role !== 'writer';
  }

  /** Runs fn() after every earlier exclusive() call finished: one change of the state at a time. */
  exclusive(fn) {
    const run = this.queue.then(fn, fn);
    this.queue = run.then(() => {}, () => {});
    return run;
  }

  /** Saves the device state (only in the writer tab). */
  persist() {
    return this.storage.writeState(this.storageKey, this.state);
  }

  /** The messenger's view of this client. */
  get m() {
    return { connection: this.connection, identity: this.identity, state: this.state, persist: () => this.persist() };
  }

  /** Result of whether this browser has enrolled ('enrolled' | 'new'). */
  async enrolment() {
    const account = await this.storage.readAccount();
    if (!account.ok) return account;
    return ok(account.value === null ? 'new' : 'enrolled');
  }

  /** Result after enrolling with the invite code typed and the passphrase chosen, then going online. */
  async enrol(typedCode, passphrase, cost) {
    if (this.readOnly) return this.storage.readOnly();
    const connection = new Connection(socketUrlOf(this.origin));
    const opened = await connection.start();
    if (!opened.ok) return opened;
    const r = await enrolAccount({ storage: this.storage, connection, origin: this.origin, typedCode, passphrase, cost });
    connection.close();
    if (!r.ok) return r;
    return this.begin(r.value);
  }

  /** Result after unlocking this browser's key store with passphrase, then going online. */
  async unlock(passphrase) {
    const r = await unlockAccount(this.storage, passphrase);
    if (!r.ok) return r;
    return this.begin(r.value);
  }

  async begin({ identity, storageKey, account }) {
    this.identity = identity;
    this.storageKey = storageKey;
    this.account = account;
    const state = await this.storage.readState(storageKey);
    if (!state.ok) return state;
    this.state = state.value;
    if (this.state === null) {
      if (this.readOnly) return fail('read_only', 'open mentorlink in the tab where you enrolled first');
      this.state = messenger.newState(identity);
      const saved = await this.persist(); // device secrets saved before their public halves leave
      if (!saved.ok) return saved;
    }
    this.connection = new Connection(socketUrlOf(this.origin), { onOpen: (c) => webLogin(c, identity, this.origin) });
    this.connection.on('status', (s) => {
      this.emit('status', s);
      if (s === 'open') this.afterLogin();
    });
    this.connection.on('problem', (e) => this.emit('problem', { what: e.message }));
    for (const name of KNOWN_EVENTS) this.connection.on(name, (body) => this.serverEvent(name, body));
    const opened = await this.connection.start();
    if (!opened.ok) {
      this.connection.close(); // the person tries again from the unlock screen, with a new one
      this.connection = null;
      return opened;
    }
    await this.firstPairs; // the pairs are known before the first screen shows
    return ok(null);
  }

  // After every (re)login: pairs, presence, then (writer only) device keys and the backlog.
  async afterLogin() {
    const loaded = this.refreshPairs();
    this.firstPairs ??= loaded;
    await loaded;
    if (!this.readOnly) {
      await this.exclusive(async () => {
        const prepared = await messenger.prepareDevice(this.m);
        if (!prepared.ok) this.emit('problem', { what: prepared.error.message });
      });
      await this.syncNow();
    }
  }

  /** Sends saved messages and takes in the backlog (writer only). */
  syncNow() {
    if (this.readOnly) return Promise.resolve(ok(null));
    return this.exclusive(async () => {
      const r = await messenger.sync(this.m);
      if (!r.ok) {
        // Being offline is shown in the top bar and retried on reconnection; anything else is said.
        if (!OFFLINE_CODES.includes(r.error.code)) this.emit('problem', { what: r.error.message });
        return r;
      }
      for (const p of r.value.problems) this.emit('problem', p);
      for (const msg of r.value.received) this.emit('message', msg);
      for (const c of r.value.callSignals) this.emitCallSignal(c);
      this.emit('changed');
      return r;
    });
  }

  /** Result of the pairs (pair.list) and their partners' presence. */
  async refreshPairs() {
    const r = await this.connection.request('pair.list', {});
    if (!r.ok) {
      this.emit('problem', { what: r.error.message });
      return r;
    }
    this.pairs = r.value.pairs;
    await Promise.all(this.pairs.filter((p) => p.status === 'active').map(async (p) => {
      const presence = await this.connection.request('presence.get', { pair: p.id });
      if (presence.ok) this.presence.set(p.id, presence.value.online);
    }));
    this.emit('changed');
    return r;
  }

  serverEvent(name, body) {
    if (name === 'message') {
      if (this.readOnly) return; // the writer tab takes it in; this one re-reads what it saved
      this.exclusive(async () => {
        const { result, problems } = await messenger.receive(this.m, body.envelope);
        for (const p of problems) this.emit('problem', p);
        if (!result.ok) this.emit('problem', { pair: body.envelope.pair, seq: body.envelope.seq, what: result.error.message });
        else if (result.value?.callSignal !== undefined) this.emitCallSignal(result.value);
        else if (result.value) this.emit('message', result.value);
        this.emit('changed');
      });
      return; // 'message' listeners get the decrypted message above, never the envelope
    } else if (name === 'presence') {
      if (this.pairs.some((p) => p.id === body.pair)) this.presence.set(body.pair, body.online);
      this.emit('presence', body);
      this.emit('changed');
    } else if (name === 'pair.formed' || name === 'pair.ended') {
      this.refreshPairs();
    } else if (name === 'keys.low' && !this.readOnly) {
      this.exclusive(async () => {
        const r = await messenger.prepareDevice(this.m); // one-time prekeys refilled
        if (!r.ok) this.emit('problem', { what: r.error.message });
      });
    }
    this.emit(name, body);
  }

  emitCallSignal({ pair, seq, from, callSignal, reason }) {
    if (callSignal === null) this.emit('call-signal-dropped', { pair, from, seq, reason });
    else this.emit('call-signal', { pair, from, seq, signal: callSignal });
  }

  async followWriter() {
    if (this.storageKey === null) return;
    const state = await this.storage.readState(this.storageKey);
    if (state.ok && state.value !== null) {
      this.state = state.value;
      this.emit('changed');
    }
  }

  async roleChanged(role) {
    this.emit('role', role);
    if (role === 'writer' && this.storageKey !== null) {
      await this.exclusive(() => this.followWriter()); // the last writer's state, before any change
      await this.syncNow();
    }
  }

  /** The pair view with id, or null. */
  pair(id) {
    return this.pairs.find((p) => p.id === id) ?? null;
  }

  /** The partner {id, name} of a pair view. */
  partnerOf(pair) {
    return pair.mentor.id === this.account.memberId ? pair.mentee : pair.mentor;
  }

  /** Unread chat messages in pair. */
  unread(pairId) {
    return this.state?.chats?.[pairId]?.unread ?? 0;
  }

  /**
   * The pair's chat for display: [{kind: 'message', seq, mine, text, sentAt, missingBefore,
   * outOfOrder} | {kind: 'problem', seq, what}] in seq order, with gaps and reorders from the
   * partner's counters (§12.7), plus the texts still waiting to be sent.
   */
  chat(pairId) {
    const chat = this.state?.chats?.[pairId];
    if (!chat) return { items: [], unsent: [] };
    const history = [...chat.history].sort((a, b) => a.seq - b.seq);
    const channel = this.state.channels[pairId];
    const partner = history.filter((e) => !e.mine);
    const notes = channel ? orderNotes(partner.map((e) => e.counter), channel.received) : [];
    const noteOf = new Map(partner.map((e, i) => [e, notes[i] ?? { missingBefore: 0, outOfOrder: false }]));
    const items = history.map((e) => ({ kind: 'message', ...e, ...(e.mine ? { missingBefore: 0, outOfOrder: false } : noteOf.get(e)) }));
    for (const p of chat.problems) {
      const at = p.seq === 0 ? items.length : items.findIndex((i) => i.seq > p.seq);
      items.splice(at < 0 ? items.length : at, 0, { kind: 'problem', seq: p.seq, what: p.what, problem: p.kind ?? null, params: p.params ?? {} });
    }
    return { items, unsent: chat.pending.filter((p) => p.text !== null).map((p) => p.text) };
  }

  /** Marks pair's messages read (writer only; a follower's count follows the writer). */
  markRead(pairId) {
    if (this.readOnly || !this.state?.chats?.[pairId]?.unread) return Promise.resolve(ok(null));
    return this.exclusive(async () => {
      this.state.chats[pairId].unread = 0;
      return this.persist(); // the open chat need not render again; the pair list reads it when shown
    });
  }

  /** Result of the last {pair, seq, sentAt} after sending text in pair. */
  sendText(pairId, text) {
    if (this.readOnly) return Promise.resolve(this.storage.readOnly());
    return this.exclusive(async () => {
      const r = await messenger.sendText(this.m, pairId, text);
      this.emit('changed');
      return r;
    });
  }

  /** Sends a document key share payload (protocol/documents.js keyShareFor) to the partner. */
  shareDocumentKey(pairId, payload) {
    if (this.readOnly) return Promise.resolve(this.storage.readOnly());
    return this.exclusive(() => messenger.shareDocumentKey(this.m, pairId, payload));
  }

  /** Sends a call signal (call_signal.js) to the partner in pair, as a kind-03 message (writer only). */
  sendCallSignal(pairId, signal) {
    if (this.readOnly) return Promise.resolve(this.storage.readOnly());
    return this.exclusive(() => messenger.sendCallSignal(this.m, pairId, signal));
  }

  /**
   * Result of {iceServers: [{urls, username?, credential?}], expiresAt}: the STUN and TURN servers
   * the server names, TURN with credentials minted for this member (call.ice_servers, §6).
   */
  iceServers() {
    return this.connection.request('call.ice_servers', {});
  }

  /**
   * Result of {number (60 digits), mine (30), verified, changed, name}: asks the server for the
   * partner's key first (keys.identity), so the number is of the key now offered (§12.5).
   */
  trust(pairId) {
    const run = async () => {
      let offered;
      if (this.readOnly) {
        const r = await this.connection.request('keys.identity', { pair: pairId });
        if (!r.ok) return r;
        offered = r.value;
      } else {
        const r = await messenger.partnerIdentity(this.m, pairId);
        if (!r.ok) return r;
        offered = r.value;
      }
      const channel = this.state.channels[pairId];
      const key = channel?.changedKey ?? channel?.trustedKey ?? offered.identityKey;
      return ok({ number: safetyNumber(this.identity.publicKey, key), mine: digitsOf(this.identity.publicKey),
        verified: Boolean(channel?.verified) && channel.changedKey === null, changed: Boolean(channel && channel.changedKey !== null),
        name: offered.name });
    };
    return this.readOnly ? run() : this.exclusive(run);
  }

  /** Result after marking the partner's key verified; number is the one the person compared. */
  markVerified(pairId, number) {
    return this.changeChannel(pairId, async (channel) => {
      const offered = await this.connection.request('keys.identity', { pair: pairId });
      if (!offered.ok) return offered;
      return markVerified(channel, this.identity.publicKey, offered.value.identityKey, number);
    });
  }

  /**
   * Result after accepting the partner's changed key, only if number is the safety number of the key
   * the server offers now (asked again first, as the CLI does), so a key swapped in after the
   * person compared is refused (attack 25).
   */
  acceptNewKey(pairId, number) {
    return this.changeChannel(pairId, async () => {
      const offered = await messenger.partnerIdentity(this.m, pairId);
      if (!offered.ok) return offered;
      return acceptChangedKey(this.state.channels[pairId], this.identity.publicKey, number);
    });
  }

  changeChannel(pairId, fn) {
    if (this.readOnly) return Promise.resolve(this.storage.readOnly());
    return this.exclusive(async () => {
      const channel = this.state.channels[pairId];
      if (!channel) return fail('no_key', 'no key of your partner is known yet');
      const next = await fn(channel);
      if (!next.ok) return next;
      this.state.channels[pairId] = next.value;
      const saved = await this.persist();
      this.emit('changed');
      if (saved.ok) this.syncNow();
      return saved;
    });
  }

  /** A request on the logged-in connection (for screens): Result of its decoded, checked result. */
  request(type, body, asked) {
    return this.connection.request(type, body, asked);
  }
}
