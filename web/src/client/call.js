// One meeting's call between the two members of a pair: an RTCPeerConnection whose offers,
// answers, candidates and hang-up travel only as end-to-end encrypted call signals inside the
// pair's ratchet (client.sendCallSignal / the client's 'call-signal' event), whose peer is checked
// against the DTLS fingerprint signalled there, and whose media frames are sealed again, end to
// end, in a worker (call_worker.js, with call_frames.js) under per-call keys. No DOM here: the
// browser's WebRTC classes are passed in, so the rules below are testable in node.

import { Emitter } from './emitter.js';

/** From the first offer (or answer) to a connected peer; then the call is given up. */
export const CONNECT_TIMEOUT_MS = 30000;
/** From losing the connection to giving the call up for good (ICE restarts in between). */
export const RECONNECT_GIVE_UP_MS = 30000;
/** ICE 'disconnected' this long (it often recovers by itself) before an ICE restart. */
export const DISCONNECTED_GRACE_MS = 2000;
/** How often the quality indicator reads the connection's statistics. */
export const STATS_INTERVAL_MS = 2000;

/** At most this many ICE candidates kept while the remote description is not yet set. */
export const MAX_EARLY_CANDIDATES = 200;

/** Whether member `me` makes the offers (the lower member id does), so two joins never collide. */
export function isOfferer(me, partner) {
  return me < partner;
}

