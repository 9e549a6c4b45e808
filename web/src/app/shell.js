// The page around the screens: a top bar (language switcher, connection state, whether this tab
// only follows another), a role=alert region for what the server did wrong, and the screen of the
// current route (route.js). Without an unlocked account every route but #invite= leads to unlock.
import { h, replace, uid } from './dom.js';
import { t, LANGUAGES, language, setLanguage, onLanguage } from './i18n.js';
import { parseRoute, pairHash } from './route.js';
import { registeredTabs, screenOf } from './registry.js';
import { renderEnrol } from './screens/enrol.js';
import { renderUnlock } from './screens/unlock.js';
import { renderPairs } from './screens/pairs.js';
import { problemText } from './screens/errors.js';

/** Warnings kept on screen at once (the oldest go first). */
export const MAX_WARNINGS = 20;

export function startShell(root, client) {
  const warnings = h('div', { class: 'warnings', role: 'alert', 'aria-live': 'assertive' });
  const statusText = h('p', { class: 'conn', role: 'status' });
  const languageSelect = h('select', { id: uid('lang'), onchange: (e) => setLanguage(e.target.value) });
  const languageLabel = h('label', { for: languageSelect.id });
  const bar = h('div', { class: 'bar' }, h('div', { class: 'lang' }, languageLabel, languageSelect), statusText);
  const view = h('div', { class: 'view' });
  replace(root, bar, warnings, view);
  let cleanup = null;
  let unlocked = false;

  const navigate = (hash) => {
    if (location.hash === hash) render();
    else location.hash = hash;
  };
  const warn = (text) => {
    warnings.append(h('p', { class: 'warning' }, h('span', {}, text), ' ',
      h('button', { type: 'button', class: 'link', onclick: (e) => e.target.closest('p').remove() }, t('shell.dismiss'))));
    while (warnings.childElementCount > MAX_WARNINGS) warnings.firstElementChild.remove();
  };
  client.on('problem', (p) => warn(t('shell.server_problem', { what: problemText(p) })));

  function renderBar() {
    replace(languageLabel, t('shell.language'));
    replace(languageSelect, ...LANGUAGES.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
    languageSelect.value = language();
    const parts = [];
    if (client.connection) parts.push(t(`shell.status.${client.connection.status}`));
    if (unlocked && client.readOnly) parts.push(t('shell.read_only'));
    replace(statusText, parts.join(' · '));
    statusText.classList.toggle('follower', unlocked && client.readOnly);
  }
  client.on('status', renderBar);
  client.on('role', () => { renderBar(); render(); });

  async function render() {
    if (cleanup) cleanup();
    cleanup = null;
    renderBar();
    const route = parseRoute(location.hash);
    const ctx = { client, navigate, warn, el: h('section', { class: 'screen' }) };
    replace(view, ctx.el);
    const done = (r) => { unlocked = true; renderBar(); navigate(r ?? '#/pairs'); };
    if (route.name === 'invite' && !unlocked) {
      cleanup = renderEnrol(ctx, route.code, () => done('#/pairs'));
    } else if (!unlocked) {
      const enrolled = await client.enrolment();
      if (enrolled.ok && enrolled.value === 'new') {
        ctx.el.append(h('h2', { tabindex: '-1' }, t('enrol.title')), h('p', {}, t('enrol.need_link')));
      } else {
        const target = route.name === 'pair' || route.name === 'pairs' ? location.hash : '#/pairs';
        cleanup = renderUnlock(ctx, () => done(target));
      }
    } else if (route.name === 'pair') {
      cleanup = renderPair(ctx, route);
    } else {
      cleanup = renderPairs(ctx);
    }
    const heading = ctx.el.querySelector('h2');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  }

  function renderPair(ctx, route) {
    const pair = client.pair(route.pairId);
    const tabs = registeredTabs();
    if (!pair || !tabs.includes(route.tab)) {
      ctx.el.append(h('h2', {}, t('pair.unknown')), h('p', {}, h('a', { href: '#/pairs' }, t('pair.back'))));
      return null;
    }
    const partner = client.partnerOf(pair);
    const nav = h('nav', { class: 'tabs', 'aria-label': t('pair.tabs_label') },
      h('ul', {}, tabs.map((tab) => h('li', {}, h('a', { href: pairHash(pair.id, tab), 'aria-current': tab === route.tab ? 'page' : null }, t(`tab.${tab}`))))));
    const body = h('div', { class: 'tab-body' });
    ctx.el.append(h('p', { class: 'crumbs' }, h('a', { href: '#/pairs' }, t('pair.back'))),
      h('h2', {}, t('pair.title', { partner: partner.name || t('pair.partner') }), ' ', h('span', { class: 'tab-name' }, `· ${t(`tab.${route.tab}`)}`)),
      nav, body);
    return screenOf(route.tab).render({ ...ctx, el: body, pair, pairId: pair.id }) ?? null;
  }

  window.addEventListener('hashchange', render);
  onLanguage(render);
  return { render, warn };
}
