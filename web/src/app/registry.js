// The tabs of a pair and the screens that fill them. A screen module calls
// registerScreen(tab, {render(ctx)}) once when imported; the shell shows a tab only when a screen
// is registered for it, in the order of PAIR_TABS.
//   ctx = {client, pairId, pair (pair view), el (the element to fill), navigate(hash),
//          warn(text) (a role=alert warning at the top of the page)}
//   render(ctx) may return a function the shell calls when the screen is left (unsubscribe there).
// The tab's name is the catalogue key `tab.<tab>` (i18n/en.js and i18n/da.js).

/** Every tab of a pair, in the order the navigation shows them. */
export const PAIR_TABS = Object.freeze(['chat', 'meetings', 'agenda', 'contract', 'feedback', 'goals', 'reflection', 'access-log', 'trust']);
const screens = new Map();

/** Registers the screen of a pair tab (one of PAIR_TABS); a second registration replaces the first. */
export function registerScreen(tab, screen) {
  if (!PAIR_TABS.includes(tab)) throw new Error(`registerScreen: unknown tab ${tab}`);
  if (typeof screen?.render !== 'function') throw new Error(`registerScreen: the screen of ${tab} has no render(ctx)`);
  screens.set(tab, screen);
}

/** The screen registered for tab, or undefined. */
export function screenOf(tab) {
  return screens.get(tab);
}

/** The tabs that have a screen, in navigation order. */
export function registeredTabs() {
  return PAIR_TABS.filter((tab) => screens.has(tab));
}
