// Feedback both ways on an ended meeting: the person's own (theirs alone to write) beside the
// partner's (read only, verified as written by the partner).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { errorText } from './errors.js';
import { documentEditor } from './document_editor.js';
import { meetingsOf } from '../meeting_services.js';
import { meetingPicker } from './agenda.js';

function render(ctx) {
  const me = ctx.client.account.memberId;
  const alert = h('div', { role: 'alert' });
  const slot = h('div', { class: 'side-by-side' });
  ctx.el.append(alert);
  let editors = [];
  const show = (meeting) => {
    editors.forEach((e) => e.destroy());
    const request = { pair: ctx.pairId, kind: 'feedback', meeting };
    editors = [
      documentEditor(ctx, request, { title: t('feedback.mine'), pick: (list) => list.find((d) => d.owner === me) ?? null,
        startingText: async () => t('outline.feedback') }),
      documentEditor(ctx, request, { title: t('feedback.partner'), readOnly: true, pick: (list) => list.find((d) => d.owner !== me) ?? null }),
    ];
    replace(slot, h('section', { 'aria-label': t('feedback.mine') }, editors[0].el),
      h('section', { 'aria-label': t('feedback.partner') }, editors[1].el));
  };
  meetingsOf(ctx.client).list(ctx.pairId).then((r) => {
    if (!r.ok) {
      replace(alert, h('p', { class: 'warning' }, errorText(r.error)));
      return;
    }
    const picker = meetingPicker(ctx, r.value, (m) => m.status === 'ended', show);
    if (picker.first === null) {
      ctx.el.append(h('p', {}, t('feedback.no_meeting')));
      return;
    }
    ctx.el.append(picker.el, slot);
    show(picker.first);
  });
  return () => editors.forEach((e) => e.destroy());
}

registerScreen('feedback', { render });
