// The web app's core screens in a real browser (Debian's chromium, headless, playwright-core) across
// implementations: a mentee enrols and chats in the page while the mentor uses the CLI. Driven by
// tests/integration/web_core_test.cpp, which owns the server and the CLI, over a line protocol:
//   args:   APP_URL ARTIFACTS_DIR MENTEE_CODE CANARY
//   stdout: "enrolled", "safety DIGITS", "browser-sent", "reloaded", "offline-seen", "reconnected",
//           "two-tabs", "second-tab-sent", "ready-for-1000", figures ("figure NAME VALUE"), then "done"
//   stdin:  "paired PAIR", "cli-sent", "cli-read", "stopped", "restarted", "cli-sent-3", "cli-sent-2",
//           "cli-read-2", "sent-1000"
// Every screen is photographed at 390×844 and 1280×800 into ARTIFACTS_DIR and checked by axe-core
// (no serious or critical violation). The page runs under the server's own CSP; any console error
// (a CSP or Trusted Types violation among them) fails the run.
import {
  WAIT_MS, composer, enrol, expectLine, finish, launch, messageIn, photograph as photo, problems, say, unlock, watch,
} from './app_page.mjs';

const [appUrl, artifacts, menteeCode, canary] = process.argv.slice(2);
const photograph = (page, screen) => photo(page, artifacts, screen);

