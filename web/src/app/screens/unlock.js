// Unlocking: the passphrase opens this browser's key store (Argon2id); then the page logs in.
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from './errors.js';

export function renderUnlock(ctx, done) {
  const pass = field(t('unlock.passphrase'), { type: 'password', name: 'passphrase', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const busy = h('p', { class: 'busy', role: 'status' });
  const submit = h('button', { type: 'submit' }, t('unlock.submit'));
  const form = h('form', { class: 'card', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    message.textContent = '';
    submit.disabled = true;
    busy.textContent = t('unlock.working');
    const r = await ctx.client.unlock(pass.input.value);
    submit.disabled = false;
    busy.textContent = '';
    if (!r.ok) {
      message.textContent = errorText(r.error);
      pass.input.focus();
      return;
    }
    done();
  } }, pass.wrap, message, busy, submit);
  ctx.el.append(h('h2', {}, t('unlock.title')), h('p', {}, t('unlock.intro')), form);
  return null;
}
