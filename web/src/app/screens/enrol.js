// Enrolment from an invite link (#invite=CODE): the identity key is made in this page and sealed
// under the passphrase chosen here (Argon2id), then the server is asked to enrol it.
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { slowStepForm } from './slow_step_form.js';
import { MIN_PASSPHRASE_CHARS } from '../../client/account.js';

export function renderEnrol(ctx, code, done) {
  const invite = field(t('enrol.code'), { name: 'invite', autocomplete: 'off', spellcheck: 'false', value: code, required: true });
  const pass = field(t('enrol.passphrase'), { type: 'password', name: 'passphrase', autocomplete: 'new-password', required: true, minlength: String(MIN_PASSPHRASE_CHARS), 'aria-describedby': 'enrol-hint' });
  const again = field(t('enrol.again'), { type: 'password', name: 'again', autocomplete: 'new-password', required: true });
  const form = slowStepForm({
    fields: [invite.wrap, pass.wrap, h('p', { id: 'enrol-hint', class: 'hint' }, t('enrol.hint', { n: MIN_PASSPHRASE_CHARS })), again.wrap],
    submitLabel: t('enrol.submit'),
    workingLabel: t('enrol.working'),
    refuse: () => (pass.input.value !== again.input.value ? { text: t('enrol.mismatch'), focus: again.input } : null),
    step: () => ctx.client.enrol(invite.input.value, pass.input.value),
    done: () => {
      history.replaceState(null, '', location.pathname); // the code leaves the address bar
      done();
    },
  });
  ctx.el.append(h('h2', {}, t('enrol.title')), h('p', {}, t('enrol.intro')), form);
  return null;
}
