// The pair's contract: drafted from one of the programme's templates (names, programme and date
// filled in), edited by either member, its verified history shown, and signed by both. A
// signature is shown as verified only when it verifies, under the key this device trusts, on the
// very version shown; any later edit makes a new draft that needs both signatures again.
import { h, replace, field } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { errorText } from './errors.js';
import { documentEditor } from './document_editor.js';
import { withDocuments, formatTime } from '../meeting_services.js';
import { chooseTemplate, dateUtc, fillTemplate } from '../../client/outlines.js';
import { verifiedContractState } from '../../client/documents.js';

// How many signatures each contract state claims.
const SIGNATURES_CLAIMED = { none: 0, draft: 0, signed_by_one: 1, signed: 2 };

async function programmeName(client, programme) {
  const r = await client.request('programme.list', {});
  const p = r.ok ? r.value.programmes.find((x) => x.id === programme) : undefined;
  return p ? p.name : t('contract.programme_n', { id: programme });
}

function render(ctx) {
  const { client, pair } = ctx;
  const alert = h('div', { role: 'alert' });
  const templateField = field(t('contract.template'), {}, 'select');
  const templateRow = h('div', { class: 'template-row' }, templateField.wrap,
    h('button', { type: 'button', class: 'secondary', onclick: () => useTemplate() }, t('contract.use_template')));
  let templates = [];
  let editor = null;

  async function templateText(id) {
    const chosen = chooseTemplate(templates, id);
    if (!chosen) return '';
    const r = await client.request('template.get', { template: chosen.id });
    if (!r.ok) {
      replace(alert, h('p', { class: 'warning' }, errorText(r.error)));
      return '';
    }
    return fillTemplate(r.value.template.text, { mentor: pair.mentor.name, mentee: pair.mentee.name,
      programme: await programmeName(client, pair.programme), date: dateUtc(Date.now()) });
  }

  async function useTemplate() {
    const input = editor.el.querySelector('.doc-text');
    const text = await templateText(Number(templateField.input.value));
    input.value = text;
    input.dispatchEvent(new Event('input'));
    input.focus();
  }

  async function signatures({ info, current }) {
    const drafted = Boolean(current && current.version > 0);
    templateRow.hidden = drafted || templates.length === 0;  // a template starts a contract; later edits are made in the text
    if (!info || !drafted) return h('p', {}, t('contract.state.none'));
    const r = await withDocuments(client, async (book) => {
      const status = await book.contractStatus(ctx.pairId);
      if (!status.ok) return status;
      const signers = await book.verifiedSigners(status.value, current);
      return signers.ok ? { ok: true, value: { contract: status.value, signers: signers.value } } : signers;
    });
    if (!r.ok) return h('p', { class: 'warning', role: 'alert' }, errorText(r.error));
    const { contract, signers } = r.value;
    const sameVersion = contract.document === info.id && contract.version === current.version;
    const state = verifiedContractState(signers); // what the signatures prove, whatever the server says
    const overstated = sameVersion && SIGNATURES_CLAIMED[contract.state] > SIGNATURES_CLAIMED[state];
    const line = (who, signed) => h('li', { class: signed ? 'signed' : 'unsigned' }, t(signed ? 'contract.signed_by' : 'contract.not_signed_by', { who }));
    const partner = client.partnerOf(pair).name || t('pair.partner');
    const sign = h('button', { type: 'button', onclick: async () => {
      sign.disabled = true;
      const s = await withDocuments(client, (book) => book.signContract(current, current.version));
      if (!s.ok) {
        replace(alert, h('p', { class: 'warning' }, s.error.code === 'conflict' ? t('contract.changed_before_sign') : errorText(s.error)));
        editor.refresh();
        return;
      }
      editor.refresh();
    } }, t('contract.sign', { version: current.version }));
    return h('section', { class: 'signatures', 'aria-label': t('contract.signatures') },
      h('h3', {}, t('contract.signatures')),
      overstated ? h('p', { class: 'warning', role: 'alert' }, t('contract.state_unverified')) : null,
      h('p', {}, t(`contract.state.${state}`),
        contract.signedAt !== null && state === 'signed' ? ` · ${formatTime(contract.signedAt)}` : ''),
      h('ul', {}, line(t('meeting.you'), signers.me), line(partner, signers.partner)),
      signers.me || client.readOnly || pair.status !== 'active' ? null : sign);
  }

  ctx.el.append(alert, templateRow);
  client.request('template.list', { programme: pair.programme }).then(async (r) => {
    if (r.ok) templates = r.value.templates;
    else replace(alert, h('p', { class: 'warning' }, errorText(r.error)));
    replace(templateField.input, templates.map((x) => h('option', { value: String(x.id) }, t('contract.template_option', { name: x.name, version: x.version }))));
    const chosen = chooseTemplate(templates);
    if (chosen) templateField.input.value = String(chosen.id);
    templateRow.hidden = templates.length === 0;
    editor = documentEditor(ctx, { pair: ctx.pairId, kind: 'contract' }, {
      startingText: () => templateText(chosen ? chosen.id : null), extra: signatures });
    ctx.el.append(editor.el);
  });
  const off = client.on('contract.updated', (b) => { if (b.contract.pair === ctx.pairId && editor) editor.refresh(); });
  return () => {
    off();
    if (editor) editor.destroy();
  };
}

registerScreen('contract', { render });
