// client/call.js without a browser: the rules (who offers, codec order, the quality indicator, the
// certificate check) and two Calls negotiating through a stand-in for the ratchet, on stand-in
// peer connections that connect once both descriptions are set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Call, WaitingOffers, isOfferer, preferCodecs, qualityOf, certificatesMatch, hexOf } from '../src/client/call.js';
import { Emitter } from '../src/client/emitter.js';

test('the lower member id offers; VP8 and Opus go first', () => {
  assert.equal(isOfferer(3, 7), true);
  assert.equal(isOfferer(7, 3), false);
  const codecs = [{ mimeType: 'video/H264' }, { mimeType: 'video/VP9' }, { mimeType: 'video/VP8' }];
  assert.deepEqual(preferCodecs(codecs, ['video/vp8']).map((c) => c.mimeType), ['video/VP8', 'video/H264', 'video/VP9']);
});

test('the quality indicator: loss, round trip and bitrate between two snapshots', () => {
  const snap = (got, lost, bytes, rtt) => [
    { type: 'inbound-rtp', packetsReceived: got, packetsLost: lost, bytesReceived: bytes, framesDecoded: got },
    { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: rtt },
  ];
  assert.deepEqual(qualityOf(snap(0, 0, 0, 0.01), snap(100, 0, 250000, 0.02), 2000),
    { level: 'good', lossPercent: 0, rttMs: 20, kbps: 1000, framesDecoded: 100, bytesReceived: 250000 });
  assert.equal(qualityOf(snap(0, 0, 0, 0.01), snap(95, 5, 1000, 0.02), 1000).level, 'fair');
  assert.equal(qualityOf(snap(0, 0, 0, 0.01), snap(80, 20, 1000, 0.02), 1000).level, 'poor');
  assert.equal(qualityOf(snap(0, 0, 0, 0.01), snap(100, 0, 1000, 0.6), 1000).level, 'poor');
  assert.equal(qualityOf(snap(10, 0, 0, 0.01), snap(10, 0, 0, 0.01), 1000).level, 'none');
});

test('the certificate check: SHA-256 of one of the DER certificates', async () => {
  const digest = (b) => crypto.subtle.digest('SHA-256', b);
  const der = new Uint8Array([1, 2, 3]).buffer;
  const good = hexOf(await digest(der));
  assert.equal(await certificatesMatch([der], good, digest), true);
  assert.equal(await certificatesMatch([der], good.replace(/^./, good[0] === '0' ? '1' : '0'), digest), false);
  assert.equal(await certificatesMatch([], good, digest), false);
});

// ---- two calls through a stand-in ratchet ----

let next = 0;
class FakePc {
  static generateCertificate() {
    const n = (next += 1);
    return Promise.resolve({ n, getFingerprints: () => [{ algorithm: 'sha-256', value: n.toString(16).padStart(64, '0').replace(/(..)(?!$)/g, '$1:') }] });
  }

  constructor(config) {
    this.config = config;
    this.transceivers = [];
    this.signalingState = 'stable';
    this.localDescription = null;
    this.remoteDescription = null;
    this.connectionState = 'new';
    this.closed = false;
    this.gen = 0;
  }

  addTransceiver(trackOrKind) {
    const kind = typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind;
    const t = { receiver: { track: { kind } }, sender: { replaceTrack: async () => {}, setStreams: () => {}, transport: this }, setCodecPreferences: () => {} };
    this.transceivers.push(t);
    return t;
  }

  getTransceivers() { return this.transceivers; }
  getSenders() { return this.transceivers.map((t) => t.sender); }
  async createOffer() { this.gen += 1; return { type: 'offer', sdp: `offer ${this.config.certificates[0].n}.${this.gen}` }; }
  async createAnswer() { return { type: 'answer', sdp: `answer ${this.config.certificates[0].n}` }; }
  async setLocalDescription(d) {
    this.localDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-local-offer' : 'stable';
    this.maybeConnect();
  }

  async setRemoteDescription(d) {
    if (d.type === 'offer' && this.transceivers.length === 0) { this.addTransceiver('audio'); this.addTransceiver('video'); }
    this.remoteDescription = d;
    this.signalingState = d.type === 'offer' ? 'have-remote-offer' : 'stable';
    this.maybeConnect();
  }