/** Lowercase hex of bytes. */
export function hexOf(bytes) {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** An RTCCertificate's SHA-256 fingerprint as 64 lowercase hex digits, or null. */
export function fingerprintOfCertificate(certificate) {
  const f = certificate.getFingerprints().find((x) => x.algorithm === 'sha-256');
  return f ? f.value.replace(/:/g, '').toLowerCase() : null;
}

/** Whether one of the DER certificates (ArrayBuffers) has the SHA-256 fingerprint `expected`. */
export async function certificatesMatch(certificates, expected, digest) {
  for (const der of certificates) {
    if (hexOf(await digest(der)) === expected) return true;
  }
  return false;
}

/** Codecs in the order `preferred` names them first (mimeTypes, case-insensitive), the others after. */
export function preferCodecs(codecs, preferred) {
  const rank = (c) => {
    const i = preferred.indexOf(c.mimeType.toLowerCase());
    return i < 0 ? preferred.length : i;
  };
  return [...codecs].sort((a, b) => rank(a) - rank(b));
}

/**
 * The quality indicator from two getStats() snapshots (as plain arrays of reports), `ms` apart:
 * {level: 'good'|'fair'|'poor'|'none', lossPercent, rttMs, kbps, framesDecoded, bytesReceived}.
 */
export function qualityOf(before, now, ms) {
  const inbound = (reports) => reports.filter((r) => r.type === 'inbound-rtp');
  const sum = (reports, key) => reports.reduce((n, r) => n + (Number.isFinite(r[key]) ? r[key] : 0), 0);
  const got = sum(inbound(now), 'packetsReceived') - sum(inbound(before), 'packetsReceived');
  const lost = Math.max(0, sum(inbound(now), 'packetsLost') - sum(inbound(before), 'packetsLost'));
  const bytes = sum(inbound(now), 'bytesReceived') - sum(inbound(before), 'bytesReceived');
  const pairReport = now.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
  const rttMs = pairReport && Number.isFinite(pairReport.currentRoundTripTime) ? Math.round(pairReport.currentRoundTripTime * 1000) : null;
  const lossPercent = got + lost > 0 ? Math.round((100 * lost) / (got + lost)) : 0;
  const kbps = ms > 0 ? Math.round((8 * bytes) / ms) : 0;
  let level = 'good';
  if (got <= 0) level = 'none';
  else if (lossPercent >= 10 || (rttMs !== null && rttMs >= 500)) level = 'poor';
  else if (lossPercent >= 3 || (rttMs !== null && rttMs >= 250)) level = 'fair';
  return { level, lossPercent, rttMs, kbps, framesDecoded: sum(inbound(now), 'framesDecoded'), bytesReceived: sum(inbound(now), 'bytesReceived') };
}

/** 64 hex digits as 32 bytes (a fingerprint). */
export function bytesOfHex(hex) {
  return Uint8Array.from(hex.match(/../g) ?? [], (x) => parseInt(x, 16));
}

function sameBytes(a, b) {
  return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The partner's offers that came while no call of theirs was open on this page, one per pair: a
 * call joined within MAX_SIGNAL_AGE_MS answers it instead of offering into the void. A hang-up of
 * the same join removes it.
 */
export class WaitingOffers {
  constructor(client) {
    this.offers = new Map();
    this.active = new Set(); // pairs with a call open here: their signals go to it
    client.on('call-signal', ({ pair, from, signal, receivedAt = Date.now() }) => {
      if (this.active.has(pair)) return;
      if (signal.type === 'offer' && !signal.restart) this.offers.set(pair, { pair, from, signal, at: receivedAt });
      else if (signal.type === 'hangup' && sameBytes(this.offers.get(pair)?.signal.callId, signal.callId)) this.offers.delete(pair);
    });
  }

  /** The partner's waiting offer for meeting (and forgets it), or null. */
  take(pair, meeting, maxAgeMs, now = Date.now()) {
    const w = this.offers.get(pair);
    this.offers.delete(pair);
    return w && w.signal.meeting === meeting && now - w.at <= maxAgeMs ? w : null;
  }
}

/**
 * A call. States: 'waiting' (for the partner), 'connecting', 'connected', 'reconnecting',
 * 'ended' (with a reason: 'hangup', 'partner_hangup', 'lost', 'connect_timeout',
 * 'fingerprint_mismatch', 'failed'). Events: 'state' {state, reason}, 'remote' MediaStream,
 * 'quality' (qualityOf), 'frames' {sealed, opened, dropped} counted by the worker.
 *
 * Who offers: both sides send an offer when they join (to nobody yet); the member with the lower
 * id (isOfferer) is the offering side: it never answers, and re-sends its offer to a partner whose
 * offer it sees; the other side always answers the offering side's offer (dropping its own).
 * ICE restarts come from the offering side; the answering side asks for one with an offer marked
 * restart, whose SDP is not applied.
 */
export class Call extends Emitter {
  /**
   * client: client.js Client; pair, meeting: ids; me, partner: member ids; local: MediaStream (may
   * have no video); signals: {newCallId(), newMediaKey(), maxAgeMs}; rtc: {RTCPeerConnection,
   * RTCRtpScriptTransform, RTCRtpReceiver, newWorker(), digest(ArrayBuffer)}; policy: 'all' |
   * 'relay'; waiting: the partner's waiting offer (WaitingOffers.take) or null; hooks: for tests only
   * (wrongFingerprint, wrongKey, tamperFrames: this side misbehaves towards its partner).
   */
  constructor({ client, pair, meeting, me, partner, local, signals, rtc, policy = 'all', waiting = null, hooks = {} }) {
    super();
    Object.assign(this, { client, pair, meeting, me, partner, local, signals, rtc, policy, waiting, hooks });
    this.offerer = isOfferer(me, partner);
    this.callId = signals.newCallId(); // this join: a rejoin is a new call with new keys
    this.mediaKey = signals.newMediaKey();
    this.peerId = null; // the partner's join we negotiate with
    this.peerSince = 0; // the latest sent_at of the partner's signals taken: its earlier joins signalled before
    this.state = 'new';
    this.reason = null;
    this.pc = null;
    this.worker = null;
    this.timers = new Map();
    this.earlyCandidates = [];
    this.ownCandidates = []; // gathered before the partner's join is known
    this.remote = null;
    this.frames = { sealed: 0, opened: 0, dropped: 0 };
    this.lastStats = null;
    // Signals are taken one at a time, in the order they came; those before start() finished wait.
    this.inbox = [];
    this.queue = null;
    this.off = [client.on('call-signal', (s) => this.take(s))];
  }

  take(s) {
    if (this.queue === null) this.inbox.push(s);
    else this.queue = this.queue.then(() => this.onSignal(s)).catch((e) => this.end('failed', String(e)));
  }

  /**
   * Starts: ICE servers from the server (none if it names none or cannot say: then only direct
   * connections), the worker, then an offer (or the answer to a waiting one).
   */
  async start() {
    try {
      await this.begin();
    } catch (e) {
      await this.end('failed', String(e));
    }
  }

  async begin() {
    const ice = await this.client.iceServers();
    if (this.state === 'ended') return;
    this.iceServers = ice.ok ? ice.value.iceServers : [];
    this.certificate = await this.rtc.RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
    this.fingerprint = bytesOfHex(fingerprintOfCertificate(this.certificate));
    this.startWorker();
    this.setState('waiting');
    if (this.waiting) await this.onSignal(this.waiting);
    else await this.offer(false);
    this.queue = Promise.resolve();
    for (const s of this.inbox.splice(0)) this.take(s);
  }

  setState(state, reason = null) {
    if (this.state === state && reason === null) return;
    this.state = state;
    this.reason = reason;
    this.emit('state', { state, reason });
  }

  timer(name, ms, fn) {
    clearTimeout(this.timers.get(name));
    this.timers.set(name, setTimeout(() => { this.timers.delete(name); fn(); }, ms));
  }

  clearTimer(name) {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  signal(type, fields = {}) {
    return this.client.sendCallSignal(this.pair, { callId: this.callId, replyTo: this.peerId, meeting: this.meeting, type,
      restart: false, sdp: null, candidate: null, fingerprint: null, mediaKey: null, sentAt: Date.now(), ...fields });
  }

  // call_signal.js decoded and age-checked the signal; here only whether it belongs to this call.
  async onSignal({ pair, from, signal }) {
    if (pair !== this.pair || from !== this.partner || this.state === 'ended' || signal.meeting !== this.meeting) return;
    if (signal.replyTo !== null && !sameBytes(signal.replyTo, this.callId)) return; // to an earlier join of ours
    const current = this.peerId !== null && sameBytes(signal.callId, this.peerId);
    if (!current && this.peerId !== null && signal.sentAt < this.peerSince) return; // an earlier join's, delivered late
    if (current || signal.type === 'offer' || signal.type === 'answer') this.peerSince = Math.max(this.peerSince, signal.sentAt);
    if (signal.type === 'offer') return this.offerer ? this.onOfferAsOfferer(signal, current) : this.onOffer(signal, current);
    if (!current && !(signal.type === 'answer' && this.peerId === null)) return;
    if (signal.type === 'answer') return this.onAnswer(signal);
    if (signal.type === 'candidate') return this.onCandidate(signal.candidate);
    if (signal.type === 'hangup') return this.end('partner_hangup');
  }

  // The frame worker, sealing under this.mediaKey from counter 0: a key is given to one worker only.
  startWorker() {
    this.worker?.terminate();
    this.worker = this.rtc.newWorker();
    this.worker.onmessage = (e) => this.onWorker(e.data);
    this.worker.postMessage({ type: 'send-key', key: this.mediaKey, callId: this.callId, tamper: Boolean(this.hooks.tamperFrames) });
  }

  // A new join of the partner: a fresh connection (its frames under its new key), and ours under a
  // new key too, so frames sent to its earlier join cannot be replayed into this one.
  meet(peerId) {
    if (this.peerId !== null && this.worker) {
      this.mediaKey = this.signals.newMediaKey();
      this.startWorker();
    }
    if (this.pc) this.pc.close();
    this.pc = null;
    this.remote = null;
    this.earlyCandidates = [];
    this.ownCandidates = [];
    this.peerId = peerId;
  }

  peer() {
    if (this.pc) return this.pc;
    const pc = new this.rtc.RTCPeerConnection({ iceServers: this.iceServers, iceTransportPolicy: this.policy,
      certificates: [this.certificate], bundlePolicy: 'max-bundle', encodedInsertableStreams: true });
    this.pc = pc;
    pc.onicecandidate = (e) => {
      if (!e.candidate || !e.candidate.candidate || pc !== this.pc) return;
      const c = { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex };
      if (this.peerId === null) this.ownCandidates.push(c);
      else this.signal('candidate', { candidate: c });
    };
    pc.onconnectionstatechange = () => { if (pc === this.pc) this.onConnectionState(pc.connectionState); };
    pc.ontrack = (e) => {
      if (pc !== this.pc) return;
      this.remote ??= new MediaStream();
      this.remote.addTrack(e.track);
      this.emit('remote', this.remote);
    };
    return pc;
  }

  // The frame transforms of a transceiver, both ways (call_worker.js).
  transform(t, kind) {
    t.sender.transform = new this.rtc.RTCRtpScriptTransform(this.worker, { side: 'send', kind });
    t.receiver.transform = new this.rtc.RTCRtpScriptTransform(this.worker, { side: 'receive', kind });
  }

  // Audio and video transceivers with our tracks (or none yet), VP8 and Opus first: the frame
  // format leaves their headers in clear (call_frames.js).
  transceivers(pc) {
    for (const kind of ['audio', 'video']) {
      const track = (kind === 'audio' ? this.local.getAudioTracks() : this.local.getVideoTracks())[0] ?? null;
      const t = pc.addTransceiver(track ?? kind, { direction: 'sendrecv', streams: [this.local] });
      const codecs = this.rtc.RTCRtpReceiver.getCapabilities(kind)?.codecs ?? [];
      if (codecs.length > 0) t.setCodecPreferences(preferCodecs(codecs, [kind === 'audio' ? 'audio/opus' : 'video/vp8']));
      this.transform(t, kind);
    }
  }

  // What our offer or answer carries besides its SDP: our certificate's fingerprint and frame key.
  keys() {
    return { fingerprint: this.hooks.wrongFingerprint ? crypto.getRandomValues(new Uint8Array(32)) : this.fingerprint,
      mediaKey: this.hooks.wrongKey ? crypto.getRandomValues(new Uint8Array(this.mediaKey.length)) : this.mediaKey };
  }

  // Our offer: a new connection's, or an ICE restart of this one.
  async offer(restart) {
    const fresh = this.pc === null;
    const pc = this.peer();
    if (fresh) this.transceivers(pc);
    const desc = await pc.createOffer({ iceRestart: restart });
    if (pc !== this.pc || this.state === 'ended') return;
    await pc.setLocalDescription(desc);
    await this.signal('offer', { restart, sdp: pc.localDescription.sdp, ...this.keys() });
    if (this.peerId !== null) this.connecting(restart);
  }

  connecting(restart) {
    if (this.state === 'waiting') this.setState('connecting');
    if (!this.timers.has('connect') && !this.timers.has('give-up')) {
      this.timer('connect', restart ? RECONNECT_GIVE_UP_MS : CONNECT_TIMEOUT_MS, () => this.end(restart ? 'lost' : 'connect_timeout'));
    }
  }

  // The offering side sees the partner's offer: a new join (or its own offer not yet answered) gets
  // our offer addressed to it; an answering side's restart offer asks us to restart ICE.
  async onOfferAsOfferer(signal, current) {
    if (current && signal.restart) return this.restartIce();
    if (current && this.pc?.signalingState !== 'have-local-offer') return;
    if (!current && this.peerId !== null) this.meet(signal.callId);
    this.peerId = signal.callId;
    if (this.pc && this.pc.signalingState === 'have-local-offer') {
      await this.signal('offer', { sdp: this.pc.localDescription.sdp, ...this.keys() });
      this.flushOwnCandidates();
      this.connecting(false);
    } else {
      await this.offer(false);
    }
  }

  // The answering side: the offering side's offer, new or a restart; a copy of one already
  // answered (the offering side re-sends its offer to a partner whose own offer it saw) is ignored.
  async onOffer(signal, current) {
    if (current && !signal.restart) return;
    if (!current) this.meet(signal.callId);
    this.acceptKeys(signal);
    const fresh = this.pc === null;
    const pc = this.peer();
    await pc.setRemoteDescription({ type: 'offer', sdp: signal.sdp });
    if (fresh) {
      for (const t of pc.getTransceivers()) {
        const kind = t.receiver.track.kind;
        const track = (kind === 'audio' ? this.local.getAudioTracks() : this.local.getVideoTracks())[0] ?? null;
        t.direction = 'sendrecv';
        await t.sender.replaceTrack(track);
        t.sender.setStreams(this.local);
        this.transform(t, kind);
      }
    }
    await this.takeEarlyCandidates(pc);
    const answer = await pc.createAnswer();
    if (pc !== this.pc || this.state === 'ended') return;
    await pc.setLocalDescription(answer);
    await this.signal('answer', { sdp: pc.localDescription.sdp, ...this.keys() });
    this.connecting(signal.restart);
  }

  async onAnswer(signal) {
    const pc = this.pc;
    if (!pc || pc.signalingState !== 'have-local-offer') return;
    if (this.peerId === null) {
      this.peerId = signal.callId;
      this.flushOwnCandidates();
    }
    this.acceptKeys(signal);
    await pc.setRemoteDescription({ type: 'answer', sdp: signal.sdp });
    await this.takeEarlyCandidates(pc);
    this.connecting(false);
  }

  flushOwnCandidates() {
    const own = this.ownCandidates;
    this.ownCandidates = [];
    for (const c of own) this.signal('candidate', { candidate: c });
  }

  // The partner's fingerprint and frame key (with its join id), from its offer or answer.
  acceptKeys(signal) {
    this.remoteFingerprint = signal.fingerprint;
    this.worker.postMessage({ type: 'receive-key', key: signal.mediaKey, callId: signal.callId });
  }

  async onCandidate(candidate) {
    const pc = this.pc;
    if (!pc || !pc.remoteDescription) {
      if (this.earlyCandidates.length < MAX_EARLY_CANDIDATES) this.earlyCandidates.push(candidate);
      return;
    }
    await pc.addIceCandidate(candidate).catch(() => {}); // one of an earlier ICE generation
  }

  async takeEarlyCandidates(pc) {
    const early = this.earlyCandidates;
    this.earlyCandidates = [];
    for (const c of early) await pc.addIceCandidate(c).catch(() => {});
  }

  async onConnectionState(state) {
    if (this.state === 'ended') return;
    if (state === 'connected') {
      this.clearTimer('connect');
      this.clearTimer('give-up');
      this.clearTimer('grace');
      const check = await this.peerCheck();
      if (check === 'mismatch') return this.end('fingerprint_mismatch');
      if (check !== 'match' || this.state === 'ended') return;
      this.setState('connected');
      this.watchStats();
    } else if (state === 'disconnected') {
      this.lost();
      this.timer('grace', DISCONNECTED_GRACE_MS, () => this.restartIce());
    } else if (state === 'failed') {
      this.lost();
      this.restartIce();
    }
  }

  // The connection dropped: tell the person, and give up after RECONNECT_GIVE_UP_MS.
  lost() {
    if (this.state === 'connected') this.setState('reconnecting');
    if (this.state === 'reconnecting' && !this.timers.has('give-up')) this.timer('give-up', RECONNECT_GIVE_UP_MS, () => this.end('lost'));
  }

  /** An ICE restart (the network changed, or the connection failed): the offering side offers anew. */
  async restartIce() {
    if (this.state === 'ended' || !this.pc || this.peerId === null) return;
    this.lost();
    if (!this.offerer) return this.signal('offer', { restart: true, sdp: this.pc.localDescription?.sdp ?? '', ...this.keys() });
    return this.offer(true);
  }

  // 'match' when the peer's DTLS certificate (the chain's first, the one DTLS authenticated) is the
  // one its signal, through the ratchet, named; others in the chain prove nothing. 'mismatch' when it
  // is another; 'unknown' when the transport closed before it could be read (the partner left at
  // once: its hang-up follows).
  async peerCheck() {
    const transport = this.pc.getSenders().find((s) => s.transport)?.transport ?? null;
    const certificates = transport && transport.state === 'connected' ? transport.getRemoteCertificates() : [];
    if (certificates.length === 0) return 'unknown';
    const named = this.remoteFingerprint instanceof Uint8Array
      && await certificatesMatch(certificates.slice(0, 1), hexOf(this.remoteFingerprint), this.rtc.digest);
    return named ? 'match' : 'mismatch';
  }

  watchStats() {
    if (this.timers.has('stats')) return;
    const tick = async () => {
      if (this.state === 'ended' || !this.pc) return;
      const reports = await this.stats();
      const at = Date.now();
      if (this.lastStats) this.emit('quality', qualityOf(this.lastStats.reports, reports, at - this.lastStats.at));
      this.lastStats = { reports, at };
      this.worker.postMessage({ type: 'counts' });
      this.timer('stats', STATS_INTERVAL_MS, tick);
    };
    this.timer('stats', STATS_INTERVAL_MS, tick);
  }

  onWorker(data) {
    if (data && data.type === 'counts') {
      this.frames = { sealed: data.sealed, opened: data.opened, dropped: data.dropped };
      this.emit('frames', this.frames);
    }
  }

  /** Asks the worker for its frame counts now (they come as a 'frames' event). */
  countFrames() {
    this.worker?.postMessage({ type: 'counts' });
  }

  /** Sends track (or nothing: null) as this side's video: the camera, or a shared screen. */
  async sendVideo(track) {
    const t = this.pc?.getTransceivers().find((x) => x.receiver.track.kind === 'video');
    if (t) await t.sender.replaceTrack(track);
  }

  /** The connection's statistics now, as an array of reports. */
  async stats() {
    return this.pc ? [...(await this.pc.getStats()).values()] : [];
  }

  /** Hangs up: ends the call and tells the partner. */
  hangUp() {
    return this.end('hangup');
  }

  /** Ends the call for reason; unless the partner hung up, tells it (a hang-up signal) when there is one. */
  end(reason, detail = null) {
    if (this.state === 'ended') return Promise.resolve();
    const bye = this.peerId !== null && reason !== 'partner_hangup' ? this.signal('hangup') : Promise.resolve();
    for (const name of [...this.timers.keys()]) this.clearTimer(name);
    this.off.forEach((off) => off());
    if (this.pc) this.pc.close();
    if (this.worker) this.worker.terminate();
    this.detail = detail;
    this.setState('ended', reason);
    return bye;
  }
}
