// A pair's chat, live: history from this browser's sealed state, messages missing or out of order
// shown where they happened (from the partner's counters, §12.7), what the server did wrong shown
// as a warning in place, never as a message. A changed partner key stops sending (§12.5).
import { h, replace, field } from '../dom.js';
import { t, tn, language } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { pairHash } from '../route.js';
import { errorText, problemText } from './errors.js';

const formats = new Map(); // one formatter per language: making one per message is slow
function timeText(ms) {
  const lang = language();
  if (!formats.has(lang)) formats.set(lang, new Intl.DateTimeFormat(lang === 'da' ? 'da-DK' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' }));
  return formats.get(lang).format(new Date(ms));
}

function render(ctx) {
  const { client, pairId, pair } = ctx;
  const partnerName = client.partnerOf(pair).name || t('pair.partner');
  const list = h('ol', { class: 'messages', 'aria-label': t('chat.messages_label', { partner: partnerName }), 'aria-live': 'polite', 'aria-relevant': 'additions' });
  const banner = h('div', { class: 'chat-banner' });
  const unsent = h('div', { class: 'unsent' });
  const compose = field(t('chat.compose'), { name: 'message', rows: '2', maxlength: '20000' }, 'textarea');
  const message = h('p', { class: 'form-error', role: 'alert' });
  const send = h('button', { type: 'submit' }, t('chat.send'));
  const form = h('form', { class: 'composer', onsubmit: async (e) => {
    e.preventDefault();
    const text = compose.input.value;
    if (text.trim() === '') return;
    send.disabled = true;
    message.textContent = '';
    const r = await client.sendText(pairId, text);
    send.disabled = false;
    if (r.ok) compose.input.value = '';
    else message.textContent = errorText(r.error);
    compose.input.focus();
  } }, compose.wrap, message, send);
  compose.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  ctx.el.append(banner, list, unsent, form);

  const itemElement = (item) => {
    if (item.kind === 'problem') return h('li', { class: 'problem' }, h('strong', {}, t('chat.warning')), ' ', problemText(item));
    const who = item.mine ? t('chat.you') : partnerName;
    return h('li', { class: item.mine ? 'mine' : 'theirs', 'data-seq': String(item.seq) },
      item.missingBefore > 0 ? h('p', { class: 'gap', role: 'note' }, tn('chat.missing', item.missingBefore, { partner: partnerName })) : null,
      h('p', { class: 'head' }, h('span', { class: 'who' }, who), ' ', h('time', { datetime: new Date(item.sentAt).toISOString() }, timeText(item.sentAt))),
      h('p', { class: 'text' }, item.text),
      item.outOfOrder ? h('p', { class: 'gap', role: 'note' }, t('chat.out_of_order', { partner: partnerName })) : null);
  };
  // What each shown item looks like: when the new list only adds items at the end (a message
  // arrived), those are appended; anything else (a late message, a gap filled) draws all again.
  const keyOf = (item) => JSON.stringify([item.kind, item.seq, item.mine, item.missingBefore, item.outOfOrder, item.what]);
  let shown = [];

  function draw() {
    const { items, unsent: waiting } = client.chat(pairId);
    const keys = items.map(keyOf);
    const appendOnly = shown.length > 0 && keys.length >= shown.length && shown.every((k, i) => k === keys[i]);
    if (appendOnly) list.append(...items.slice(shown.length).map(itemElement));
    else replace(list, items.length === 0 ? h('li', { class: 'empty' }, t('chat.empty')) : items.map(itemElement));
    shown = keys;
    replace(unsent, waiting.length ? [h('p', {}, tn('chat.unsent', waiting.length)), h('ul', {}, waiting.map((w) => h('li', {}, w)))] : []);
    const channel = client.state?.channels?.[pairId];
    const changed = Boolean(channel?.changedKey);
    const ended = pair.status === 'ended';
    replace(banner,
      changed ? h('p', { class: 'warning', role: 'alert' }, t('chat.changed_key'), ' ', h('a', { href: pairHash(pairId, 'trust') }, t('chat.go_trust'))) : null,
      client.readOnly ? h('p', { class: 'note' }, t('chat.read_only')) : null,
      ended ? h('p', { class: 'note' }, t('chat.ended')) : null);
    const blocked = changed || client.readOnly || ended;
    send.disabled = blocked;
    compose.input.disabled = blocked;
    list.lastElementChild?.scrollIntoView({ block: 'end' });
    if (document.visibilityState === 'visible') client.markRead(pairId);
  }
  draw();
  const offChanged = client.on('changed', draw);
  const onVisible = () => { if (document.visibilityState === 'visible') client.markRead(pairId); };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    offChanged();
    document.removeEventListener('visibilitychange', onVisible);
  };
}

registerScreen('chat', { render });
