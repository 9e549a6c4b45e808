// What this browser keeps for its member (PROTOCOL.md §9, §12.6), in IndexedDB: the sealed key
// store (Argon2id), the account (server member id, name, public key) and the device state sealed
// under the key store's storage key. At most one tab writes (attack 22): the writer holds the Web
// Lock WRITER_LOCK for as long as it lives; every other tab follows read-only, re-reading the
// state when the writer says it changed, and becomes the writer when that tab goes away.
import { sealDeviceState, openDeviceState } from '../protocol/device_state.js';
import { ok, fail } from '../protocol/result.js';
import { Emitter } from './emitter.js';

/** The Web Lock one tab holds while it may write. */
export const WRITER_LOCK = 'mentorlink-writer';
/** The BroadcastChannel on which the writer says the state changed. */
export const CHANNEL_NAME = 'mentorlink-state';
const KEY_STORE = 'keystore';
const ACCOUNT = 'account';
const STATE = 'state';

/**
 * Events: 'role' ('writer' | 'follower') when it changes; 'changed' when another tab saved the
 * state (re-read it with readState).
 */
export class Storage extends Emitter {
  /** backend: {get, put, remove} (idb.js); locks: navigator.locks or null; channel: a BroadcastChannel or null. */
  constructor(backend, locks, channel) {
    super();
    this.backend = backend;
    this.locks = locks;
    this.channel = channel;
    this.role = 'follower';
    this.release = null;
    if (channel) channel.onmessage = (e) => { if (e.data === 'changed' && this.role !== 'writer') this.emit('changed'); };
  }

  /**
   * Asks for the writer lock: resolves with 'writer' if this tab got it now, else 'follower', and
   * keeps asking in the background, emitting 'role' 'writer' when the writer tab goes away.
   */
  claimWriter() {
    if (!this.locks) {
      this.setRole('writer'); // no Web Locks: this browser cannot run two tabs safely, but one works
      return Promise.resolve('writer');
    }
    return new Promise((resolve) => {
      let answered = false;
      const hold = () => new Promise((release) => { this.release = release; });
      this.locks.request(WRITER_LOCK, { ifAvailable: true }, (lock) => {
        if (lock) {
          answered = true;
          this.setRole('writer');
          resolve('writer');
          return hold();
        }
        return undefined;
      }).then(() => {
        if (answered) return;
        this.setRole('follower');
        resolve('follower');
        this.locks.request(WRITER_LOCK, () => {
          this.setRole('writer');
          return hold();
        });
      });
    });
  }

  /** Gives the writer lock up (for tests and on lock-out). */
  releaseWriter() {
    if (this.release) this.release();
    this.release = null;
    this.setRole('follower');
  }

  setRole(role) {
    if (this.role === role) return;
    this.role = role;
    this.emit('role', role);
  }

  /** Result of the key store object, or null when this browser has not enrolled. */
  async readKeyStore() {
    const r = await this.backend.get(KEY_STORE);
    return r.ok ? ok(r.value ?? null) : r;
  }

  /** Result of the account {memberId, name, identityKey (bytes), origin}, or null before enrolment finished. */
  async readAccount() {
    const r = await this.backend.get(ACCOUNT);
    return r.ok ? ok(r.value ?? null) : r;
  }

  /** Writes the key store; refused when another tab is the writer. */
  async writeKeyStore(store) {
    if (this.role !== 'writer') return this.readOnly();
    return this.backend.put(KEY_STORE, store);
  }

  async writeAccount(account) {
    if (this.role !== 'writer') return this.readOnly();
    return this.backend.put(ACCOUNT, account);
  }

  /** Forgets an enrolment that did not finish (the key store made before the server said yes). */
  async discardKeyStore() {
    if (this.role !== 'writer') return this.readOnly();
    return this.backend.remove(KEY_STORE);
  }

  /** Result of the device state opened under storageKey, or null if none was saved yet. */
  async readState(storageKey) {
    const r = await this.backend.get(STATE);
    if (!r.ok) return r;
    if (r.value === undefined) return ok(null);
    if (!(r.value instanceof Uint8Array)) return fail('altered', 'the saved device state is damaged');
    return openDeviceState(storageKey, r.value);
  }

  /** Seals and saves state (only the writer may), then tells the other tabs. */
  async writeState(storageKey, state) {
    if (this.role !== 'writer') return this.readOnly();
    const r = await this.backend.put(STATE, sealDeviceState(storageKey, state));
    if (r.ok && this.channel) this.channel.postMessage('changed');
    return r;
  }

  readOnly() {
    return fail('read_only', 'mentorlink is open in another tab of this browser, which makes every change; this tab only follows it');
  }
}
