// A form whose submit runs one slow step (Argon2id takes a second or more): while it runs the
// button is disabled and a status line says so; a failed step's reason shows in the alert line.
import { h } from '../dom.js';
import { errorText } from './errors.js';

// refuse() may stop the submit first: it returns null, or { text, focus } to show and focus.
// step() resolves to { ok, error }; on ok, done() runs; on failure, focusOnError (if any) is focused.
export function slowStepForm({ fields, submitLabel, workingLabel, refuse = () => null, step, done, focusOnError = null }) {
  const message = h('p', { class: 'form-error', role: 'alert' });
  const busy = h('p', { class: 'busy', role: 'status' });
  const submit = h('button', { type: 'submit' }, submitLabel);
  return h('form', { class: 'card', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    message.textContent = '';
    const refused = refuse();
    if (refused) {
      message.textContent = refused.text;
      refused.focus.focus();
      return;
    }
    submit.disabled = true;
    busy.textContent = workingLabel;
    const r = await step();
    submit.disabled = false;
    busy.textContent = '';
    if (!r.ok) {
      message.textContent = errorText(r.error);
      if (focusOnError) focusOnError.focus();
      return;
    }
    done();
  } }, ...fields, message, busy, submit);
}
