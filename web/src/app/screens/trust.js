// Trust: the pair's safety number (PROTOCOL.md §12.5), to compare with the partner's out of band
// and mark verified. A changed partner key is shown with its new number; accepting it names that
// number, so a key the server swaps in after the comparison is refused (attack 25).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { formatSafetyNumber } from '../../protocol/safety_number.js';
import { errorText } from './errors.js';

function groups(digits) {
  return digits.match(/\d{5}/g).join(' ');
}

function render(ctx) {
  const { client, pairId, pair } = ctx;
  const partnerName = client.partnerOf(pair).name || t('pair.partner');
  const body = h('div', { class: 'trust' }, h('p', { role: 'status' }, t('trust.loading')));
  ctx.el.append(body);
  let live = true;

  async function draw() {
    const r = await client.trust(pairId);
    if (!live) return;
    if (!r.ok) {
      replace(body, h('p', { class: 'warning', role: 'alert' }, errorText(r.error)));
      return;
    }
    const info = r.value;
    const message = h('p', { class: 'form-error', role: 'alert' });
    const act = async (fn) => {
      const done = await fn(pairId, info.number);
      if (!done.ok) message.textContent = errorText(done.error);
      else draw();
    };
    const lines = formatSafetyNumber(info.number).split('\n');
    replace(body,
      info.changed ? h('p', { class: 'warning', role: 'alert' }, t('trust.changed', { partner: partnerName })) : null,
      h('p', {}, t('trust.explain', { partner: partnerName })),
      h('div', { class: 'safety-number', id: 'safety-number', role: 'group', 'aria-label': t('trust.number_label') },
        lines.map((l) => h('p', { class: 'digits' }, l))),
      h('p', { class: info.verified ? 'verified' : 'unverified' }, info.verified ? t('trust.verified') : t('trust.not_verified')),
      h('p', { class: 'hint' }, t('trust.your_fingerprint'), ' ', h('span', { class: 'digits' }, groups(info.mine))),
      message,
      info.changed
        ? h('button', { type: 'button', disabled: client.readOnly, onclick: () => act((p, n) => client.acceptNewKey(p, n)) }, t('trust.accept_new'))
        : (info.verified ? null : h('button', { type: 'button', disabled: client.readOnly, onclick: () => act((p, n) => client.markVerified(p, n)) }, t('trust.mark_verified'))));
  }
  draw();
  return () => { live = false; };
}

registerScreen('trust', { render });
