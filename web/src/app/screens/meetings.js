// The pair's meetings: schedule, reschedule, cancel (each with an .ics file for the person's
// calendar, made in the browser), start, join, leave and end; while one is under way, its agenda
// and the pair's chat beside its call (starting or joining a meeting starts or joins the call). Times are shown in the person's own time zone.
import { h, replace, field } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { pairHash } from '../route.js';
import { errorText } from './errors.js';
import { documentEditor } from './document_editor.js';
import { meetingsOf, formatTime, localInputValue, fromLocalInput, chooseMeeting } from '../meeting_services.js';
import { checkMeetingTime, meetingUnderWay, newestFirst, sentDuring } from '../../client/meetings.js';
import { meetingIcs, icsFileName } from '../../client/ics.js';
import { callPanel, enterCall } from './call_view.js';
import { currentSession } from '../call_session.js';

const HOUR_MS = 3600 * 1000;

function downloadIcs(ctx, meeting) {
  const partner = ctx.client.partnerOf(ctx.pair);
  const text = meetingIcs({ meeting, host: location.hostname, now: Date.now(),
    summary: t('ics.summary', { partner: partner.name || t('pair.partner') }), description: t('ics.description') });
  const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar;charset=utf-8' }));
  const a = h('a', { href: url, download: icsFileName(meeting), hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function statusLine(m) {
  const parts = [t(`meeting.status.${m.status}`)];
  if (m.status === 'scheduled' || m.status === 'cancelled') parts.push(formatTime(m.scheduledAt));
  if (m.startedAt !== null) parts.push(t('meeting.started_at', { when: formatTime(m.startedAt) }));
  if (m.status === 'ended') parts.push(t(m.held ? 'meeting.held' : 'meeting.not_held'));
  if (m.status === 'ended' && m.bothPresentMs > 0) parts.push(t('meeting.both_present', { min: Math.round(m.bothPresentMs / 60000) }));
  parts.push(t(m.agenda.sharedAhead ? 'meeting.agenda_ahead' : 'meeting.agenda_not_ahead'));
  if (m.feedbackFrom.length > 0) parts.push(t('meeting.feedback_count', { n: m.feedbackFrom.length }));
  return parts.join(' · ');
}

function render(ctx) {
  const { client, pairId } = ctx;
  const meetings = meetingsOf(client);
  const alert = h('div', { role: 'alert', class: 'meet-alert' });
  const note = h('p', { role: 'status', class: 'meet-status' });
  const room = h('div', { class: 'room-slot' });
  const list = h('ul', { class: 'meetings' });
  const when = field(t('meeting.when'), { type: 'datetime-local', value: localInputValue(Date.now() + 24 * HOUR_MS), required: true });
  const active = ctx.pair.status === 'active';
  const scheduleForm = h('form', { class: 'schedule', onsubmit: (e) => { e.preventDefault(); schedule(); } },
    h('h3', {}, t('meeting.schedule_title')), when.wrap,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('meeting.schedule')),
      h('button', { type: 'button', class: 'secondary', onclick: () => withCall(() => meetings.start(pairId)) }, t('meeting.start_now'))));
  ctx.el.append(alert, active ? scheduleForm : h('p', {}, t('meeting.pair_ended')), note, room, h('h3', {}, t('meeting.list_title')), list);
  let shown = [];
  let roomEditor = null;
  let roomChat = null;
  let roomCall = null;

  // Starting or joining a meeting in the web app starts or joins its call (call_session.js).
  async function withCall(enter, audioOnly = false) {
    replace(alert);
    const r = await enterCall(ctx, enter, audioOnly);
    if (!r.ok) fail(r.error);
    await load();
    if (roomCall) roomCall.attach();
    return r;
  }

  // The page's call of meeting m, or null.
  function callOf(m) {
    const s = currentSession();
    return s && s.pair === pairId && s.meeting === m.id ? s : null;
  }

  function fail(error) {
    replace(alert, h('p', { class: 'warning' }, errorText(error)));
  }

  async function step(fn, done) {
    replace(alert);
    const r = await fn();
    if (!r.ok) {
      fail(r.error);
      return;
    }
    if (done) replace(note, done(r.value));
    await load();
  }

  function schedule() {
    const at = fromLocalInput(when.input.value);
    const checked = checkMeetingTime(at, Date.now());
    if (!checked.ok) {
      replace(alert, h('p', { class: 'warning' }, t(at < Date.now() ? 'meeting.time_passed' : 'meeting.time_invalid')));
      when.input.focus();
      return;
    }
    step(() => meetings.schedule(pairId, at), (m) => t('meeting.scheduled', { when: formatTime(m.scheduledAt) }));
  }

  function rescheduleForm(m) {
    const f = field(t('meeting.new_time'), { type: 'datetime-local', value: localInputValue(m.scheduledAt) });
    return h('form', { class: 'reschedule', onsubmit: (e) => {
      e.preventDefault();
      const at = fromLocalInput(f.input.value);
      if (!checkMeetingTime(at, Date.now()).ok) {
        replace(alert, h('p', { class: 'warning' }, t('meeting.time_invalid')));
        return;
      }
      step(() => meetings.reschedule(pairId, m.id, at), (x) => t('meeting.rescheduled', { when: formatTime(x.scheduledAt) }));
    } }, f.wrap, h('button', { type: 'submit', class: 'secondary' }, t('meeting.reschedule')));
  }

  function actions(m) {
    const out = [];
    const me = client.account.memberId;
    const label = (key) => ({ 'aria-label': `${t(key)}: ${statusLine(m)}` });
    if (m.status === 'scheduled' && active) {
      out.push(h('button', { type: 'button', ...label('meeting.start'), onclick: () => withCall(() => meetings.start(pairId, m.id)) }, t('meeting.start')));
      out.push(h('button', { type: 'button', class: 'secondary', ...label('meeting.cancel'), onclick: () => step(() => meetings.cancel(pairId, m.id)) }, t('meeting.cancel')));
    }
    if (m.status === 'scheduled' || m.status === 'cancelled') {
      out.push(h('button', { type: 'button', class: 'secondary', ...label('meeting.ics'), onclick: () => downloadIcs(ctx, m) }, t('meeting.ics')));
    }
    if (m.status === 'started') {
      if (!m.present.includes(me)) out.push(h('button', { type: 'button', onclick: () => withCall(() => meetings.join(pairId, m.id)) }, t('meeting.join')));
      else out.push(h('button', { type: 'button', class: 'secondary', onclick: () => step(() => leave(m)) }, t('meeting.leave')));
      out.push(h('button', { type: 'button', onclick: () => step(async () => {
        await callOf(m)?.hangUp();
        return meetings.end(pairId, m.id);
      }) }, t('meeting.end')));
    }
    if (m.status !== 'cancelled') {
      out.push(h('a', { href: pairHash(pairId, 'agenda'), onclick: () => chooseMeeting(pairId, m.id) }, t('meeting.open_agenda')));
    }
    if (m.status === 'ended') {
      out.push(h('a', { href: pairHash(pairId, 'feedback'), onclick: () => chooseMeeting(pairId, m.id) }, t('meeting.open_feedback')));
    }
    return out;
  }

  // Leaving hangs up the call, which leaves the meeting (call_session.js); without a call, leaves it.
  async function leave(m) {
    const s = callOf(m);
    if (!s) return meetings.leave(pairId, m.id);
    const left = new Promise((resolve) => s.on('left', resolve));
    await s.hangUp();
    return left;
  }

  function chatPanel(m) {
    const items = h('ol', { class: 'messages', 'aria-live': 'polite' });
    const box = field(t('meeting.chat_label'), { rows: '2' }, 'textarea');
    const form = h('form', { class: 'send', onsubmit: async (e) => {
      e.preventDefault();
      const text = box.input.value;
      if (text.trim() === '') return;
      const r = await client.sendText(pairId, text);
      if (!r.ok) fail(r.error);
      else box.input.value = '';
    } }, box.wrap, h('button', { type: 'submit' }, t('meeting.send')));
    const draw = () => {
      const partner = client.partnerOf(ctx.pair).name || t('pair.partner');
      const messages = client.chat(pairId).items.filter((i) => i.kind === 'message' && sentDuring(m, i.sentAt));
      replace(items, messages.length === 0 ? h('li', { class: 'empty' }, t('meeting.chat_empty'))
        : messages.map((i) => h('li', { class: i.mine ? 'mine' : 'theirs' }, h('span', { class: 'who' }, i.mine ? t('meeting.you') : partner), ': ', i.text)));
    };
    draw();
    return { el: h('section', { class: 'room-chat', 'aria-label': t('meeting.chat_title') }, h('h4', {}, t('meeting.chat_title')), items, form), draw };
  }

  function drawRoom(m) {
    if (!m) {
      if (roomEditor) roomEditor.destroy();
      if (roomCall) roomCall.destroy();
      const s = currentSession();
      if (s && s.pair === pairId) s.hangUp(); // the meeting ended
      roomEditor = null;
      roomChat = null;
      roomCall = null;
      replace(room);
      return;
    }
    if (roomEditor && roomEditor.meeting === m.id) {
      replace(room.querySelector('.room-line'), statusLine(m));
      replace(room.querySelector('.room-actions'), actions(m));
      roomChat.draw();
      return;
    }
    if (roomEditor) roomEditor.destroy();
    if (roomCall) roomCall.destroy();
    chooseMeeting(pairId, m.id);
    roomEditor = documentEditor(ctx, { pair: pairId, kind: 'agenda', meeting: m.id }, { startingText: async () => t('outline.agenda') });
    roomEditor.meeting = m.id;
    roomChat = chatPanel(m);
    const me = client.account.memberId;
    roomCall = callPanel(ctx, m, (audioOnly) => withCall(async () => (m.present.includes(me) ? { ok: true, value: m } : meetings.join(pairId, m.id)), audioOnly));
    replace(room, h('section', { class: 'room', 'aria-label': t('meeting.room_title') },
      h('h3', {}, t('meeting.room_title')), h('p', { class: 'room-line' }, statusLine(m)),
      h('div', { class: 'room-actions actions' }, actions(m)),
      h('div', { class: 'room-body' }, roomCall.el,
        h('div', { class: 'side-by-side' }, h('section', { class: 'room-agenda', 'aria-label': t('doc.title.agenda') }, h('h4', {}, t('doc.title.agenda')), roomEditor.el), roomChat.el))));
  }

  async function load() {
    const r = await meetings.list(pairId);
    if (!r.ok) {
      fail(r.error);
      return;
    }
    shown = newestFirst(r.value);
    drawRoom(meetingUnderWay(shown));
    replace(list, shown.length === 0 ? h('li', { class: 'empty' }, t('meeting.none'))
      : shown.map((m) => h('li', { class: `meeting ${m.status}`, 'data-meeting': String(m.id), 'data-both-present-ms': String(m.bothPresentMs) },
        h('p', {}, statusLine(m)), h('div', { class: 'actions' }, actions(m)),
        m.status === 'scheduled' && active ? rescheduleForm(m) : null)));
  }

  load();
  const offs = [client.on('meeting.updated', (b) => { if (b.meeting.pair === pairId) load(); }),
    client.on('changed', () => { if (roomChat) roomChat.draw(); })];
  return () => {
    offs.forEach((off) => off());
    if (roomEditor) roomEditor.destroy();
    if (roomCall) roomCall.destroy();
  };
}

registerScreen('meetings', { render });
