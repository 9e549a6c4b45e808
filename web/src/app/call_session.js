// The page's call, at most one: camera and microphone, the Call (client/call.js) on the browser's
// WebRTC, and the meeting presence that follows it: the call starts when the person starts or
// joins a meeting, and meeting.leave goes to the server when they hang up, when the partner hangs
// up, or when the call is lost for good, so "both present" is the time both were in the call.
// It outlives the meetings screen (the call goes on while the person reads another tab).
import { Call, WaitingOffers } from '../client/call.js';
import { newCallId, newMediaKey, MAX_SIGNAL_AGE_MS } from '../protocol/call_signal.js';
import { Emitter } from '../client/emitter.js';
import { meetingsOf } from './meeting_services.js';

/** The camera the call asks for (720p, less if the camera cannot). */
export const CAMERA = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };

let waiting = null;
let session = null;

// For tests only: a page opened with globalThis.mentorlinkCallHooks set (by the test, before the
// page's script runs) may make its own side misbehave (see Call's hooks) and reads its call there.
function hooks() {
  const x = globalThis.mentorlinkCallHooks;
  return x !== null && typeof x === 'object' ? x : null;
}

/** Keeps the partner's offers that come before this page joins the call; call once per client. */
export function watchCalls(client) {
  waiting = new WaitingOffers(client);
  const restart = () => session?.call.restartIce();
  globalThis.addEventListener?.('online', restart);
  globalThis.navigator?.connection?.addEventListener?.('change', restart);
}

/** The call under way on this page (a CallSession), or null. */
export function currentSession() {
  return session;
}

async function localMedia(audioOnly) {
  const video = hooks()?.video ?? CAMERA;
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices) return { stream: new MediaStream(), note: 'no_media' };
  if (!audioOnly) {
    try {
      return { stream: await devices.getUserMedia({ audio: true, video }), note: null };
    } catch {
      // no camera, or not allowed: audio only
    }
  }
  try {
    return { stream: await devices.getUserMedia({ audio: true }), note: audioOnly ? null : 'no_camera' };
  } catch {
    return { stream: new MediaStream(), note: 'no_media' };
  }
}

// The only script URL the page makes: the call's frame worker, same origin (CSP trusted-types).
let workerPolicy = null;
function workerUrl() {
  const url = new URL('call_worker.js', document.baseURI).href;
  if (!globalThis.trustedTypes) return url;
  workerPolicy ??= globalThis.trustedTypes.createPolicy('mentorlink-call-worker', {
    createScriptURL: (u) => {
      if (u !== url) throw new TypeError('not the call worker');
      return u;
    },
  });
  return workerPolicy.createScriptURL(url);
}

function browserRtc() {
  return {
    RTCPeerConnection: globalThis.RTCPeerConnection,
    RTCRtpScriptTransform: globalThis.RTCRtpScriptTransform,
    RTCRtpReceiver: globalThis.RTCRtpReceiver,
    newWorker: () => new Worker(workerUrl(), { type: 'module' }),
    digest: (bytes) => crypto.subtle.digest('SHA-256', bytes),
  };
}

/** Whether this browser can hold an encrypted call (WebRTC with encoded transforms in a worker). */
export function callsSupported() {
  return typeof globalThis.RTCPeerConnection === 'function' && typeof globalThis.RTCRtpScriptTransform === 'function'
    && typeof globalThis.Worker === 'function';
}

/**
 * One call: events 'state' {state, reason}, 'remote' MediaStream, 'quality', 'frames', 'local'
 * (this side's stream changed), 'note' (no_camera | no_media), 'left' (the meeting was left).
 */
class CallSession extends Emitter {
  constructor(client, pair, meeting, partner) {
    super();
    Object.assign(this, { client, pair, meeting, partner });
    this.muted = false;
    this.cameraOff = false;
    this.screen = null;
    this.note = null;
  }

  async start(audioOnly) {
    const { stream, note } = await localMedia(audioOnly);
    this.local = stream;
    this.camera = stream.getVideoTracks()[0] ?? null;
    this.note = note;
    const h = hooks();
    this.call = new Call({ client: this.client, pair: this.pair, meeting: this.meeting, me: this.client.account.memberId,
      partner: this.partner, local: stream, signals: { newCallId, newMediaKey }, rtc: browserRtc(),
      policy: h?.relayOnly ? 'relay' : 'all', waiting: waiting?.take(this.pair, this.meeting, MAX_SIGNAL_AGE_MS) ?? null,
      hooks: h ?? {} });
    if (h) h.call = this.call;
    waiting?.active.add(this.pair);
    for (const name of ['state', 'remote', 'quality', 'frames']) this.call.on(name, (v) => this.emit(name, v));
    this.call.on('state', ({ state }) => { if (state === 'ended') this.ended(); });
    if (note) this.emit('note', note);
    await this.call.start();
  }

  async ended() {
    waiting?.active.delete(this.pair);
    for (const track of this.local.getTracks()) track.stop();
    this.screen?.stop();
    if (session === this) session = null;
    const r = await meetingsOf(this.client).leave(this.pair, this.meeting);
    this.emit('left', r);
  }

  /** Mutes or unmutes the microphone (the partner hears silence). */
  setMuted(muted) {
    this.muted = muted;
    for (const track of this.local.getAudioTracks()) track.enabled = !muted;
  }

  /** Turns the camera off (the partner sees a black picture) or on again. */
  setCameraOff(off) {
    this.cameraOff = off;
    if (this.camera) this.camera.enabled = !off;
  }

  /** Shares a screen (the browser asks which) in place of the camera; resolves false if refused. */
  async shareScreen() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch {
      return false;
    }
    this.screen = stream.getVideoTracks()[0];
    this.screen.addEventListener('ended', () => this.stopSharing());
    await this.call.sendVideo(this.screen);
    this.emit('local', this.screen);
    return true;
  }

  /** Back to the camera (or to no picture) after sharing a screen. */
  async stopSharing() {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    await this.call.sendVideo(this.camera);
    this.emit('local', this.camera);
  }

  hangUp() {
    return this.call.hangUp();
  }
}

/**
 * Starts (or returns) the page's call for meeting in pair with partner (member id). Only one call
 * at a time: another meeting's call is hung up first.
 */
export async function joinCall(client, pair, meeting, partner, { audioOnly = false } = {}) {
  if (session && session.pair === pair && session.meeting === meeting) return session;
  if (session) await session.hangUp();
  session = new CallSession(client, pair, meeting, partner);
  const started = session;
  await started.start(audioOnly);
  return started;
}
