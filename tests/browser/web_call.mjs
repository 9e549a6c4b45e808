// Calls in the web app: two members, each in a headless Chromium context with a fake camera and
// microphone, against the real server over TLS; signalling only through their ratchet. Called by
// tests/integration/web_call_test.cpp, which owns the server, the coturn relay and the CLI homes.
//   args:   APP_URL MENTEE_INVITE MENTOR_INVITE ARTIFACTS_DIR
//   stdout: one line per step done; stdin: a line from the test before each step that needs it.
// Every wait is for a condition with a timeout; measured windows (≥ 5 s of media, the minute a
// meeting needs to count as held) are waits for the clock, sampled, never sleeps for order.
import { WAIT_MS, enrol as enrolInPage, expectLine as hear, finish, photograph as photographIn, problems, say, watch } from './app_page.mjs';
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';

const [appUrl, menteeInvite, mentorInvite, artifacts] = process.argv.slice(2);
const TIMEOUT_MS = WAIT_MS;
/** How long media must be seen to flow on both sides. */
const MEDIA_WINDOW_MS = 5000;
/** A meeting counts as held after the programme's minimum with both present (one minute here). */
const HELD_MS = 61000;
/** What a fake camera sends in the tests: small, to spare the two CPU cores. */
const TEST_VIDEO = { width: { exact: 320 }, height: { exact: 180 }, frameRate: { max: 15 } };

async function launchCalling() {
  await mkdir(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.MENTORLINK_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

async function newMember(browser, name) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  await context.grantPermissions(['camera', 'microphone']);
  // The test hooks (call_session.js): read by the page when a call starts; changed between calls.
  await context.addInitScript((video) => { globalThis.mentorlinkCallHooks = { video }; }, TEST_VIDEO);
  return watch(await context.newPage(), name);
}

async function enrol(page, code) {
  let published;
  const keysOnServer = new Promise((resolve) => { published = resolve; });
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    if (typeof f.payload === 'string' && f.payload.includes('"one_time_prekeys"')) published();
  }));
  await page.goto(`${appUrl}#invite=${code}`, { waitUntil: 'networkidle' });
  await enrolInPage(page);
  await keysOnServer;
}

async function openMeetings(page, pair) {
  await page.evaluate((h) => { location.hash = h; }, `#/pair/${pair}/meetings`);
  await page.waitForSelector(`nav.tabs a[aria-current="page"][href="#/pair/${pair}/meetings"]`, { timeout: TIMEOUT_MS });
}

function setHooks(page, hooks) {
  return page.evaluate((x) => {
    for (const k of ['wrongFingerprint', 'wrongKey', 'tamperFrames', 'relayOnly']) delete globalThis.mentorlinkCallHooks[k];
    Object.assign(globalThis.mentorlinkCallHooks, x);
  }, hooks);
}

async function waitText(page, selector, text) {
  await page.waitForFunction(([s, x]) => [...document.querySelectorAll(s)].some((e) => e.textContent.includes(x)), [selector, text], { timeout: TIMEOUT_MS });
}

function callState(page, state) {
  return page.waitForSelector(`.call[data-state="${state}"]`, { timeout: TIMEOUT_MS });
}

// The page's call's statistics, summed by kind: {video: {bytes, frames}, audio: {bytes, energy, level}, pair}.
function media(page) {
  return page.evaluate(async () => {
    const reports = await globalThis.mentorlinkCallHooks.call.stats();
    const inbound = (kind) => reports.filter((r) => r.type === 'inbound-rtp' && r.kind === kind);
    const sum = (rs, k) => rs.reduce((n, r) => n + (r[k] ?? 0), 0);
    const pair = reports.find((r) => r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded');
    const local = pair ? reports.find((r) => r.id === pair.localCandidateId) : null;
    return {
      video: { bytes: sum(inbound('video'), 'bytesReceived'), frames: sum(inbound('video'), 'framesDecoded'),
        packets: sum(inbound('video'), 'packetsReceived') },
      audio: { bytes: sum(inbound('audio'), 'bytesReceived'), energy: sum(inbound('audio'), 'totalAudioEnergy'),
        level: sum(inbound('audio'), 'audioLevel') },
      localType: local?.candidateType ?? null,
      sent: reports.filter((r) => r.type === 'outbound-rtp').reduce((n, r) => n + (r.bytesSent ?? 0), 0),
    };
  });
}

// The worker's frame counts {sealed, opened, dropped}, fresh.
function frames(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const call = globalThis.mentorlinkCallHooks.call;
    const off = call.on('frames', (f) => { off(); resolve(f); });
    call.countFrames();
  }));
}