const { browser, context } = await launch(artifacts);
// Notifications allowed, and a way to make a tab count as hidden; every notification is recorded.
await context.grantPermissions(['notifications'], { origin: new URL(appUrl).origin });
await context.addInitScript(() => {
  window.notified = [];
  window.hideTab = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (window.hideTab ? 'hidden' : 'visible') });
  const Real = window.Notification;
  window.Notification = class extends Real {
    constructor(title, options) {
      super(title, options);
      window.notified.push(options?.body ?? '');
    }
  };
});
try {
  const page = await context.newPage();
  watch(page, 'tab 1');
  let bytes = 0;
  const counting = async (request) => {
    const sizes = await request.sizes();
    bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  };
  page.on('requestfinished', counting);

  // Enrol from the invite link: the code is in the fragment, never sent to the server.
  await page.goto(`${appUrl}#invite=${menteeCode}`, { waitUntil: 'networkidle' });
  page.off('requestfinished', counting);
  say(`figure first_load_bytes ${bytes}`);
  await page.getByRole('heading', { name: 'Join mentorlink' }).waitFor({ timeout: WAIT_MS });
  if (await page.getByLabel('Invite code').inputValue() !== menteeCode) throw new Error('the invite code from the link is not in the form');
  await photograph(page, 'enrol');
  await enrol(page);
  if (page.url().includes(menteeCode)) throw new Error('the invite code stayed in the address bar');
  say('enrolled');

  // The coordinator pairs us (CLI): the pair appears without a reload.
  const pair = await expectLine('paired');
  const pairItem = page.locator(`li.pair[data-pair="${pair}"]`);
  await pairItem.waitFor({ timeout: WAIT_MS });
  await pairItem.locator('.offline').waitFor({ timeout: WAIT_MS }); // Maria's CLI is not connected
  await photograph(page, 'pairs');
  // Danish, remembered across a reload of the screen; then back to English for the rest.
  await page.getByLabel('Language').selectOption('da');
  await page.getByRole('heading', { name: 'Dine par' }).waitFor({ timeout: WAIT_MS });
  await photograph(page, 'pairs-da');
  await page.getByLabel('Sprog').selectOption('en');
  await page.getByRole('heading', { name: 'Your pairs' }).waitFor({ timeout: WAIT_MS });

  await pairItem.getByRole('link').click();
  await page.getByRole('link', { name: 'Trust' }).click();
  const number = page.locator('#safety-number');
  await number.waitFor({ timeout: WAIT_MS });
  await photograph(page, 'trust');
  say(`safety ${(await number.textContent()).replace(/\D/g, '')}`);
  await page.getByRole('button', { name: 'The numbers are the same: mark verified' }).click();
  await page.getByText('Verified: you compared this number.').waitFor({ timeout: WAIT_MS });

  // Chat, live both ways.
  await page.getByRole('link', { name: 'Chat' }).click();
  await composer(page).waitFor({ timeout: WAIT_MS });
  await expectLine('cli-sent');
  await messageIn(page, 'Hello from the CLI').waitFor({ timeout: WAIT_MS });
  await composer(page).fill(`The canary ${canary} sings`);
  await composer(page).press('Enter');
  await page.locator('.messages li.mine .text', { hasText: canary }).waitFor({ timeout: WAIT_MS });
  await photograph(page, 'chat');
  say('browser-sent');
  await expectLine('cli-read');

  // Reload: everything is there after unlocking, and the pair list shows.
  await page.evaluate(() => { location.hash = '#/pairs'; });
  let started = Date.now();
  await page.reload();
  await page.getByRole('heading', { name: 'Unlock mentorlink' }).waitFor({ timeout: WAIT_MS });
  say(`figure unlock_screen_ms ${Date.now() - started}`);
  await photograph(page, 'unlock');
  started = Date.now();
  await unlock(page);
  await page.locator(`li.pair[data-pair="${pair}"]`).waitFor({ timeout: WAIT_MS });
  say(`figure pair_list_ms ${Date.now() - started}`);
  await page.locator(`li.pair[data-pair="${pair}"] a`).click();
  await messageIn(page, 'Hello from the CLI').waitFor({ timeout: WAIT_MS });
  await messageIn(page, canary).waitFor({ timeout: WAIT_MS });
  say('reloaded');

  // The server restarts: the page says it is offline, reconnects by itself, and is live again.
  await expectLine('stopped');
  const downFrom = problems.length;
  await page.locator('.conn', { hasText: 'Offline' }).waitFor({ timeout: WAIT_MS });
  say('offline-seen');
  await expectLine('restarted');
  await page.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: WAIT_MS });
  // While the server was down, the browser itself logs each refused attempt to reconnect: expected.
  const refused = /WebSocket connection to '.*' failed: .*ERR_CONNECTION_REFUSED/;
  const during = problems.splice(downFrom).filter((p) => !refused.test(p));
  problems.push(...during);
  say('reconnected');
  await expectLine('cli-sent-3');
  await messageIn(page, 'After the restart').waitFor({ timeout: WAIT_MS });

  // A second tab follows the first, read-only, and takes over when the first closes.
  const second = await context.newPage();
  watch(second, 'tab 2');
  await second.goto(`${appUrl}#/pair/${pair}/chat`, { waitUntil: 'networkidle' });
  await unlock(second);
  await second.locator('.conn', { hasText: 'this tab only follows' }).waitFor({ timeout: WAIT_MS });
  await messageIn(second, canary).waitFor({ timeout: WAIT_MS });
  if (!(await composer(second).isDisabled())) throw new Error('the following tab lets the person send');
  await photograph(second, 'chat-second-tab');
  await page.evaluate(() => { window.hideTab = true; });
  say('two-tabs');
  await expectLine('cli-sent-2');
  await messageIn(page, 'While two tabs are open').waitFor({ timeout: WAIT_MS });
  await messageIn(second, 'While two tabs are open').waitFor({ timeout: WAIT_MS });
  // The writer tab, hidden, notified once, naming the partner and not the text; the follower did not.
  await page.waitForFunction(() => window.notified.length > 0, null, { timeout: WAIT_MS }).catch(() => {});
  const notified = await page.evaluate(() => window.notified);
  if (JSON.stringify(notified) !== JSON.stringify(['New message from Maria'])) {
    const states = [await page.textContent('.conn'), await second.textContent('.conn')];
    throw new Error(`notifications: ${JSON.stringify(notified)}; tabs: ${JSON.stringify(states)}`);
  }
  if ((await second.evaluate(() => window.notified)).length !== 0) throw new Error('the following tab notified too');
  await page.close();
  await second.locator('.conn', { hasText: 'Connected' }).waitFor({ timeout: WAIT_MS });
  await second.waitForFunction(() => !document.querySelector('.conn').textContent.includes('follows'), null, { timeout: WAIT_MS });
  await composer(second).fill('From the second tab');
  await composer(second).press('Enter');
  await second.locator('.messages li.mine .text', { hasText: 'From the second tab' }).waitFor({ timeout: WAIT_MS });
  say('second-tab-sent');
  await expectLine('cli-read-2');
  await second.reload({ waitUntil: 'networkidle' });
  await unlock(second);
  for (const text of ['Hello from the CLI', canary, 'While two tabs are open', 'From the second tab']) {
    await messageIn(second, text).waitFor({ timeout: WAIT_MS });
  }
  await second.close();

  // A pair with 1,000 messages of history.
  say('ready-for-1000');
  await expectLine('sent-1000');
  const third = await context.newPage();
  watch(third, 'tab 3');
  await third.goto(`${appUrl}#/pairs`, { waitUntil: 'networkidle' });
  started = Date.now();
  await unlock(third);
  await third.locator(`li.pair[data-pair="${pair}"] .badge`, { hasText: /1[0-9]{3} unread/ }).waitFor({ timeout: 180000 });
  say(`figure sync_1000_ms ${Date.now() - started}`);
  started = Date.now();
  await third.locator(`li.pair[data-pair="${pair}"] a`).click();
  await messageIn(third, 'Message number 1000').waitFor({ timeout: WAIT_MS });
  say(`figure open_1000_ms ${Date.now() - started}`);
  const shown = await third.locator('.messages li.theirs').count();
  if (shown < 1000) throw new Error(`the pair shows ${shown} of the partner's messages, not 1,000 and more`);

  if (problems.length > 0) throw new Error(`the page reported: ${problems.join(' | ')}`);
  say('done');
} finally {
  await browser.close();
  finish();
}
