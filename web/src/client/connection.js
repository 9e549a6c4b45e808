// One WebSocket to the server (PROTOCOL.md §3) and the requests on it. Every frame is hostile:
// decoded with protocol/frame.js, each result with protocol/replies.js against what was asked,
// each event with protocol/events.js; a frame that fails is used for nothing and reported as a
// 'problem'. Responses must come in the order the requests were sent. When the socket closes,
// pending requests fail, and the connection opens again after a growing pause, running onOpen
// (hello and login) before any request is sent again.
import { decodeFrame, encodeRequest } from '../protocol/frame.js';
import { decodeResult } from '../protocol/replies.js';
import { decodeEvent } from '../protocol/events.js';
import { ok, fail } from '../protocol/result.js';
import { Emitter } from './emitter.js';

/** How long a request waits for its response (and for the connection to be ready) before it fails. */
export const REQUEST_TIMEOUT_MS = 20000;
/** The first pause before opening a closed connection again; doubled after each failure. */
export const RECONNECT_FIRST_MS = 500;
/** The longest pause between two attempts to open the connection. */
export const RECONNECT_MAX_MS = 30000;
/** Requests waiting for their response at one time; more are refused (a stuck server must not grow memory). */
export const MAX_PENDING_REQUESTS = 256;

/** Failures of onOpen after which the connection is opened again (others, such as a refused login, stop it). */
export const TRANSIENT_CODES = Object.freeze(['offline', 'timeout', 'busy']);

const ASKED_FIELDS = ['pair', 'document', 'meeting', 'version', 'template', 'programme', 'kind'];

/** What a request body names, for the checks of replies.js (the pair, document, ... asked about). */
export function askedOf(body) {
  const asked = {};
  if (body !== null && typeof body === 'object') {
    for (const f of ASKED_FIELDS) if (body[f] !== undefined) asked[f] = body[f];
  }
  return asked;
}

/**
 * Events: 'status' ('connecting' | 'open' | 'closed'), 'problem' ({code, message, field?}) for a
 * frame that could not be used, and every server event by name with its decoded body.
 */
export class Connection extends Emitter {
  /**
   * url: wss://HOST/v1. options: onOpen(connection) → Promise<Result> run on every (re)open before
   * other requests (hello + login); WebSocket (constructor, for tests); setTimeout/clearTimeout.
   */
  constructor(url, options = {}) {
    super();
    this.url = url;
    this.onOpen = options.onOpen ?? (async () => ok(null));
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    this.timers = { set: options.setTimeout ?? globalThis.setTimeout.bind(globalThis), clear: options.clearTimeout ?? globalThis.clearTimeout.bind(globalThis) };
    this.socket = null;
    this.nextId = 1;
    this.pending = []; // in send order: {id, type, asked, resolve, timer}
    this.ready = false; // onOpen succeeded on the current socket
    this.waiting = []; // requests made before ready: {resolve}
    this.stopped = true;
    this.retryMs = RECONNECT_FIRST_MS;
    this.retryTimer = null;
    this.status = 'closed';
  }

  /** Opens the socket and keeps it open (reopening after a close) until close(). Result of the first onOpen. */
  start() {
    this.stopped = false;
    return new Promise((resolve) => {
      this.firstOpen = resolve;
      this.connect();
    });
  }

