// Unlocking: the passphrase opens this browser's key store (Argon2id); then the page logs in.
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { slowStepForm } from './slow_step_form.js';

export function renderUnlock(ctx, done) {
  const pass = field(t('unlock.passphrase'), { type: 'password', name: 'passphrase', autocomplete: 'current-password', required: true });
  const form = slowStepForm({
    fields: [pass.wrap],
    submitLabel: t('unlock.submit'),
    workingLabel: t('unlock.working'),
    step: () => ctx.client.unlock(pass.input.value),
    done,
    focusOnError: pass.input,
  });
  ctx.el.append(h('h2', {}, t('unlock.title')), h('p', {}, t('unlock.intro')), form);
  return null;
}
