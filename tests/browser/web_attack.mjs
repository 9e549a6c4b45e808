// The web app against a hostile server (tests/integration/web_core_test.cpp tampers with the
// server's SQLite file between steps). The page must warn the person in a role=alert and never
// show anything wrong as genuine.
//   args:   APP_URL ARTIFACTS_DIR MENTEE_CODE MODE      MODE: envelopes | key
//   envelopes: "enrolled" <"paired PAIR"> "offline" <"tampered"> "checked" "done"
//     The mentor sent one..six; the server withheld two, flipped a byte of three and swapped five and
//     six: the page shows one and four, "2 messages from Maria are missing here" just before four, a
//     warning about message 3 (never two or three), then six, and five marked as out of order.
//   key: "enrolled" <"paired PAIR"> "pinned" <"swapped"> "refused" <"counted"> "accepted" "done"
//     The server hands out another member's key as Maria's: sending is refused with a warning, the
//     trust screen says the key changed and shows the new number; accepting it lets the page send.
import {
  WAIT_MS, composer, enrol, expectLine, finish, launch, messageIn, photograph, problems, say, unlock, watch,
} from './app_page.mjs';

const [appUrl, artifacts, menteeCode, mode] = process.argv.slice(2);
const { browser, context } = await launch(artifacts);

async function openPage(hash) {
  const page = watch(await context.newPage(), 'page');
  await page.goto(`${appUrl}${hash}`, { waitUntil: 'networkidle' });
  return page;
}

try {
  let page = await openPage(`#invite=${menteeCode}`);
  await page.getByRole('heading', { name: 'Join mentorlink' }).waitFor({ timeout: WAIT_MS });
  await enrol(page);
  say('enrolled');
  const pair = await expectLine('paired');
  await page.locator(`li.pair[data-pair="${pair}"]`).waitFor({ timeout: WAIT_MS });

  if (mode === 'envelopes') {
    await page.close();
    say('offline');
    await expectLine('tampered');
    page = await openPage(`#/pair/${pair}/chat`);
    await unlock(page);
    await messageIn(page, 'one').waitFor({ timeout: WAIT_MS });
    await messageIn(page, 'four').waitFor({ timeout: WAIT_MS });
    const items = await page.locator('.messages > li').allTextContents();
    const at = (needle) => items.findIndex((t) => t.includes(needle));
    const gap = at('2 messages from Maria are missing here');
    if (gap < 0 || !(at('one') < gap && gap === at('four'))) throw new Error(`the gap is not shown just before "four": ${JSON.stringify(items)}`);
    if (items.some((t) => /\btwo\b|\bthree\b/.test(t))) throw new Error('a withheld or altered message is shown');
    await messageIn(page, 'five').waitFor({ timeout: WAIT_MS });
    const late = at('five');
    if (!(at('six') < late && items[late].includes('arrived out of order') && !items[at('six')].includes('out of order'))) {
      throw new Error(`the swapped messages are not shown as out of order: ${JSON.stringify(items)}`);
    }
    const warning = page.locator('.warnings[role="alert"] .warning', { hasText: 'message 3 could not be decrypted' });
    await warning.first().waitFor({ timeout: WAIT_MS });
    if (at('message 3 could not be decrypted') < 0) throw new Error('the altered message is not marked where it was');
    await photograph(page, artifacts, 'chat-tampered');
    say('checked');
  } else {
    await page.locator(`li.pair[data-pair="${pair}"] a`).click();
    await page.getByRole('link', { name: 'Trust' }).click();
    const before = (await page.locator('#safety-number').textContent()).replace(/\D/g, '');
    await page.close();
    say('pinned');
    await expectLine('swapped');
    page = await openPage(`#/pair/${pair}/chat`);
    await unlock(page);
    await composer(page).fill('Only for Maria');
    await composer(page).press('Enter');
    await page.locator('.form-error[role="alert"]', { hasText: 'key has changed' }).waitFor({ timeout: WAIT_MS });
    await page.locator('.chat-banner [role="alert"]', { hasText: 'key has changed' }).waitFor({ timeout: WAIT_MS });
    if (!(await composer(page).isDisabled())) throw new Error('the page still lets the person send after the key changed');
    await page.getByRole('link', { name: 'Trust' }).click();
    await page.locator('.trust [role="alert"]', { hasText: 'key has changed' }).waitFor({ timeout: WAIT_MS });
    const after = (await page.locator('#safety-number').textContent()).replace(/\D/g, '');
    if (after === before) throw new Error('the trust screen shows the old number for the new key');
    await photograph(page, artifacts, 'trust-changed');
    say('refused');
    await expectLine('counted');
    // The person compared the new number and accepts it: verified, and the chat may send again.
    await page.getByRole('button', { name: 'I compared the new number: accept the new key' }).click();
    await page.getByText('Verified: you compared this number.').waitFor({ timeout: WAIT_MS });
    await page.getByRole('link', { name: 'Chat' }).click();
    await composer(page).fill('After accepting');
    await composer(page).press('Enter');
    await page.locator('.messages li.mine .text', { hasText: 'After accepting' }).waitFor({ timeout: WAIT_MS });
    say('accepted');
  }
  if (problems.length > 0) throw new Error(`the page reported: ${problems.join(' | ')}`);
  say('done');
} finally {
  await browser.close();
  finish();
}
