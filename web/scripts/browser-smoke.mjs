// Loads dist/app.js in headless Chromium under the strict Content-Security-Policy the server is
// to send (no inline script, no eval, 'wasm-unsafe-eval' for libsodium's WebAssembly, Trusted
// Types) and fails unless the page's self-test reports the protocol ready.
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; "
  + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
  + "require-trusted-types-for 'script'; trusted-types mentorlink-call-worker";
const page = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mentorlink</title>'
  + '<script type="module" src="app.js"></script></head><body><p id="status">loading</p></body></html>';
// An optional argument names the bundle to load (ctest passes the one the server compiles in).
const app = await readFile(process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist', 'app.js'));

const server = createServer((req, res) => {
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (req.url === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(page);
  else if (req.url === '/app.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' }).end(app);
  else res.writeHead(404, headers).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
execFile(chromium, ['--headless=new', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=10000', '--dump-dom', url],
  { timeout: 60000 }, (error, stdout, stderr) => {
    server.close();
    const match = /<p id="status"[^>]*>([^<]*)<\/p>/.exec(stdout);
    const status = match ? match[1] : '(no status)';
    console.log(`browser says: ${status}`);
    if (error || !status.startsWith('mentorlink web: protocol 2 ready')) {
      if (error) console.error(String(stderr).split('\n').slice(-5).join('\n'));
      process.exit(1);
    }
  });
