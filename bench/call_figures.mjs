// Figures of a call in the web app (not a test: it measures and prints). Starts the built server
// on loopback, enrols a mentor and a mentee in two separate headless Chromium browsers with fake
// 720p cameras, and measures: the time from clicking "Join the call" to the first decoded frame,
// the CPU each browser (all its processes) uses during the call, and the bytes per second each
// side sends and receives. Writes a Markdown table to OUT (default: stdout only).
//   node bench/call_figures.mjs BUILD_DIR [SECONDS=20] [OUT]
// Needs `npm ci --prefix tests/browser` (playwright-core) and Debian's chromium.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = await import(join(root, 'tests/browser/node_modules/playwright-core/index.mjs'));
const [buildDir, secondsArg, out] = process.argv.slice(2);
if (!buildDir) {
  console.error('usage: node bench/call_figures.mjs BUILD_DIR [SECONDS] [OUT]');
  process.exit(2);
}
const SECONDS = Number(secondsArg ?? 20);
const bin = (name) => join(resolve(buildDir), 'bin', name);
const certs = join(resolve(buildDir), 'test-certs/trusted');
const tmp = mkdtempSync(join(tmpdir(), 'mentorlink-call-figures-'));
const PASSPHRASE = 'a passphrase for the browser';
const VIDEO = { width: { exact: 1280 }, height: { exact: 720 }, frameRate: { ideal: 30 } };
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function cli(args, env = {}) {
  const text = execFileSync(bin('mentorlink'), ['--json', '--home', join(tmp, 'ada'), ...args],
    { env: { ...process.env, MENTORLINK_PASSPHRASE: 'coordinator passphrase', MENTORLINK_KDF_COST: 'minimum', ...env } }).toString();
  return text.trim() ? JSON.parse(text) : null;
}

async function startServer() {
  const server = spawn(bin('mentorlink-server'), ['--port', '0', '--data', join(tmp, 'data'), '--cert', join(certs, 'server.crt'),
    '--key', join(certs, 'server.key'), '--threads', '2'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: server.stdout });
  const port = await new Promise((ok, fail) => {
    lines.on('line', (l) => { const m = /listening on wss:\/\/[^:]+:(\d+)\/v1/.exec(l); if (m) ok(Number(m[1])); });
    server.on('exit', () => fail(new Error('the server did not start')));
  });
  return { server, port };
}

// Process ids of pid and all its descendants.
function tree(pid) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch { /* exited */ }
  }
  const all = [pid];
  for (let i = 0; i < all.length; i += 1) all.push(...(children.get(all[i]) ?? []));
  return all;
}

// CPU seconds used so far by pid's process tree.
function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of tree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime
    } catch { /* exited */ }
  }
  return ticks / TICKS;
}

