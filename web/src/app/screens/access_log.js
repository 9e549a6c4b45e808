// The pair's access log: which coordinator read which of the pair's metadata, and when, verified
// in this browser from the first entry (§15). A log that does not verify is a role=alert warning
// and none of its entries are shown as genuine.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { errorText } from './errors.js';
import en from '../i18n/en.js';
import { accessLogOf, formatTime } from '../meeting_services.js';

function logTamperText(error) {
  const key = `tamper.log.${error.reason}`;
  return Object.hasOwn(en, key) ? t(key) : error.message;
}

function render(ctx) {
  const alert = h('div', { role: 'alert' });
  const status = h('p', { role: 'status' });
  const body = h('div', { class: 'log' });
  ctx.el.append(h('p', { class: 'hint' }, t('log.hint')), alert, status, body,
    h('button', { type: 'button', class: 'secondary', onclick: () => load() }, t('log.refresh')));

  async function load() {
    replace(alert);
    const r = await accessLogOf(ctx.client, ctx.pairId);
    if (!r.ok) {
      replace(alert, h('p', { class: 'warning tampered' }, r.error.tampered ? t('log.tampered', { what: logTamperText(r.error) }) : errorText(r.error)));
      replace(status);
      replace(body);
      return;
    }
    const entries = r.value.entries;
    replace(status, entries.length === 0 ? t('log.empty') : t('log.verified', { n: entries.length }));
    if (entries.length === 0) {
      replace(body);
      return;
    }
    replace(body, h('table', {},
      h('caption', {}, t('log.caption')),
      h('thead', {}, h('tr', {}, ['log.seq', 'log.who', 'log.when', 'log.what', 'log.fields'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, [...entries].reverse().map((e) => h('tr', {},
        h('td', {}, String(e.seq)), h('td', {}, e.coordinator.name || t('log.unknown_coordinator', { id: e.coordinator.id })),
        h('td', {}, formatTime(e.at)), h('td', {}, e.what), h('td', { class: 'fields' }, e.fields.join(', ')))))));
  }
  load();
  return null;
}

registerScreen('access-log', { render });
