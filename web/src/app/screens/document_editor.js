// One document of the pair on screen (agenda, contract, goals, feedback, reflection): read and
// verified (§14.3) before anything is shown, edited in a labelled text area, saved as the next
// version. A conflict (the partner saved first) keeps the person's text in the editor, shows the
// newer version beside it and lets them merge and save again; a server that tampered gets a
// role=alert warning and none of its text is shown. Text is only ever set as text.
import { h, replace, field, uid } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from './errors.js';
import en from '../i18n/en.js';
import { withDocuments, formatTime } from '../meeting_services.js';

// Unsaved text per document (pair/kind/meeting/owner): kept while the page is open, and in the
// sealed device state (the writer tab), so a reload or a closed tab loses nothing typed.
const drafts = new Map();
/** How long typing pauses before a draft is sealed into the device state. */
export const DRAFT_SAVE_DELAY_MS = 700;

function storedDraft(client, key) {
  return drafts.get(key) ?? client.state?.drafts?.[key];
}

// Result after writing (text) or removing (null) the draft of key in the device state.
function keepDraft(client, key, text) {
  if (client.readOnly) return Promise.resolve({ ok: true, value: null });
  return client.exclusive(() => {
    client.state.drafts ??= {};
    if (text === null) {
      if (!(key in client.state.drafts)) return { ok: true, value: null };
      delete client.state.drafts[key];
    } else {
      client.state.drafts[key] = text;
    }
    return client.persist();
  });
}

/** What a server that tampered did, in the person's language (the client's English sentence if the reason is new). */
function tamperText(error) {
  const key = `tamper.${error.reason}`;
  if (!Object.hasOwn(en, key)) return error.message;
  return error.version === undefined ? t(key) : `${t(key)} ${t('tamper.at_version', { version: error.version })}`;
}

// The member's own document of a kind (and meeting) in a pair: the one a draft belongs to.
function draftKey(request) {
  return `${request.pair}/${request.kind}/${request.meeting ?? 0}`;
}

/**
 * The editor of request {pair, kind, meeting}. options: title; startingText() → Promise of the
 * text a new document starts from; pick(infos) → the document to show of those listed (default:
 * the first); readOnly (text shown, no editing); onSaved(doc) after a save; extra(doc) → nodes
 * shown under the text (the contract's signatures). Returns {el, refresh(), doc()}.
 */
