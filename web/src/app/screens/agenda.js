// The agenda of one meeting, written ahead by the mentee (either member may edit), starting from
// the catalogue's outline. The meeting is chosen here or on the meetings tab.
import { h, replace, field } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { errorText } from './errors.js';
import { documentEditor } from './document_editor.js';
import { meetingsOf, formatTime, chooseMeeting, chosenMeetingOf } from '../meeting_services.js';
import { newestFirst, nextScheduled } from '../../client/meetings.js';

/** A meeting picker over meetings (filtered by keep) for pair, calling onPick(id); the element and the id picked first. */
export function meetingPicker(ctx, meetings, keep, onPick) {
  const usable = newestFirst(meetings.filter(keep));
  const chosen = chosenMeetingOf(ctx.pairId);
  const first = usable.find((m) => m.id === chosen) ?? nextScheduled(usable) ?? usable[0] ?? null;
  const pick = field(t('meeting.pick'), { onchange: (e) => { chooseMeeting(ctx.pairId, Number(e.target.value)); onPick(Number(e.target.value)); } }, 'select');
  replace(pick.input, usable.map((m) => h('option', { value: String(m.id) },
    `${formatTime(m.startedAt ?? m.scheduledAt)} · ${t(`meeting.status.${m.status}`)}`)));
  if (first) pick.input.value = String(first.id);
  return { el: usable.length > 0 ? pick.wrap : null, first: first ? first.id : null };
}

function render(ctx) {
  const alert = h('div', { role: 'alert' });
  const slot = h('div', { class: 'editor-slot' });
  ctx.el.append(alert, h('p', { class: 'hint' }, t('agenda.hint')));
  let editor = null;
  const show = (meeting) => {
    if (editor) editor.destroy();
    chooseMeeting(ctx.pairId, meeting);
    editor = documentEditor(ctx, { pair: ctx.pairId, kind: 'agenda', meeting }, { startingText: async () => t('outline.agenda') });
    replace(slot, editor.el);
  };
  meetingsOf(ctx.client).list(ctx.pairId).then((r) => {
    if (!r.ok) {
      replace(alert, h('p', { class: 'warning' }, errorText(r.error)));
      return;
    }
    const picker = meetingPicker(ctx, r.value, (m) => m.status !== 'cancelled', show);
    if (picker.first === null) {
      ctx.el.append(h('p', {}, t('agenda.no_meeting')));
      return;
    }
    ctx.el.append(picker.el, slot);
    show(picker.first);
  });
  return () => { if (editor) editor.destroy(); };
}

registerScreen('agenda', { render });
