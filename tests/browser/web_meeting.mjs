// The meeting cycle in a real browser (Debian's chromium, headless, driven by playwright-core)
// against the real server, with the mentor on the real CLI. Called by
// tests/integration/web_meeting_test.cpp, which owns the server and the CLI homes.
//   args:   SCENARIO (journey | hostile | two) APP_URL INVITE_CODE ARTIFACTS_DIR [MENTOR_INVITE_CODE]
//           ("two": the mentor enrols in a second browser context too, with MENTOR_INVITE_CODE)
//   stdout: one line per step done; stdin: one line from the test before each step that needs
//           the CLI or the server's store to have acted first.
// Every screen is photographed at 390×844 and 1280×800 into ARTIFACTS_DIR and checked with
// axe-core (no serious or critical violation). Any mismatch throws (exit non-zero).
import { readFileSync } from 'node:fs';
import { WAIT_MS, enrol as enrolInPage, unlock, expectLine as hear, finish, launch, photograph as photographIn, problems, say, watch } from './app_page.mjs';

const [scenario, appUrl, inviteCode, artifacts, mentorInviteCode] = process.argv.slice(2);
const TIMEOUT_MS = WAIT_MS;
// A meeting counts as held after the programme's minimum with both present (one minute here):
// the meeting must last that long in real time, on the server's clock.
const HELD_MS = 61000;

function photograph(page, name) {
  return photographIn(page, artifacts, name);
}

async function waitText(page, selector, text) {
  await page.waitForFunction(([s, x]) => [...document.querySelectorAll(s)].some((e) => (typeof e.value === 'string' ? e.value : e.textContent).includes(x)),
    [selector, text], { timeout: TIMEOUT_MS });
}

async function valueOf(page, selector) {
  return page.$eval(selector, (e) => e.value);
}

async function openTab(page, pair, tab) {
  await page.evaluate((h) => { location.hash = h; }, `#/pair/${pair}/${tab}`);
  await page.waitForSelector(`nav.tabs a[aria-current="page"][href="#/pair/${pair}/${tab}"]`, { timeout: TIMEOUT_MS });
}

// Enrols from the invite link through the enrol screen; resolves once this device's keys are on
// the server (the keys.publish answer), so the CLI can start a session with it.
async function enrol(page, code = inviteCode) {
  let published;
  const keysOnServer = new Promise((resolve) => { published = resolve; });
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    if (typeof f.payload === 'string' && f.payload.includes('"one_time_prekeys"')) published();
  }));
  await page.goto(`${appUrl}#invite=${code}`, { waitUntil: 'networkidle' });
  await enrolInPage(page);
  await keysOnServer;
}

async function waitForPair(page, pair) {
  await page.waitForSelector(`li.pair[data-pair="${pair}"]`, { timeout: TIMEOUT_MS });
}

async function save(page, nth, version) {
  await page.locator('.document').nth(nth).locator('button', { hasText: /^Save$/ }).click();
  await waitText(page, '.doc-status', `Saved as version ${version}.`);
}

