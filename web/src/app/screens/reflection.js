// The member's private reflection (the seed's role-model exercise as its outline): its key never
// leaves this device, and the server shows it to no one else.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { registerScreen } from '../registry.js';
import { documentEditor } from './document_editor.js';

function render(ctx) {
  const editor = documentEditor(ctx, { pair: ctx.pairId, kind: 'reflection' }, { startingText: async () => t('outline.reflection') });
  ctx.el.append(h('p', { class: 'hint private' }, t('reflection.private')), editor.el);
  return editor.destroy;
}

registerScreen('reflection', { render });
