// The member's pairs: partner, role, unread messages and whether the partner is online.
import { h, replace } from '../dom.js';
import { t, tn } from '../i18n.js';
import { pairHash } from '../route.js';

export function renderPairs(ctx) {
  const { client } = ctx;
  const list = h('ul', { class: 'pairs' });
  const notify = h('div', { class: 'notify' });
  ctx.el.append(h('h2', {}, t('pairs.title')), notify, list);

  function draw() {
    const pairs = [...client.pairs].sort((a, b) => (a.status === b.status ? a.id - b.id : a.status === 'active' ? -1 : 1));
    if (pairs.length === 0) {
      replace(list, h('li', { class: 'empty' }, t('pairs.none')));
    } else {
      replace(list, pairs.map((p) => {
        const partner = client.partnerOf(p);
        const unread = client.unread(p.id);
        const online = client.presence.get(p.id);
        const role = p.yourRole;
        return h('li', { class: 'pair', 'data-pair': String(p.id) },
          h('a', { href: pairHash(p.id, 'chat') }, h('span', { class: 'who' }, partner.name || t('pair.partner'))),
          h('span', { class: 'meta' },
            role ? t(`pairs.you_are.${role}`) : '',
            p.status === 'ended' ? ` · ${t('pairs.ended')}` : '',
            online === undefined || p.status === 'ended' ? '' : h('span', { class: online ? 'online' : 'offline' }, ` · ${t(online ? 'pairs.online' : 'pairs.offline')}`)),
          unread > 0 ? h('span', { class: 'badge' }, tn('pairs.unread', unread)) : null);
      }));
    }
    const N = globalThis.Notification;
    if (N && N.permission === 'default') {
      replace(notify, h('button', { type: 'button', class: 'secondary', onclick: async () => { await N.requestPermission(); draw(); } }, t('pairs.allow_notifications')));
    } else replace(notify);
  }
  draw();
  return client.on('changed', draw);
}
