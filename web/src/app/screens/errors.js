// A sentence for a person from a client Result's error: the catalogue's own sentence for codes
// it knows (error.<code>), else the client's English message.
import { t } from '../i18n.js';
import en from '../i18n/en.js';

/** The text to show for error {code, message}. */
export function errorText(error) {
  const key = `error.${error.code}`;
  return Object.hasOwn(en, key) ? t(key) : error.message;
}