async function until(what, test, ms = TIMEOUT_MS, every = 250) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await test();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

// For at least MEDIA_WINDOW_MS, each sample of both sides' inbound video bytes and decoded frames
// and audio bytes is above the one before.
async function mediaGrows(pages) {
  let before = await Promise.all(pages.map(media));
  const start = Date.now();
  let samples = 0;
  while (Date.now() - start < MEDIA_WINDOW_MS || samples < 5) {
    await until('the next second of media', async () => Date.now() - start >= (samples + 1) * 1000, 5000, 100);
    const now = await Promise.all(pages.map(media));
    now.forEach((n, i) => {
      const b = before[i];
      if (!(n.video.bytes > b.video.bytes && n.video.frames > b.video.frames && n.audio.bytes > b.audio.bytes)) {
        throw new Error(`media stopped growing on side ${i}: ${JSON.stringify(b)} → ${JSON.stringify(n)}`);
      }
    });
    before = now;
    samples += 1;
  }
  return before;
}

// The audio energy the listener receives over a second.
async function energyOverASecond(listener) {
  const a = (await media(listener)).audio.energy;
  const t = Date.now();
  await until('a second of audio', async () => Date.now() - t >= 1000, 5000, 100);
  return (await media(listener)).audio.energy - a;
}

// Tom joins the meeting Maria started: returns ms from Tom's click to Tom's first decoded frame.
async function joinAndConnect(tom, maria) {
  const clicked = Date.now();
  await tom.locator('.room button.join-call').click();
  await callState(tom, 'connected');
  await callState(maria, 'connected');
  await until('a first decoded frame', async () => (await media(tom)).video.frames > 0, TIMEOUT_MS, 20);
  return Date.now() - clicked;
}

// The mentor starts a meeting now (and its call): its id.
async function startByMaria(maria) {
  await maria.getByRole('button', { name: 'Start a meeting now' }).click();
  const item = await maria.waitForSelector('li.meeting.started', { timeout: TIMEOUT_MS });
  await maria.waitForSelector('.call[data-state="waiting"], .call[data-state="connecting"]', { timeout: TIMEOUT_MS });
  return item.getAttribute('data-meeting');
}

async function hangUpBoth(tom, maria) {
  await tom.locator('.call button.hang-up').click();
  await callState(tom, 'ended');
  await callState(maria, 'ended');
}

// The ICE username fragments of the page's call (both ends'), as canaries for the server's store.
function canaries(page) {
  return page.evaluate(() => {
    const pc = globalThis.mentorlinkCallHooks.call.pc;
    const ufrag = (sdp) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1] ?? '';
    const address = /a=candidate:\S+ \d+ \S+ \d+ (\S+) /.exec(pc.localDescription?.sdp ?? '')?.[1] ?? '';
    return [ufrag(pc.localDescription?.sdp), ufrag(pc.remoteDescription?.sdp), address].filter((x) => x.length >= 4);
  });
}