export function documentEditor(ctx, request, options = {}) {
  const { client } = ctx;
  const alert = h('div', { class: 'doc-alert', role: 'alert' });
  const status = h('p', { class: 'doc-status', role: 'status' });
  const draftNote = h('p', { class: 'draft-note', role: 'status' });
  const label = options.title ?? t(`doc.title.${request.kind}`);
  const { wrap, input } = field(label, { rows: '14', spellcheck: 'true', class: 'doc-text' }, 'textarea');
  const saveButton = h('button', { type: 'button', onclick: () => save(false) }, t('doc.save'));
  const conflictBox = h('div', { class: 'conflict', hidden: true });
  const extraBox = h('div', { class: 'doc-extra' });
  const historyList = h('ol', { class: 'history', reversed: true });  // newest first, numbered by version
  const history = h('details', { class: 'doc-history', ontoggle: () => { if (history.open) loadHistory(); } },
    h('summary', {}, t('doc.history')), historyList);
  const el = h('div', { class: `document doc-${request.kind}` }, alert, wrap, h('div', { class: 'actions' }, saveButton), draftNote, status, conflictBox, extraBox, history);
  let info = null;
  let current = null;  // the verified DocumentText shown, or null
  let base = 0;
  let tampered = false;
  let waitingForKey = false;  // the newest version's key comes over the pair's session: read again when it arrives

  const key = () => draftKey(request);
  let draftTimer = null;
  const setDraft = (text) => {
    drafts.set(key(), text);
    clearTimeout(draftTimer);
    const k = key();
    draftTimer = setTimeout(async () => {
      const kept = await keepDraft(client, k, text);
      if (kept.ok && !client.readOnly && drafts.get(k) === text) replace(draftNote, t('doc.draft_kept'));
    }, DRAFT_SAVE_DELAY_MS);
  };
  const dropDraft = () => {
    clearTimeout(draftTimer);
    drafts.delete(key());
    replace(draftNote);
    keepDraft(client, key(), null);
  };
  input.addEventListener('input', () => setDraft(input.value));

  function showError(error) {
    const text = error.tampered ? t('doc.tampered', { what: tamperText(error) }) : errorText(error);
    replace(alert, h('p', { class: error.tampered ? 'warning tampered' : 'warning' }, text));
  }

  function setEditable() {
    const locked = options.readOnly || client.readOnly || tampered;
    input.readOnly = Boolean(locked);
    saveButton.hidden = Boolean(options.readOnly);
    saveButton.disabled = Boolean(locked);
  }

  function describe() {
    if (!current || current.version === 0) return t(options.readOnly ? 'doc.nothing_yet' : 'doc.new');
    return t('doc.version_line', { version: current.version, who: t(current.mine ? 'doc.by_you' : 'doc.by_partner'),
      when: formatTime(current.writtenAt) });
  }

  async function refresh() {
    replace(alert);
    const found = await withDocuments(client, async (book) => {
      const list = await book.list(request);
      if (!list.ok) return list;
      const chosen = options.pick ? options.pick(list.value) : list.value[0] ?? null;
      if (!chosen) return { ok: true, value: null };
      const read = await book.read(chosen);
      return read.ok ? { ok: true, value: { info: chosen, read: read.value } } : read;
    });
    waitingForKey = !found.ok && found.error.code === 'no_key';
    if (!found.ok) {
      tampered = Boolean(found.error.tampered);
      if (tampered) {
        current = null;
        input.value = storedDraft(client, key()) ?? '';
      }
      showError(found.error);
      setEditable();
      return;
    }
    tampered = false;
    info = found.value ? found.value.info : null;
    current = found.value ? found.value.read : null;
    base = current ? current.version : 0;
    const draft = storedDraft(client, key());
    if (draft !== undefined) {
      drafts.set(key(), draft);
      if (!options.readOnly) replace(draftNote, t('doc.draft_kept'));
    }
    if (draft !== undefined) input.value = draft;
    else if (current && current.version > 0) input.value = current.text;
    else input.value = options.readOnly ? '' : (options.startingText ? await options.startingText() : '');
    replace(status, describe(), current && current.version > 0 ? ` ${t('doc.verified')}` : '');
    setEditable();
    if (options.extra) replace(extraBox, await options.extra({ info, current }));
    if (history.open) loadHistory();
  }

  async function loadHistory() {
    if (!info) {
      replace(historyList, h('li', {}, t('doc.history_none')));
      return;
    }
    const r = await withDocuments(client, (book) => book.history(info));
    if (!r.ok) {
      replace(historyList);
      showError(r.error);
      return;
    }
    replace(historyList, [...r.value].reverse().map((v) => h('li', { class: 'version' },
      h('p', { class: 'meta' }, t('doc.version_line', { version: v.version, who: t(v.mine ? 'doc.by_you' : 'doc.by_partner'), when: formatTime(v.writtenAt) })),
      v.text === null ? h('p', {}, t('doc.no_key')) : h('pre', { class: 'text' }, v.text))));
  }

  function showConflict(theirs) {
    const mine = input.value;
    const theirsId = uid('theirs');
    replace(conflictBox,
      h('h3', {}, t('doc.conflict_title')),
      h('p', {}, t('doc.conflict_explain', { version: theirs.version, who: t(theirs.mine ? 'doc.by_you' : 'doc.by_partner') })),
      h('p', { class: 'meta', id: theirsId }, t('doc.their_version', { version: theirs.version })),
      h('pre', { class: 'text theirs', 'aria-labelledby': theirsId }, theirs.text),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => { base = theirs.version; save(true); } }, t('doc.keep_mine')),
        h('button', { type: 'button', class: 'secondary', onclick: () => {
          input.value = `${theirs.text}\n\n${mine}`;
          setDraft(input.value);
          base = theirs.version;
          input.focus();
          replace(status, t('doc.merge_hint'));
        } }, t('doc.merge'))));
    conflictBox.hidden = false;
  }

  async function save(resolving) {
    if (client.readOnly || tampered) return;
    saveButton.disabled = true;
    const text = input.value;
    const r = await withDocuments(client, async (book) => {
      let target = info;
      if (target === null) {
        const opened = await book.open(request);
        if (!opened.ok) return opened;
        target = opened.value;
      }
      const written = await book.write(target, base, text);
      return written.ok ? { ok: true, value: { info: target, written: written.value } } : written;
    });
    saveButton.disabled = false;
    if (!r.ok) {
      if (r.error.code === 'conflict' && r.error.current) {
        replace(alert, h('p', { class: 'warning' }, t('doc.conflict_alert')));
        showConflict(r.error.current);
      } else {
        showError(r.error);
        if (r.error.tampered) {
          tampered = true;
          setEditable();
        }
      }
      return;
    }
    if (resolving || !conflictBox.hidden) {
      conflictBox.hidden = true;
      replace(conflictBox);
    }
    dropDraft();
    info = r.value.written.info;
    current = r.value.written;
    base = current.version;
    replace(alert);
    replace(status, t('doc.saved', { version: current.version }), ` ${t('doc.verified')}`);
    if (options.onSaved) options.onSaved({ info, current });
    if (options.extra) replace(extraBox, await options.extra({ info, current }));
    if (history.open) loadHistory();
  }

  const offs = [
    client.on('document.updated', (body) => {
      if (info && body.document.id === info.id) {
        if (drafts.has(key())) replace(status, t('doc.partner_saved'));
        else refresh();
      }
    }),
    client.on('changed', () => { if (waitingForKey) refresh(); }),
  ];
  const off = () => offs.forEach((f) => f());
  refresh();
  return { el, refresh, doc: () => ({ info, current }), destroy: off };
}
