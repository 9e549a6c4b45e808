// The web app in a real browser (Debian's chromium, headless, driven by playwright-core), served by
// the real server. Called by tests/integration/web_app_test.cpp, which owns the server.
//   args:   APP_URL INVITE_CODE EXPECTED_SHA256
//   stdout: "bytes N" (transferred on the first load of the app), then "done"
// The page must load under the server's own Content-Security-Policy with no violation, run its
// self-test, and show the bundle's hash. Then the browser enrols and logs in over the app's
// WebSocket: the browser sets the Origin header, and the signatures are made by the web client's
// own protocol code (web/src/protocol) over that origin. Any mismatch throws (exit non-zero).
import { chromium } from 'playwright-core';
import { ready } from '../../web/src/protocol/sodium.js';
import { identityFromSeed } from '../../web/src/protocol/keys.js';
import { webEnrollBody, webLoginBody } from '../../web/src/protocol/requests.js';
import { decode } from '../../web/src/protocol/base64url.js';
import { randomBytes } from 'node:crypto';

const [appUrl, inviteCode, expectedHash] = process.argv.slice(2);

// In the page: a WebSocket to this server's /v1; hello; returns the challenge. The socket stays open.
async function openAndHello(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${location.host}/v1`);
    window.socket = ws;
    window.replies = [];
    ws.onmessage = (e) => {
      const frame = JSON.parse(e.data);
      if (frame.id === 1) resolve(frame.body.challenge);
      else if (frame.id !== undefined) window.replies.push(frame);
    };
    ws.onerror = () => reject(new Error('the app could not open its WebSocket'));
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, type: 'hello', body: { version: 2 } }));
  }));
}

// In the page: sends one request on the open socket and returns its response frame.
async function call(page, type, body) {
  return page.evaluate(([t, b]) => new Promise((resolve) => {
    window.socket.send(JSON.stringify({ id: 2, type: t, body: b }));
    const wait = () => (window.replies.length ? resolve(window.replies.shift()) : setTimeout(wait, 10));
    wait();
  }), [type, body]);
}

await ready();
const browser = await chromium.launch({
  executablePath: process.env.MENTORLINK_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  // The test CA is not in the browser's store; the certificate itself is tested elsewhere.
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  let bytes = 0;
  page.on('requestfinished', async (request) => {
    const sizes = await request.sizes();
    bytes += sizes.responseBodySize + sizes.responseHeadersSize;
  });

  const response = await page.goto(appUrl, { waitUntil: 'networkidle' });
  if (!response.ok()) throw new Error(`/app/ answered ${response.status()}`);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('mentorlink web:'),
    null, { timeout: 30000 });
  const status = await page.textContent('#status');
  if (!status.startsWith('mentorlink web: protocol 2 ready')) throw new Error(`the page says "${status}"`);
  const shown = await page.textContent('#app-hash');
  if (shown !== expectedHash) throw new Error(`the footer shows ${shown}, app-hash prints ${expectedHash}`);
  console.log(`bytes ${bytes}`);

  // Enrol, then log in on a new connection, as the app will.
  const origin = await page.evaluate(() => location.origin);
  const identity = identityFromSeed(new Uint8Array(randomBytes(32)));
  const enrolled = await call(page, 'enroll', webEnrollBody(identity, decode(await openAndHello(page)).value, origin, inviteCode));
  if (enrolled.type !== 'result') throw new Error(`web enroll failed: ${JSON.stringify(enrolled)}`);
  await page.reload({ waitUntil: 'networkidle' });
  const login = await call(page, 'login', webLoginBody(identity, decode(await openAndHello(page)).value, origin));
  if (login.type !== 'result') throw new Error(`web login failed: ${JSON.stringify(login)}`);
  const whoami = await call(page, 'whoami', {});
  if (whoami.type !== 'result' || whoami.body.member.id !== enrolled.body.member.id) {
    throw new Error(`whoami after the web login: ${JSON.stringify(whoami)}`);
  }
  if (problems.length > 0) throw new Error(`the page reported: ${problems.join(' | ')}`);
  console.log('done');
} finally {
  await browser.close();
}
