// Shared by the web app's browser drivers (web_core.mjs, web_attack.mjs, and the meeting-cycle
// ones): Debian's chromium through playwright-core, a line protocol with the C++ test that owns
// the server and the CLI, and the checks every screen gets (axe-core, screenshots at two sizes,
// no console error, which includes CSP and Trusted Types violations).
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const PASSPHRASE = 'a passphrase for the browser';
export const WAIT_MS = 60000;
const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

const lines = createInterface({ input: process.stdin });
const queue = [];
const waiters = [];
lines.on('line', (l) => (waiters.length ? waiters.shift()(l) : queue.push(l)));

/** The next line from the C++ test; throws unless it starts with word. Returns the rest. */
export async function expectLine(word) {
  const line = queue.length ? queue.shift() : await new Promise((r) => waiters.push(r));
  if (!line.startsWith(word)) throw new Error(`expected "${word}" from the test, got "${line}"`);
  return line.slice(word.length).trim();
}

/** A line to the C++ test. */
export function say(line) {
  console.log(line);
}

/** Console errors and page errors of every watched page. */
export const problems = [];

/** Collects page's console errors into problems. */
export function watch(page, name) {
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${name}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${name}: ${e}`));
  return page;
}

/** Throws if axe-core finds a serious or critical violation on the page as it is. */
export async function accessible(page, screen) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(`axe on ${screen}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('; ')}`);
}

/** axe, then screenshots web-SCREEN-390x844.png and web-SCREEN-1280x800.png into dir. */
export async function photograph(page, dir, screen) {
  await accessible(page, screen);
  const size = page.viewportSize();
  for (const [w, h] of [[390, 844], [1280, 800]]) {
    // The whole page at this width: the viewport grows to the page's height, so what sticks to the
    // bottom of the screen (the chat's composer) is drawn where it is, not over the messages.
    await page.setViewportSize({ width: w, height: h });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: w, height: Math.max(h, height) });
    await page.screenshot({ path: join(dir, `web-${screen}-${w}x${h}.png`) });
  }
  await page.setViewportSize(size);
}

/** Headless chromium and one context that accepts the test CA's certificate. */
export async function launch(artifacts) {
  if (artifacts) await mkdir(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.MENTORLINK_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  return { browser, context };
}

/** Stops reading the C++ test's lines (so node can exit). */
export function finish() {
  lines.close();
}

/** Enrols from #invite=CODE on page (already at the enrol screen) with PASSPHRASE; waits for the pair list. */
export async function enrol(page) {
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('heading', { name: 'Your pairs' }).waitFor({ timeout: WAIT_MS });
}

/** Unlocks on page (at the unlock screen) with PASSPHRASE. */
export async function unlock(page) {
  await page.getByRole('heading', { name: 'Unlock mentorlink' }).waitFor({ timeout: WAIT_MS });
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

/** The first chat message on page whose text contains text. */
export function messageIn(page, text) {
  return page.locator('.messages li .text', { hasText: text }).first();
}

/** The chat's message box. */
export function composer(page) {
  return page.getByRole('textbox', { name: 'Message' });
}