async function member(code) {
  const server = await chromium.launchServer({ executablePath: process.env.MENTORLINK_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required'] });
  const browser = await chromium.connect(server.wsEndpoint());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  await context.grantPermissions(['camera', 'microphone']);
  await context.addInitScript((video) => { globalThis.mentorlinkCallHooks = { video }; }, VIDEO);
  const page = await context.newPage();
  await page.goto(`${appUrl}#invite=${code}`, { waitUntil: 'networkidle' });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('heading', { name: 'Your pairs' }).waitFor({ timeout: 60000 });
  return { server, browser, page, pid: server.process().pid };
}

const totals = (page) => page.evaluate(async () => {
  const reports = await globalThis.mentorlinkCallHooks.call.stats();
  const sum = (type, key) => reports.filter((r) => r.type === type).reduce((n, r) => n + (r[key] ?? 0), 0);
  const video = reports.find((r) => r.type === 'inbound-rtp' && r.kind === 'video');
  return { sent: sum('outbound-rtp', 'bytesSent'), received: sum('inbound-rtp', 'bytesReceived'),
    frames: video?.framesDecoded ?? 0, size: video ? `${video.frameWidth}×${video.frameHeight}` : '?' };
});

const { server, port } = await startServer();
const appUrl = `https://localhost:${port}/app/`;
const boot = execFileSync(bin('mentorlink-server'), ['bootstrap', '--data', join(tmp, 'data'), '--name', 'Ada']).toString();
cli(['enroll', '--server', `wss://localhost:${port}`, '--ca', join(certs, 'ca.crt')], { MENTORLINK_INVITE: /invite code: ([a-z2-7]+)/.exec(boot)[1] });
const programme = cli(['programme', 'create', '--name', 'Figures']).programme.id;
const invite = (name) => cli(['invite', '--programme', String(programme), '--name', name]).code;
const [tomCode, mariaCode] = [invite('Tom'), invite('Maria')];
const tom = await member(tomCode);
const maria = await member(mariaCode);
const pair = cli(['pair', 'create', '--programme', String(programme), '--mentor', 'Maria', '--mentee', 'Tom']).pair.id;
for (const m of [tom, maria]) {
  await m.page.waitForSelector(`li.pair[data-pair="${pair}"]`, { timeout: 60000 });
  await m.page.evaluate((h) => { location.hash = h; }, `#/pair/${pair}/meetings`);
}
await maria.page.getByRole('button', { name: 'Start a meeting now' }).click();
await maria.page.waitForSelector('.call[data-state="waiting"], .call[data-state="connecting"]', { timeout: 60000 });
await tom.page.waitForSelector('.room button.join-call', { timeout: 60000 });
const clicked = Date.now();
await tom.page.locator('.room button.join-call').click();
await tom.page.waitForFunction(async () => {
  const call = globalThis.mentorlinkCallHooks.call;
  return call && (await call.stats()).some((r) => r.type === 'inbound-rtp' && r.kind === 'video' && r.framesDecoded > 0);
}, null, { timeout: 60000, polling: 10 });
const firstFrameMs = Date.now() - clicked;

// Settle for 5 s (encoders ramp up), then measure SECONDS.
await new Promise((r) => setTimeout(r, 5000));
const before = { tom: await totals(tom.page), maria: await totals(maria.page), cpuTom: cpuSeconds(tom.pid), cpuMaria: cpuSeconds(maria.pid), at: Date.now() };
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const after = { tom: await totals(tom.page), maria: await totals(maria.page), cpuTom: cpuSeconds(tom.pid), cpuMaria: cpuSeconds(maria.pid), at: Date.now() };
const s = (after.at - before.at) / 1000;
const row = (name, a, b, cpuA, cpuB) => `| ${name} | ${Math.round((100 * (cpuB - cpuA)) / s)} % | ${Math.round((b.sent - a.sent) / s / 1000)} kB/s | ${Math.round((b.received - a.received) / s / 1000)} kB/s | ${((b.frames - a.frames) / s).toFixed(1)} | ${b.size} |`;
const text = [
  `# Call figures (bench/call_figures.mjs, ${new Date().toISOString()})`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), shared with other work; Debian's Chromium, headless, fake 1280×720 camera and fake microphone, both browsers on this machine, direct (host) connection over loopback, frames sealed with AES-GCM in the call worker.`,
  '',
  `- Time from clicking "Join the call" (the partner already in the call) to the first decoded video frame: **${firstFrameMs} ms**`,
  `- Measured over ${s.toFixed(1)} s after 5 s of settling:`,
  '',
  '| browser | CPU (100 % = one core) | sent | received | frames decoded / s | received size |',
  '| --- | --- | --- | --- | --- | --- |',
  row('mentee (Tom)', before.tom, after.tom, before.cpuTom, after.cpuTom),
  row('mentor (Maria)', before.maria, after.maria, before.cpuMaria, after.cpuMaria),
  '',
].join('\n');
console.log(text);
if (out) writeFileSync(out, text);
await tom.page.locator('.call button.hang-up').click();
for (const m of [tom, maria]) {
  await m.browser.close();
  await m.server.close();
}
server.kill('SIGTERM');