async function journey(page) {
  await enrol(page);
  say('enrolled');
  const pair = await hear('paired');
  await waitForPair(page, pair);

  // Schedule a meeting a day ahead; its calendar file is made in the page.
  await openTab(page, pair, 'meetings');
  await page.click('form.schedule button[type="submit"]');
  const item = await page.waitForSelector('li.meeting.scheduled', { timeout: TIMEOUT_MS });
  const meeting = await item.getAttribute('data-meeting');
  // Moved a day later; the calendar file follows.
  const later = await page.$eval(`li.meeting[data-meeting="${meeting}"] form.reschedule input`, (e) => {
    const d = new Date(new Date(e.value).getTime() + 24 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await page.fill(`li.meeting[data-meeting="${meeting}"] form.reschedule input`, later);
  await page.locator(`li.meeting[data-meeting="${meeting}"] form.reschedule button`).click();
  await waitText(page, '.meet-status', 'Moved to');
  const movedTo = await page.evaluate((v) => new Date(v).getTime(), later);
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.locator(`li.meeting[data-meeting="${meeting}"] button`, { hasText: 'Add to calendar' }).click()]);
  const ics = readFileSync(await download.path(), 'utf8');
  if (!ics.startsWith('BEGIN:VCALENDAR\r\n') || !ics.includes(`UID:meeting-${meeting}-pair-${pair}@localhost\r\n`)
      || !ics.includes('SUMMARY:Mentoring meeting with Maria\r\n')
      || !ics.includes(`DTSTART:${new Date(movedTo).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}\r\n`)) {
    throw new Error(`the calendar file is not as expected:\n${ics}`);
  }
  if (download.suggestedFilename() !== `mentorlink-meeting-${meeting}.ics`) throw new Error(`file name ${download.suggestedFilename()}`);
  await photograph(page, 'meetings');
  say(`scheduled ${meeting} ${movedTo}`);

  // The agenda, from its starting outline; then the mentor's reply, read and verified here.
  await page.locator(`li.meeting[data-meeting="${meeting}"] a`, { hasText: 'Agenda' }).click();
  await page.waitForFunction(() => document.querySelector('textarea.doc-text')?.value.startsWith('# Agenda'), null, { timeout: TIMEOUT_MS });
  await page.fill('textarea.doc-text', `${await valueOf(page, 'textarea.doc-text')}AGENDA-FROM-BROWSER\n`);
  await save(page, 0, 1);
  say('agenda-written');
  await hear('agenda-replied');
  await waitText(page, 'textarea.doc-text', 'REPLY-FROM-CLI');
  await waitText(page, '.doc-status', 'Version 2, written by your partner');
  await page.click('.doc-history summary');
  await page.waitForSelector('.history li.version:nth-child(2)', { timeout: TIMEOUT_MS });
  await photograph(page, 'agenda');
  say('agenda-read');

  // Two edits of version 2: the page keeps this text, shows the mentor's, and saves this one after it.
  await page.fill('textarea.doc-text', 'MY-DRAFT-IN-BROWSER\n');
  say('agenda-draft');
  await hear('agenda-v3');
  await waitText(page, '.doc-status', 'Your partner saved a newer version');
  await page.locator('.document button', { hasText: /^Save$/ }).click();
  await page.waitForSelector('.conflict:not([hidden]) pre.theirs', { timeout: TIMEOUT_MS });
  await waitText(page, '.conflict pre.theirs', 'THIRD-FROM-CLI');
  if ((await valueOf(page, 'textarea.doc-text')) !== 'MY-DRAFT-IN-BROWSER\n') throw new Error('the draft was lost in the conflict');
  await waitText(page, '.doc-alert', 'Your text is still here');
  await photograph(page, 'agenda-conflict');
  await page.locator('.conflict button', { hasText: 'Save my text as the newest version' }).click();
  await waitText(page, '.doc-status', 'Saved as version 4.');
  say('agenda-resolved');

  // The contract from the programme's template, signed here; then by the mentor on the CLI.
  await openTab(page, pair, 'contract');
  await waitText(page, 'textarea.doc-text', 'Between Maria (mentor) and Tom (mentee), in the programme Graduates.');
  await page.fill('textarea.doc-text', `${await valueOf(page, 'textarea.doc-text')}\nCONTRACT-FROM-BROWSER\n`);
  await save(page, 0, 1);
  await page.locator('.signatures button', { hasText: 'Sign version 1' }).click();
  await waitText(page, '.signatures', 'Signed by one of you.');
  say('contract-signed');
  await hear('contract-cli-signed');
  await waitText(page, '.signatures', 'Signed by both of you.');
  if ((await page.$$('.signatures li.signed')).length !== 2) throw new Error('both signatures should show as verified');
  await photograph(page, 'contract');
  say('contract-both');

  // The meeting: started here, joined from the CLI, a message in its chat, held, ended here.
  await openTab(page, pair, 'meetings');
  await page.locator(`li.meeting[data-meeting="${meeting}"] button`, { hasText: /^Start$/ }).click();
  await page.waitForSelector('.room .room-agenda textarea.doc-text', { timeout: TIMEOUT_MS });
  say('started');
  await hear('joined');
  await page.fill('.room-chat textarea', 'CHAT-DURING-MEETING');
  await page.locator('.room-chat button', { hasText: 'Send' }).click();
  await waitText(page, '.room-chat li.mine', 'CHAT-DURING-MEETING');
  await waitText(page, '.room-agenda textarea.doc-text', 'MY-DRAFT-IN-BROWSER');
  await photograph(page, 'meeting-room');
  await page.waitForTimeout(HELD_MS);
  await page.locator('.room button', { hasText: 'End meeting' }).click();
  await waitText(page, `li.meeting.ended[data-meeting="${meeting}"]`, '· held ·');
  say('ended');

  // Feedback both ways.
  await openTab(page, pair, 'feedback');
  await page.waitForFunction(() => document.querySelector('.document textarea.doc-text')?.value.startsWith('# Feedback'), null, { timeout: TIMEOUT_MS });
  await page.fill('.document >> nth=0 >> textarea.doc-text', '# Feedback\nFEEDBACK-FROM-BROWSER\n');
  await save(page, 0, 1);
  say('feedback-written');
  await hear('feedback-cli');
  await openTab(page, pair, 'goals');
  await openTab(page, pair, 'feedback');
  await waitText(page, '.document textarea.doc-text', 'FEEDBACK-FROM-CLI');
  await photograph(page, 'feedback');
  say('feedback-read');

  // Goals and the private reflection (the role-model exercise as its outline).
  await openTab(page, pair, 'goals');
  await page.waitForFunction(() => document.querySelector('textarea.doc-text')?.value.startsWith('# Learning goals'), null, { timeout: TIMEOUT_MS });
  await photograph(page, 'goals');
  await openTab(page, pair, 'reflection');
  await page.waitForFunction(() => document.querySelector('textarea.doc-text')?.value.includes('Three ways I am a good role model'), null, { timeout: TIMEOUT_MS });
  await save(page, 0, 1);
  await photograph(page, 'reflection');

  // The coordinator's report is in the pair's access log, verified here.
  await hear('reported');
  await openTab(page, pair, 'access-log');
  await waitText(page, '[role="status"]', 'every one verified on this device');
  await waitText(page, '.log td', 'report');
  await photograph(page, 'access-log');
  say('access-log');
}

async function hostile(page) {
  await enrol(page);
  say('enrolled');
  const pair = await hear('paired');
  await waitForPair(page, pair);
  await openTab(page, pair, 'goals');
  await waitText(page, 'textarea.doc-text', 'GOALS-V2-GENUINE');
  await waitText(page, '.doc-status', 'Signature and history verified');
  await openTab(page, pair, 'access-log');
  await waitText(page, '[role="status"]', 'every one verified on this device');
  say('verified');

  const tampered = async (tab, step, alertSelector, words) => {
    await hear(step);
    await openTab(page, pair, tab === 'goals' ? 'access-log' : 'goals');
    await openTab(page, pair, tab);
    await waitText(page, alertSelector, words);
    const shown = await page.evaluate(() => [...document.querySelectorAll('textarea, pre, td')].map((e) => (typeof e.value === 'string' ? e.value : e.textContent)).join('\n'));
    if (shown.includes('GOALS-V2-GENUINE')) throw new Error(`after "${step}" the page still shows the tampered text as genuine`);
  };
  await tampered('goals', 'flipped', '.doc-alert [class~="tampered"]', 'does not verify');
  await photograph(page, 'hostile-flipped');
  say('warned-flipped');
  await tampered('goals', 'rolled-back', '.doc-alert [class~="tampered"]', 'rolled the document back');
  say('warned-rolled-back');
  await tampered('access-log', 'log-edited', '[role="alert"] .tampered', 'does not verify');
  if ((await page.$$('.log table')).length !== 0) throw new Error('entries of a log that does not verify are shown');
  await photograph(page, 'hostile-access-log');
  say('warned-log');
  await tampered('reflection', 'swapped', '.doc-alert [class~="tampered"]', 'another document than the one asked for');
  if ((await page.$eval('textarea.doc-text', (e) => e.value)).includes('GOALS')) throw new Error('the goals were shown as the reflection');
  say('warned-swapped');
}

// Both members in the browser, each in a context of its own (its own IndexedDB and keys).
async function two(tom, maria) {
  await enrol(tom);
  await enrol(maria, mentorInviteCode);
  say('enrolled');
  const pair = await hear('paired');
  await waitForPair(tom, pair);
  await waitForPair(maria, pair);

  await openTab(tom, pair, 'meetings');
  await tom.click('form.schedule button[type="submit"]');
  const meeting = await (await tom.waitForSelector('li.meeting.scheduled', { timeout: TIMEOUT_MS })).getAttribute('data-meeting');

  // The agenda: written by the mentee, read and continued by the mentor, read back.
  await tom.locator(`li.meeting[data-meeting="${meeting}"] a`, { hasText: 'Agenda' }).click();
  await tom.waitForFunction(() => document.querySelector('textarea.doc-text')?.value.startsWith('# Agenda'), null, { timeout: TIMEOUT_MS });
  await tom.fill('textarea.doc-text', 'AGENDA-TOM\n');
  await save(tom, 0, 1);
  await openTab(maria, pair, 'agenda');
  await waitText(maria, 'textarea.doc-text', 'AGENDA-TOM');
  await waitText(maria, '.doc-status', 'Version 1, written by your partner');
  await maria.fill('textarea.doc-text', 'AGENDA-TOM\nREPLY-MARIA\n');
  await save(maria, 0, 2);
  await waitText(tom, 'textarea.doc-text', 'REPLY-MARIA');

  // The contract: drafted and signed by the mentee, signed by the mentor; both see both signatures verify.
  await openTab(tom, pair, 'contract');
  await waitText(tom, 'textarea.doc-text', 'Between Maria (mentor) and Tom (mentee)');
  await save(tom, 0, 1);
  await tom.locator('.signatures button', { hasText: 'Sign version 1' }).click();
  await waitText(tom, '.signatures', 'Signed by one of you.');
  await openTab(maria, pair, 'contract');
  await waitText(maria, 'textarea.doc-text', 'Between Maria (mentor) and Tom (mentee)');
  await maria.locator('.signatures button', { hasText: 'Sign version 1' }).click();
  await waitText(maria, '.signatures', 'Signed by both of you.');
  await waitText(tom, '.signatures', 'Signed by both of you.');
  for (const page of [tom, maria]) {
    if ((await page.$$('.signatures li.signed')).length !== 2) throw new Error('both signatures should show as verified to both');
  }

  // The meeting: started by the mentee, joined by the mentor, chat in the room, ended by the mentor.
  await openTab(tom, pair, 'meetings');
  await tom.locator(`li.meeting[data-meeting="${meeting}"] button`, { hasText: /^Start$/ }).click();
  await tom.waitForSelector('.room', { timeout: TIMEOUT_MS });
  await openTab(maria, pair, 'meetings');
  await maria.locator(`li.meeting.started[data-meeting="${meeting}"] button`, { hasText: 'Join' }).click();
  await maria.waitForSelector('.room .room-chat', { timeout: TIMEOUT_MS });
  await tom.fill('.room-chat textarea', 'CHAT-IN-ROOM');
  await tom.locator('.room-chat button', { hasText: 'Send' }).click();
  await waitText(maria, '.room-chat li.theirs', 'CHAT-IN-ROOM');
  await waitText(maria, '.room-agenda textarea.doc-text', 'REPLY-MARIA');
  await maria.locator('.room button', { hasText: 'End meeting' }).click();
  await tom.waitForSelector(`li.meeting.ended[data-meeting="${meeting}"]`, { timeout: TIMEOUT_MS });

  // Feedback both ways; each reads the other's.
  for (const [page, text] of [[tom, 'FEEDBACK-TOM'], [maria, 'FEEDBACK-MARIA']]) {
    await openTab(page, pair, 'feedback');
    await page.waitForFunction(() => document.querySelector('.document textarea.doc-text')?.value.startsWith('# Feedback'), null, { timeout: TIMEOUT_MS });
    await page.fill('.document >> nth=0 >> textarea.doc-text', `${text}\n`);
    await save(page, 0, 1);
  }
  for (const [page, other] of [[tom, 'FEEDBACK-MARIA'], [maria, 'FEEDBACK-TOM']]) {
    await openTab(page, pair, 'goals');
    await openTab(page, pair, 'feedback');
    await waitText(page, '.document textarea.doc-text', other);
  }
  // Text typed and not saved survives a reload: it is kept, sealed, in the device state.
  await openTab(tom, pair, 'goals');
  await tom.waitForFunction(() => document.querySelector('textarea.doc-text')?.value.startsWith('# Learning goals'), null, { timeout: TIMEOUT_MS });
  await tom.fill('textarea.doc-text', 'UNSAVED-GOALS\n');
  await waitText(tom, '.draft-note', 'Not saved yet: your text is kept on this device');
  await tom.reload();
  await unlock(tom);
  await openTab(tom, pair, 'goals');
  await waitText(tom, 'textarea.doc-text', 'UNSAVED-GOALS');
  say(`cycle ${meeting}`);
}

const { browser, context } = await launch(artifacts);
const pages = [];
try {
  pages.push(watch(await context.newPage(), 'mentee'));
  if (scenario === 'journey') await journey(pages[0]);
  else if (scenario === 'hostile') await hostile(pages[0]);
  else if (scenario === 'two') {
    const other = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    pages.push(watch(await other.newPage(), 'mentor'));
    await two(pages[0], pages[1]);
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
  if (problems.length > 0) throw new Error(`the page reported: ${problems.join(' | ')}`);
  say('done');
} catch (e) {
  // What each page showed when it failed, for the test's log.
  process.stderr.write(`page problems: ${problems.join(' | ')}\n`);
  for (const page of pages) process.stderr.write(`--- ${page.url()}\n${await page.evaluate(() => document.body.innerText).catch(() => '')}\n`);
  throw e;
} finally {
  finish();
  await browser.close();
}