  /** Closes for good: pending requests fail, no reconnect. */
  close() {
    this.stopped = true;
    if (this.retryTimer !== null) this.timers.clear(this.retryTimer);
    this.retryTimer = null;
    if (this.socket) this.socket.close(1000);
    this.dropSocket('the connection was closed');
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  connect() {
    this.setStatus('connecting');
    let socket;
    try {
      socket = new this.WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (e) => { if (this.socket === socket) this.take(e.data); };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.dropSocket('the connection to the server closed');
      this.scheduleReconnect();
    };
    socket.onerror = () => {};
    socket.onopen = async () => {
      if (this.socket !== socket) return;
      const opened = await this.onOpen(this);
      if (this.socket !== socket) return;
      if (this.firstOpen) {
        this.firstOpen(opened);
        this.firstOpen = null;
      }
      if (!opened.ok) {
        // A refused login stops for good; a connection lost meanwhile is opened again.
        if (!TRANSIENT_CODES.includes(opened.error.code)) this.stopped = true;
        socket.close(1000);
        return;
      }
      this.retryMs = RECONNECT_FIRST_MS;
      this.ready = true;
      this.setStatus('open');
      for (const w of this.waiting.splice(0)) {
        this.timers.clear(w.timer);
        w.resolve(true);
      }
    };
  }

  dropSocket(why) {
    this.socket = null;
    this.ready = false;
    for (const p of this.pending.splice(0)) {
      this.timers.clear(p.timer);
      p.resolve(fail('offline', `${why} before the server answered`));
    }
    if (this.stopped) {
      for (const w of this.waiting.splice(0)) {
        this.timers.clear(w.timer);
        w.resolve(false);
      }
    }
    this.setStatus('closed');
  }

  scheduleReconnect() {
    if (this.firstOpen) { // the first attempt failed: the caller hears it now and decides
      this.firstOpen(fail('offline', 'the server could not be reached'));
      this.firstOpen = null;
    }
    if (this.stopped) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
    this.retryTimer = this.timers.set(() => {
      this.retryTimer = null;
      if (!this.stopped) this.connect();
    }, wait);
  }

  /** Result of the decoded result of request type, once the connection is ready (or raw, during onOpen). */
  async request(type, body, asked = askedOf(body)) {
    if (!this.ready) {
      const came = await new Promise((resolve) => {
        const w = { resolve };
        this.waiting.push(w);
        w.timer = this.timers.set(() => {
          const i = this.waiting.indexOf(w);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve(false);
        }, REQUEST_TIMEOUT_MS);
      });
      if (!came) return fail('offline', 'the server cannot be reached just now');
    }
    return this.send(type, body, asked);
  }

  /** As request, but sent now on an open socket whether or not onOpen finished (for hello and login). */
  send(type, body, asked = askedOf(body)) {
    if (this.socket === null || this.socket.readyState !== 1) return Promise.resolve(fail('offline', 'the server cannot be reached just now'));
    if (this.pending.length >= MAX_PENDING_REQUESTS) return Promise.resolve(fail('busy', 'too many requests are waiting for the server'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const p = { id, type, asked, resolve };
      p.timer = this.timers.set(() => {
        const i = this.pending.indexOf(p);
        if (i < 0) return;
        this.pending.splice(i, 1);
        p.resolve(fail('timeout', `the server did not answer ${type} in time`));
        // Responses come in order: later answers can no longer be told apart, so this socket is done.
        if (this.socket) this.socket.close(4000);
      }, REQUEST_TIMEOUT_MS);
      this.pending.push(p);
      this.socket.send(encodeRequest(id, type, body));
    });
  }

  report(error) {
    this.emit('problem', error);
  }

  take(data) {
    if (typeof data !== 'string') {
      this.report({ code: 'unreadable_reply', message: 'the server sent a binary frame' });
      return;
    }
    const frame = decodeFrame(data);
    if (!frame.ok) {
      this.report(frame.error);
      return;
    }
    const f = frame.value;
    if (f.kind === 'event') {
      const body = decodeEvent(f.event, f.body);
      if (!body.ok) {
        if (body.error.code !== 'unknown_event') this.report({ ...body.error, message: `event ${f.event}: ${body.error.message}` });
        return;
      }
      this.emit(f.event, body.value);
      return;
    }
    const first = this.pending[0];
    if (first === undefined || f.id !== first.id) {
      this.report({ code: 'unreadable_reply', message: 'the server sent an answer to a request this page did not send, or out of order', field: 'id' });
      return;
    }
    this.pending.shift();
    this.timers.clear(first.timer);
    if (f.kind === 'error') {
      const error = { code: f.code, message: f.message };
      if (f.field !== undefined) error.field = f.field;
      first.resolve({ ok: false, error });
      return;
    }
    const decoded = decodeResult(first.type, f.body, first.asked);
    if (!decoded.ok) this.report(decoded.error);
    first.resolve(decoded);
  }
}