async function run(browser) {
  const tom = await newMember(browser, 'mentee');
  const maria = await newMember(browser, 'mentor');
  await enrol(tom, menteeInvite);
  await enrol(maria, mentorInvite);
  say('enrolled');
  const pair = await hear('paired');
  for (const page of [tom, maria]) {
    await page.waitForSelector(`li.pair[data-pair="${pair}"]`, { timeout: TIMEOUT_MS });
    await openMeetings(page, pair);
  }

  // The call: started by the mentor, joined by the mentee; media both ways, sealed and opened.
  const meeting = await startByMaria(maria);
  await tom.waitForSelector(`li.meeting.started[data-meeting="${meeting}"]`, { timeout: TIMEOUT_MS });
  const joinedAt = Date.now();
  const toFirstFrame = await joinAndConnect(tom, maria);
  await mediaGrows([tom, maria]);
  for (const page of [tom, maria]) {
    const f = await frames(page);
    // A handful may be dropped while the call settles (at the start); never a share of them.
    if (!(f.sealed > 100 && f.opened > 100 && f.dropped <= Math.max(5, f.opened / 100))) throw new Error(`frame counts ${JSON.stringify(f)}`);
    await page.waitForSelector('.call-quality[data-level]', { timeout: TIMEOUT_MS });
  }
  const seen = [...await canaries(tom), ...await canaries(maria)];
  // Mute: the mentor then hears no energy from the mentee; unmuted, it comes back.
  if (!((await energyOverASecond(maria)) > 0)) throw new Error('no audio energy before muting');
  await tom.locator('.call button.mute').click();
  await until('silence after mute', async () => (await energyOverASecond(maria)) < 1e-6);
  await tom.locator('.call button.mute').click();
  await until('sound after unmute', async () => (await energyOverASecond(maria)) > 1e-6);
  // Camera off and on, and the labels that go with it.
  await tom.locator('.call button.camera').click();
  await tom.waitForSelector('.call button.camera[aria-pressed="true"]', { timeout: TIMEOUT_MS });
  await tom.locator('.call button.camera').click();
  for (const page of [tom, maria]) await photographIn(page, artifacts, `call-${page === tom ? 'mentee' : 'mentor'}`);
  // Held: both in the call for the programme's minute, then the mentee hangs up: both calls end.
  await until('a minute in the call', async () => Date.now() - joinedAt >= HELD_MS, HELD_MS + 10000, 500);
  const hungUpAt = Date.now();
  await hangUpBoth(tom, maria);
  await maria.waitForSelector('.call-status', { timeout: TIMEOUT_MS });
  const mariaSays = await maria.$eval('.call-status', (e) => e.textContent);
  if (!mariaSays.includes('Tom hung up')) throw new Error(`the mentor's page says "${mariaSays}" after the hang-up`);
  await maria.locator('.room button', { hasText: 'End meeting' }).click();
  const ended = await maria.waitForSelector(`li.meeting.ended[data-meeting="${meeting}"]`, { timeout: TIMEOUT_MS });
  await waitText(maria, `li.meeting.ended[data-meeting="${meeting}"]`, 'both present for');
  if ((await ended.textContent()).includes('not held')) throw new Error(`the meeting was not held: ${await ended.textContent()}`);
  say(`held ${meeting} ${hungUpAt - joinedAt} ${await ended.getAttribute('data-both-present-ms')} ${toFirstFrame}`);
  await hear('checked');

  // A second meeting for the attacks: each a new call (new keys) in it.
  const second = await startByMaria(maria);
  await tom.waitForSelector(`li.meeting.started[data-meeting="${second}"]`, { timeout: TIMEOUT_MS });

  // 1. The mentee's signal names a certificate its connection does not use: the mentor refuses.
  await setHooks(tom, { wrongFingerprint: true });
  await tom.locator('.room button.join-call').click();
  await callState(maria, 'refused');
  await maria.waitForSelector('.call-alert .warning', { timeout: TIMEOUT_MS });
  const warning = await maria.$eval('.call-alert', (e) => e.textContent);
  if (!warning.includes('certificate does not match')) throw new Error(`the mismatch warning reads "${warning}"`);
  await callState(tom, 'ended');
  await photographIn(maria, artifacts, 'call-refused');

  // 2. A wrong frame key: the mentor receives the mentee's packets and decodes none of them.
  // 3. Tampered frames: the same, every frame dropped; the mentee decodes the mentor's.
  for (const hooks of [{ wrongKey: true }, { tamperFrames: true }]) {
    await setHooks(tom, hooks);
    await maria.locator('.room button.join-call').click();
    await maria.waitForSelector('.call[data-state="waiting"], .call[data-state="connecting"], .call[data-state="connected"]', { timeout: TIMEOUT_MS });
    await tom.locator('.room button.join-call').click();
    await callState(tom, 'connected');
    await callState(maria, 'connected');
    await until('the mentee decodes the mentor', async () => (await media(tom)).video.frames > 10);
    await until('the mentor receives packets', async () => (await media(maria)).video.packets > 50);
    const m = await media(maria);
    const f = await frames(maria);
    if (m.video.frames !== 0 || f.opened !== 0 || !(f.dropped > 0)) {
      throw new Error(`${JSON.stringify(hooks)}: the mentor decoded ${m.video.frames} frames, opened ${f.opened}, dropped ${f.dropped}`);
    }
    await hangUpBoth(tom, maria);
  }
  await setHooks(tom, {});

  // 4. Through the relay only (coturn, credentials from the server), then the relay restarts: the
  // call reconnects by an ICE restart.
  await setHooks(tom, { relayOnly: true });
  await setHooks(maria, { relayOnly: true });
  await maria.locator('.room button.join-call').click();
  await maria.waitForSelector('.call[data-state="waiting"], .call[data-state="connecting"], .call[data-state="connected"]', { timeout: TIMEOUT_MS });
  await tom.locator('.room button.join-call').click();
  await callState(tom, 'connected');
  await callState(maria, 'connected');
  await until('relayed media', async () => (await media(tom)).video.frames > 10 && (await media(maria)).video.frames > 10);
  for (const page of [tom, maria]) {
    const m = await media(page);
    if (m.localType !== 'relay') throw new Error(`the call is not relayed: local candidate ${m.localType}`);
  }
  seen.push(...await canaries(tom), ...await canaries(maria));
  say('relayed');
  await hear('relay-restarted');
  await callState(tom, 'reconnecting').catch(() => null);
  await until('the call back after the relay restarted', async () => {
    const state = await tom.$eval('.call', (e) => e.dataset.state);
    return state === 'connected' && (await maria.$eval('.call', (e) => e.dataset.state)) === 'connected';
  });
  const back = [await media(tom), await media(maria)];
  await until('media after the ICE restart', async () => {
    const now = [await media(tom), await media(maria)];
    return now.every((n, i) => n.video.frames > back[i].video.frames + 10);
  });
  await hangUpBoth(tom, maria);
  await setHooks(tom, {});
  await setHooks(maria, {});
  say(`canaries ${[...new Set(seen)].join(' ')}`);
}

const browser = await launchCalling();
try {
  await run(browser);
  const serious = problems.filter((p) => !p.includes('WebSocket'));
  if (serious.length > 0) throw new Error(`the page reported: ${serious.join(' | ')}`);
  say('done');
} catch (e) {
  process.stderr.write(`page problems: ${problems.join(' | ')}\n`);
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      process.stderr.write(`--- ${page.url()}\n${await page.evaluate(() => document.body.innerText).catch(() => '')}\n`);
      // The call's statistics and frame counts, when there is one.
      process.stderr.write(`stats: ${JSON.stringify(await media(page).catch(() => null))} frames: ${JSON.stringify(await frames(page).catch(() => null))}\n`);
      const inbound = await page.evaluate(async () => (await globalThis.mentorlinkCallHooks.call.stats()).filter((r) => r.type === 'inbound-rtp')).catch(() => null);
      process.stderr.write(`inbound: ${JSON.stringify(inbound)}\n`);
    }
  }
  throw e;
} finally {
  finish();
  await browser.close();
}
