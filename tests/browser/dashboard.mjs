// The coordinator dashboard in a real browser (Debian's chromium, headless, driven by
// playwright-core). Called by tests/integration/dashboard_test.cpp, which owns the server and the
// data; we talk over stdin/stdout:
//   args:   LINK EXPECTED_REPORT_JSON SCREENSHOT_PATH ACCOUNT_NAME KEY_FINGERPRINT (as `mentorlink whoami` prints it)
//   stdout: "loaded"       once the page shows the figures (then the test ends a meeting)
//           "live <pair>"  once the page updated by itself from the live event
//           "done"         after signing out in one tab closed the other tab's live socket (4001)
// Before signing in, a victim's browser is shown the same link by a cross-site page (login CSRF):
// it must stay signed out.
// Any mismatch throws, and the process exits non-zero with the reason on stderr.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [link, expectedPath, screenshot, account, fingerprint] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise(resolve => lines.once('line', resolve));

function check(what, actual, wanted) {
  if (String(actual).trim() !== String(wanted)) throw new Error(`${what}: page shows "${actual}", report says "${wanted}"`);
}

const browser = await chromium.launch({
  executablePath: process.env.MENTORLINK_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  // The test CA is not in the browser's store; the certificate itself is tested elsewhere.
  const origin = new URL(link).origin;
  // Login CSRF: the sender of the link opens it to learn its form, and a page on another site
  // posts that form from the victim's browser. Refused; the victim's browser has no session.
  const attacker = await browser.newContext({ ignoreHTTPSErrors: true });
  const attackerPage = await (await attacker.request.get(link)).text();
  const action = attackerPage.match(/action="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const victim = await browser.newContext({ ignoreHTTPSErrors: true });
  const victimPage = await victim.newPage();
  await victimPage.setContent(`<form id="f" method="post" action="${origin}${action}"></form>`);
  const [forged] = await Promise.all([victimPage.waitForNavigation(), victimPage.evaluate(() => document.getElementById('f').submit())]);
  if (forged.status() !== 403) throw new Error(`a cross-site sign-in form answered ${forged.status()}`);
  // The victim following the link only sees whose account it is.
  await victimPage.goto(link);
  check('account on the sign-in page', await victimPage.textContent('#account'), account);
  check('key fingerprint on the sign-in page', await victimPage.textContent('#fingerprint'), fingerprint);
  if ((await victim.cookies()).some(c => c.name === 'mentorlink_session')) throw new Error('the victim was signed in');
  await attacker.close();
  await victim.close();

  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 1100 } });
  const page = await context.newPage();
  const violations = [];
  page.on('console', m => { if (m.type() === 'error') violations.push(m.text()); });
  const response = await page.goto(link);
  if (!response.ok()) throw new Error(`the link answered ${response.status()}`);
  check('account on the sign-in page', await page.textContent('#account'), account);
  await Promise.all([page.waitForURL(url => url.pathname === '/dashboard/'), page.click('#confirm')]);
  const cookies = await context.cookies();
  const session = cookies.find(c => c.name === 'mentorlink_session');
  if (!session || !session.httpOnly || !session.secure || session.sameSite !== 'Strict') {
    throw new Error(`session cookie is not Secure/HttpOnly/SameSite=Strict: ${JSON.stringify(session)}`);
  }
  await page.waitForFunction(() => document.querySelectorAll('#pairs tbody tr').length > 0);

  const t = expected.totals;
  check('participants', await page.textContent('#participants'), t.participants);
  check('matched', await page.textContent('#matched'), t.matched);
  check('unmatched', await page.textContent('#unmatched'), t.unmatched);
  check('active pairs', await page.textContent('#active-pairs'), t.active_pairs);
  check('meetings per week', await page.textContent('#meetings-per-week'), t.meetings_per_week);
  check('pairs at risk', await page.textContent('#at-risk'), expected.pairs.filter(p => p.at_risk).length);
  const bars = await page.$$eval('#weekly-chart rect', rs => rs.map(r => Number(r.getAttribute('data-value'))));
  check('weekly chart', bars.join(','), t.held_per_week.map(w => w.held).join(','));
  for (const p of expected.pairs) {
    const cells = await page.$$eval(`#pairs tbody tr[data-pair="${p.pair}"] td`, tds => tds.map(td => td.textContent));
    check(`pair ${p.pair} held`, cells[3], p.meetings_held);
    check(`pair ${p.pair} at risk`, cells[8], p.at_risk ? 'yes' : 'no');
    const highlighted = await page.$eval(`#pairs tbody tr[data-pair="${p.pair}"]`, tr => tr.classList.contains('at-risk'));
    if (highlighted !== p.at_risk) throw new Error(`pair ${p.pair}: highlight ${highlighted}, at risk ${p.at_risk}`);
  }
  // A pair's details: its monthly chart matches the report.
  const first = expected.pairs[0];
  await page.click(`#pairs tbody tr[data-pair="${first.pair}"]`);
  const months = await page.$$eval('#monthly-chart rect', rs => rs.map(r => Number(r.getAttribute('data-value'))));
  check('monthly chart', months.join(','), first.held_per_month.map(m => m.held).join(','));
  // Sorting by "Held" puts the busiest pair first when clicked twice (descending).
  await page.click('#pairs th[data-key="meetings_held"]');
  await page.click('#pairs th[data-key="meetings_held"]');
  const top = await page.$eval('#pairs tbody tr[data-pair]', tr => Number(tr.dataset.pair));
  const busiest = [...expected.pairs].sort((a, b) => b.meetings_held - a.meetings_held)[0];
  check('sorted first', top, busiest.pair);
  const logEntries = await page.$$eval('#access-log li', lis => lis.length);
  if (logEntries < expected.pairs.length) throw new Error(`own access log shows ${logEntries} entries`);

  const before = await page.getAttribute('#status', 'data-generated-at');
  console.log('loaded');
  const pair = (await nextLine()).trim();  // the test ends a meeting of this pair, then tells us
  await page.waitForFunction(b => {
    const s = document.getElementById('status');
    return s.dataset.generatedAt !== b && s.textContent.includes('live');
  }, before, { timeout: 15000 });
  const status = await page.textContent('#status');
  if (!status.includes(`pair ${pair} meeting.ended`)) throw new Error(`live status says: ${status}`);
  console.log(`live ${pair}`);
  await page.screenshot({ path: screenshot, fullPage: true });
  if (violations.length) throw new Error(`console errors (CSP?): ${violations.join(' | ')}`);
  // Signing out in a second tab closes this tab's live socket with 4001, and the page says so.
  const other = await context.newPage();
  await other.goto(`${origin}/dashboard/`);
  await other.waitForFunction(() => document.querySelectorAll('#pairs tbody tr').length > 0);
  await other.click('#logout');
  await page.waitForFunction(() => document.getElementById('status').dataset.closed === '4001', null, { timeout: 15000 });
  const ended = await page.textContent('#status');
  if (!ended.includes('signed out')) throw new Error(`after logout the page says: ${ended}`);
  console.log('done');
} finally {
  await browser.close();
  lines.close();
}
