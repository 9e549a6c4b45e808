// Attacks on calls found in review (SECURITY.md 35-): client/call.js on stand-in peer connections
// (as call.test.js), with the real frame sealing of protocol/call_frames.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Call } from '../src/client/call.js';
import { Emitter } from '../src/client/emitter.js';
import { deriveFrameKeys, sealFrame, openFrame } from '../src/protocol/call_frames.js';

let next = 0;
class FakePc {
  static generateCertificate() {
    const n = (next += 1);
    return Promise.resolve({ n, getFingerprints: () => [{ algorithm: 'sha-256', value: n.toString(16).padStart(64, '0').replace(/(..)(?!$)/g, '$1:') }] });
  }

  constructor(config) {
    Object.assign(this, { config, transceivers: [], signalingState: 'stable', localDescription: null, remoteDescription: null, connectionState: 'new', gen: 0 });
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
    this.state = 'connected'; // this stand-in is its own DTLS transport too
    setTimeout(() => this.onconnectionstatechange?.(), 0);
  }

  getRemoteCertificates() { return (this.extraCertificates ?? []).concat([new Uint8Array([this.peerCert]).buffer]); }
  async addIceCandidate() {}
  async getStats() { return new Map(); }
  close() { this.closed = true; }
}

const fakeDigest = async (der) => { const b = new Uint8Array(32); b[31] = new Uint8Array(der)[0]; return b.buffer; };

function pairOfClients() {
  const clients = [new Emitter(), new Emitter()];
  clients.forEach((c, i) => {
    c.sent = [];
    c.iceServers = async () => ({ ok: true, value: { iceServers: [], expiresAt: 0 } });
    c.held = []; // what the server holds back instead of delivering (c.hold(signal) true)
    c.sendCallSignal = async (pair, signal) => {
      c.sent.push(signal);
      if (c.hold?.(signal)) { c.held.push(signal); return { ok: true, value: null }; }
      setTimeout(() => clients[1 - i].emit('call-signal', { pair, from: i + 1, seq: 0, signal }), 0);
      return { ok: true, value: null };
    };
  });
  return clients;
}

let ids = 0;
function newCall(client, me, rtcOverrides = {}) {
  const rtc = { RTCPeerConnection: FakePc, RTCRtpScriptTransform: class {}, RTCRtpReceiver: { getCapabilities: () => ({ codecs: [] }) },
    newWorker: () => ({ postMessage() {}, terminate() {} }), digest: fakeDigest, ...rtcOverrides };
  const local = { getAudioTracks: () => [{ kind: 'audio' }], getVideoTracks: () => [{ kind: 'video' }] };
  globalThis.MediaStream ??= class { addTrack() {} };
  return new Call({ client, pair: 9, meeting: 4, me, partner: 3 - me, local, rtc,
    signals: { newCallId: () => new Uint8Array(16).fill((ids += 1) % 256), newMediaKey: () => crypto.getRandomValues(new Uint8Array(32)) } });
}

const settled = (call, state) => new Promise((resolve) => {
  if (call.state === state) resolve(call.reason);
  call.on('state', (s) => { if (s.state === state) resolve(s.reason); });
});

const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

test('35: frames sealed for the partner\'s earlier join do not open in its rejoin (the staying side rotates its frame key)', async () => {
  const [a, b] = pairOfClients();
  const one = newCall(a, 1);
  const first = newCall(b, 2);
  await Promise.all([one.start(), first.start()]);
  await Promise.all([settled(one, 'connected'), settled(first, 'connected')]);
  // The partner's page reloads (or the server withholds its hang-up): its first join goes silent.
  first.off.forEach((off) => off());
  const second = newCall(b, 2);
  await second.start();
  await settled(second, 'connected');
  const keyed = (join) => a.sent.filter((s) => s.mediaKey !== null && s.replyTo !== null && sameBytes(s.replyTo, join.callId)).at(-1);
  const toFirst = keyed(first);
  const toSecond = keyed(second);
  assert.ok(toFirst && toSecond);
  // A forwarding server that terminates DTLS kept the frames the staying side sent to the first join.
  const sealedFor = await deriveFrameKeys(toFirst.mediaKey, toFirst.callId);
  const old = await sealFrame(sealedFor, 'audio', new Uint8Array([0x78, 1, 2, 3]));
  const opensIn = await deriveFrameKeys(toSecond.mediaKey, toSecond.callId);
  assert.equal(await openFrame(opensIn, 'audio', old), null, 'an earlier join\'s frame replayed into the rejoin was accepted');
  await one.hangUp();
  await first.end('lost');
});

test('36: a DTLS peer whose own certificate is not the signalled one is refused, even if its chain carries the signalled one', async () => {
  const [a, b] = pairOfClients();
  // A relay that terminates DTLS presents its own certificate first and the partner's (seen in an
  // earlier handshake) after it in the chain.
  class Relayed extends FakePc {
    getRemoteCertificates() { return [new Uint8Array([250]).buffer, ...super.getRemoteCertificates()]; }
  }
  const one = newCall(a, 1, { RTCPeerConnection: Relayed });
  const two = newCall(b, 2);
  const outcome = new Promise((resolve) => one.on('state', (s) => { if (s.state === 'connected' || s.state === 'ended') resolve(s.reason ?? s.state); }));
  await Promise.all([one.start(), two.start()]);
  assert.equal(await outcome, 'fingerprint_mismatch');
  await two.hangUp();
});

test('37: an offer of the partner\'s earlier join, held back by the server and delivered during the call, does not tear the call down', async () => {
  const [a, b] = pairOfClients();
  b.hold = () => true;
  const earlier = newCall(b, 2);
  await earlier.start();
  earlier.off.forEach((off) => off()); // the partner's page reloads; the server keeps its offer
  b.hold = null;
  const start = Date.now();
  while (Date.now() === start); // the rejoin signals at a later millisecond of the partner's clock
  const one = newCall(a, 1);
  const two = newCall(b, 2);
  await Promise.all([one.start(), two.start()]);
  await Promise.all([settled(one, 'connected'), settled(two, 'connected')]);
  const pc = one.pc;
  assert.equal(b.held.length, 1);
  a.emit('call-signal', { pair: 9, from: 2, seq: 0, signal: b.held[0] });
  await one.queue;
  assert.equal(one.pc, pc, 'the established connection was replaced');
  assert.equal(pc.closed, undefined);
  assert.ok(sameBytes(one.peerId, two.callId));
  await one.hangUp();
});
