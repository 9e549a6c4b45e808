// The mentee's learning goals and action items, carried from meeting to meeting (one document per pair).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { documentEditor } from './document_editor.js';

function render(ctx) {
  const editor = documentEditor(ctx, { pair: ctx.pairId, kind: 'goals' }, { startingText: async () => t('outline.goals') });
  ctx.el.append(h('p', { class: 'hint' }, t('goals.hint')), editor.el);
  return editor.destroy;
}

registerScreen('goals', { render });