  maybeConnect() {
    if (this.signalingState !== 'stable' || !this.localDescription || !this.remoteDescription || this.connectionState === 'connected') return;
    this.peerCert = Number(this.remoteDescription.sdp.split(' ')[1].split('.')[0]);
    this.connectionState = 'connected';
    setTimeout(() => this.onconnectionstatechange?.(), 0);
  }

  getRemoteCertificates() { return [new Uint8Array([this.peerCert]).buffer]; }
  async addIceCandidate() {}
  async getStats() { return new Map(); }
  close() { this.closed = true; }
}

// Digest of the stand-in "DER" [n]: n as 32 bytes, as FakePc's fingerprints say.
const fakeDigest = async (der) => { const b = new Uint8Array(32); b[31] = new Uint8Array(der)[0]; return b.buffer; };

function pairOfClients() {
  const clients = [new Emitter(), new Emitter()];
  clients.forEach((c, i) => {
    c.sent = [];
    c.iceServers = async () => ({ ok: true, value: { iceServers: [], expiresAt: 0 } });
    c.sendCallSignal = async (pair, signal) => {
      c.sent.push(signal);
      setTimeout(() => clients[1 - i].emit('call-signal', { pair, from: i + 1, seq: 0, signal }), 0);
      return { ok: true, value: null };
    };
  });
  return clients;
}

function newCall(client, me, hooks = {}, waiting = null) {
  let id = me * 100;
  const rtc = { RTCPeerConnection: FakePc, RTCRtpScriptTransform: class {}, RTCRtpReceiver: { getCapabilities: () => ({ codecs: [] }) },
    newWorker: () => ({ postMessage() {}, terminate() {} }), digest: fakeDigest };
  const local = { getAudioTracks: () => [{ kind: 'audio' }], getVideoTracks: () => [{ kind: 'video' }] };
  globalThis.MediaStream ??= class { addTrack() {} };
  return new Call({ client, pair: 9, meeting: 4, me, partner: 3 - me, local, rtc, waiting, hooks,
    signals: { newCallId: () => new Uint8Array(16).fill((id += 1) % 256), newMediaKey: () => new Uint8Array(32) } });
}

const settled = (call, state) => new Promise((resolve) => {
  if (call.state === state) resolve(call.reason);
  call.on('state', (s) => { if (s.state === state) resolve(s.reason); });
});

test('both join at once: the lower id offers, the other answers, both connect, a hang-up ends both', async () => {
  const [a, b] = pairOfClients();
  const one = newCall(a, 1);
  const two = newCall(b, 2);
  await Promise.all([one.start(), two.start()]);
  await Promise.all([settled(one, 'connected'), settled(two, 'connected')]);
  assert.ok(b.sent.every((s) => s.type !== 'answer' || s.replyTo !== null));
  assert.ok(a.sent.every((s) => s.type !== 'answer'), 'the offering side never answers');
  await one.hangUp();
  assert.equal(await settled(two, 'ended'), 'partner_hangup');
  assert.equal(one.reason, 'hangup');
});

test('the answering side joins late: the offering side re-offers to it', async () => {
  for (const [first, second] of [[1, 2], [2, 1]]) {
    const clients = pairOfClients();
    const early = newCall(clients[first - 1], first);
    await early.start();
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(early.state, 'waiting');
    const late = newCall(clients[second - 1], second);
    await late.start();
    await Promise.all([settled(early, 'connected'), settled(late, 'connected')]);
    await early.hangUp();
    await settled(late, 'ended');
  }
});

test('a partner offer that came before the join is answered from WaitingOffers', async () => {
  const [a, b] = pairOfClients();
  const waiting = new WaitingOffers(b);
  const one = newCall(a, 1);
  await one.start();
  await new Promise((r) => setTimeout(r, 5));
  const two = newCall(b, 2, {}, waiting.take(9, 4, 120000));
  assert.notEqual(two.waiting, null);
  await two.start();
  await Promise.all([settled(one, 'connected'), settled(two, 'connected')]);
  assert.ok(!b.sent.some((s) => s.type === 'offer'), 'it answered instead of offering');
  await one.hangUp();
  await settled(two, 'ended');
});

test('a signalled fingerprint that is not the connection\'s certificate ends the call on both sides', async () => {
  const [a, b] = pairOfClients();
  const one = newCall(a, 1);
  const two = newCall(b, 2, { wrongFingerprint: true });
  await Promise.all([one.start(), two.start()]);
  assert.equal(await settled(one, 'ended'), 'fingerprint_mismatch');
  assert.equal(await settled(two, 'ended'), 'partner_hangup');
});
