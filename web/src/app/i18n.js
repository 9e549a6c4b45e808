// Every string the app shows, from one catalogue per language (i18n/en.js, i18n/da.js). t(key,
// params) fills {name} placeholders with the params given, as text. The language chosen is
// remembered in localStorage; English is the fallback for a key a catalogue lacks.
import en from './i18n/en.js';
import da from './i18n/da.js';

export const CATALOGUES = Object.freeze({ en, da });
/** The languages offered, with their names in themselves. */
export const LANGUAGES = Object.freeze([{ code: 'en', name: 'English' }, { code: 'da', name: 'Dansk' }]);
const STORAGE_KEY = 'mentorlink-language';
let current = 'en';
const listeners = new Set();

function stored() {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Picks the remembered language, else the browser's if offered, else English. */
export function initLanguage() {
  const remembered = stored();
  const browser = (globalThis.navigator?.language ?? 'en').slice(0, 2).toLowerCase();
  current = CATALOGUES[remembered] ? remembered : (CATALOGUES[browser] ? browser : 'en');
  if (globalThis.document) document.documentElement.lang = current;
  return current;
}

/** The current language code. */
export function language() {
  return current;
}

/** Switches language, remembers it, and tells the listeners (the shell renders again). */
export function setLanguage(code) {
  if (!CATALOGUES[code]) return;
  current = code;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, code);
  } catch { /* private mode: not remembered */ }
  if (globalThis.document) document.documentElement.lang = code;
  for (const fn of listeners) fn(code);
}

/** Calls fn(code) after every language change. */
export function onLanguage(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The string of key in the current language with {placeholders} filled from params. */
export function t(key, params = {}) {
  const text = CATALOGUES[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (Object.hasOwn(params, name) ? String(params[name]) : m));
}

/** A count-dependent string: key.one for n === 1, else key.other. */
export function tn(key, n, params = {}) {
  return t(`${key}.${n === 1 ? 'one' : 'other'}`, { n, ...params });
}
