// Sentences for a person from what the client reports: the catalogue's own sentence for the codes
// and problem kinds it knows (error.<code>, problem.<kind>), else the client's English message.
import { t } from '../i18n.js';
import en from '../i18n/en.js';

/** The text to show for error {code, message}. */
export function errorText(error) {
  const key = `error.${error.code}`;
  return Object.hasOwn(en, key) ? t(key) : error.message;
}

/** The text to show for a problem {what, kind?, params?} (client.js 'problem' events, chat problems). */
export function problemText(p) {
  const key = `problem.${p.kind ?? p.problem}`;
  return Object.hasOwn(en, key) ? t(key, p.params ?? {}) : p.what;
}
