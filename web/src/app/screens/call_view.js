// The call inside the meeting room: the partner's video, the person's own preview (muted), mute,
// camera, screen sharing, hang up, the connection's quality and what is happening in words
// (connecting, reconnecting, the certificate warning). The call itself is call_session.js's.
import { h, replace, uid } from '../dom.js';
import { t } from '../i18n.js';
import { currentSession, joinCall, callsSupported } from '../call_session.js';
import { CONNECT_TIMEOUT_MS, RECONNECT_GIVE_UP_MS } from '../../client/call.js';

const SECONDS = { connect: CONNECT_TIMEOUT_MS / 1000, reconnect: RECONNECT_GIVE_UP_MS / 1000 };

function video(label, muted) {
  const el = h('video', { autoplay: true, playsinline: true, 'aria-label': label });
  el.muted = muted;
  return el;
}

function statusText(state, reason, partner) {
  if (state === 'ended') return t(`call.ended.${reason}`, { partner, s: reason === 'lost' ? SECONDS.reconnect : SECONDS.connect });
  return t(`call.status.${state}`, { partner, s: SECONDS.reconnect });
}

function qualityText(q) {
  return t('call.quality', { level: t(`call.quality.${q.level}`), loss: q.lossPercent,
    rtt: q.rttMs === null ? t('call.rtt_unknown') : t('call.rtt', { ms: q.rttMs }), kbps: q.kbps });
}

/**
 * The call panel for meeting m of ctx's pair: {el, destroy}. join(audioOnly) is the room's way in
 * (meeting.start or meeting.join first, then the call); it resolves to a Result.
 */
export function callPanel(ctx, m, join) {
  const { client, pairId } = ctx;
  const partner = client.partnerOf(ctx.pair);
  const partnerName = partner.name || t('pair.partner');
  const el = h('section', { class: 'call', 'aria-label': t('call.title') });
  const status = h('p', { role: 'status', class: 'call-status' });
  const warning = h('div', { role: 'alert', class: 'call-alert' });
  let offs = [];

  const unhook = () => {
    offs.forEach((off) => off());
    offs = [];
  };

  function drawIdle(ended = null) {
    unhook();
    el.dataset.state = 'idle';
    if (!callsSupported()) {
      replace(el, h('p', { class: 'call-status' }, t('call.unsupported')));
      return;
    }
    const id = uid('audio-only');
    const audioOnly = h('input', { type: 'checkbox', id, class: 'audio-only' });
    const button = h('button', { type: 'button', class: 'join-call', onclick: async () => {
      button.disabled = true;
      replace(warning);
      const r = await join(audioOnly.checked);
      if (!r.ok) {
        button.disabled = false;
        replace(warning, h('p', { class: 'warning' }, r.error.message));
      }
    } }, t('call.join'));
    replace(el, status, warning, h('div', { class: 'actions call-join' }, button,
      h('span', { class: 'check' }, audioOnly, h('label', { for: id }, t('call.audio_only')))));
    if (ended) replace(status, statusText('ended', ended, partnerName));
    else replace(status);
  }

  function drawCall(s) {
    unhook();
    const remote = video(t('call.partner_video', { partner: partnerName }), false);
    const own = video(t('call.own_video'), true);
    own.srcObject = s.local;
    if (s.call.remote) remote.srcObject = s.call.remote;
    const quality = h('p', { class: 'call-quality' });
    const note = h('p', { class: 'call-note' }, s.note ? t(`call.${s.note}`, { partner: partnerName }) : '');
    const mute = h('button', { type: 'button', class: 'secondary mute', 'aria-pressed': String(s.muted), onclick: () => {
      s.setMuted(!s.muted);
      drawButtons();
    } });
    const camera = h('button', { type: 'button', class: 'secondary camera', 'aria-pressed': String(s.cameraOff), onclick: () => {
      s.setCameraOff(!s.cameraOff);
      drawButtons();
    } });
    const share = h('button', { type: 'button', class: 'secondary share', onclick: async () => {
      if (s.screen) await s.stopSharing();
      else if (!(await s.shareScreen())) replace(note, t('call.share_refused'));
      drawButtons();
    } });
    const hangUp = h('button', { type: 'button', class: 'danger hang-up', onclick: () => s.hangUp() }, t('call.hang_up'));
    function drawButtons() {
      replace(mute, t(s.muted ? 'call.unmute' : 'call.mute'));
      mute.setAttribute('aria-pressed', String(s.muted));
      replace(camera, t(s.cameraOff ? 'call.camera_on' : 'call.camera_off'));
      camera.setAttribute('aria-pressed', String(s.cameraOff));
      camera.disabled = !s.camera;
      replace(share, t(s.screen ? 'call.stop_share' : 'call.share'));
      share.disabled = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
    }
    drawButtons();
    replace(status, statusText(s.call.state, s.call.reason, partnerName));
    replace(el, status, warning, h('div', { class: 'tiles' },
      h('figure', { class: 'tile remote' }, remote, h('figcaption', {}, partnerName)),
      h('figure', { class: 'tile own' }, own, h('figcaption', {}, t('call.you')))),
    h('div', { class: 'actions call-controls' }, mute, camera, share, hangUp), quality, note);
    el.dataset.state = s.call.state;
    offs = [
      s.on('state', ({ state, reason }) => {
        el.dataset.state = state;
        replace(status, statusText(state, reason, partnerName));
        if (state !== 'ended') return;
        drawIdle(reason);
        el.dataset.state = reason === 'fingerprint_mismatch' ? 'refused' : 'ended';
        if (reason === 'fingerprint_mismatch') replace(warning, h('p', { class: 'warning' }, t('call.ended.fingerprint_mismatch')));
      }),
      s.on('remote', (stream) => { remote.srcObject = stream; }),
      s.on('quality', (q) => {
        replace(quality, qualityText(q));
        quality.dataset.level = q.level;
      }),
      s.on('local', (track) => { own.srcObject = track ? new MediaStream([track]) : null; }),
      s.on('note', (n) => replace(note, t(`call.${n}`, { partner: partnerName }))),
    ];
  }

  const s = currentSession();
  if (s && s.pair === pairId && s.meeting === m.id) drawCall(s);
  else drawIdle();

  return {
    el,
    /** Shows the page's call once join() has started it. */
    attach() {
      const now = currentSession();
      if (now && now.pair === pairId && now.meeting === m.id) drawCall(now);
    },
    destroy: unhook,
  };
}

/** Joins the call of the meeting `enter` (meeting.start / meeting.join) gives: Result of the session. */
export async function enterCall(ctx, enter, audioOnly) {
  const r = await enter();
  if (!r.ok) return r;
  const partner = ctx.client.partnerOf(ctx.pair);
  const s = await joinCall(ctx.client, ctx.pairId, r.value.id, partner.id, { audioOnly });
  return { ok: true, value: s };
}
