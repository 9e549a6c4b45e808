// Enrolment from an invite link (#invite=CODE): the identity key is made in this page and sealed
// under the passphrase chosen here (Argon2id), then the server is asked to enrol it.
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from './errors.js';
import { MIN_PASSPHRASE_CHARS } from '../../client/account.js';

export function renderEnrol(ctx, code, done) {
  const invite = field(t('enrol.code'), { name: 'invite', autocomplete: 'off', spellcheck: 'false', value: code, required: true });
  const pass = field(t('enrol.passphrase'), { type: 'password', name: 'passphrase', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSPHRASE_CHARS), 'aria-describedby': 'enrol-hint' });
  const again = field(t('enrol.again'), { type: 'password', name: 'again', autocomplete: 'new-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const busy = h('p', { class: 'busy', role: 'status' });
  const submit = h('button', { type: 'submit' }, t('enrol.submit'));
  const form = h('form', { class: 'card', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    message.textContent = '';
    if (pass.input.value !== again.input.value) {
      message.textContent = t('enrol.mismatch');
      again.input.focus();
      return;
    }
    submit.disabled = true;
    busy.textContent = t('enrol.working');
    const r = await ctx.client.enrol(invite.input.value, pass.input.value);
    submit.disabled = false;
    busy.textContent = '';
    if (!r.ok) {
      message.textContent = errorText(r.error);
      return;
    }
    history.replaceState(null, '', location.pathname); // the code leaves the address bar
    done();
  } }, invite.wrap, pass.wrap, h('p', { id: 'enrol-hint', class: 'hint' }, t('enrol.hint', { n: MIN_PASSPHRASE_CHARS })), again.wrap, message, busy, submit);
  ctx.el.append(h('h2', {}, t('enrol.title')), h('p', {}, t('enrol.intro')), form);
  return null;
}
