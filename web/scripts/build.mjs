// Builds dist/app.js from src/app/main.js with esbuild, reproducibly: the same sources and lock
// file give the same bytes (no timestamps, no absolute paths, no source maps). Prints the SHA-256
// that the app's footer and `mentorlink-server app-hash` show. Also writes app.js.gz (gzip, level 9,
// no name or time in its header), what the server sends to browsers that accept gzip; the hash is
// always of app.js itself. The call's frame worker is bundled the same way into call_worker.js
// (a worker is a file of its own: served as /app/call_worker.js).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// An optional argument names another output folder (the CMake build writes into the build tree).
const outdir = process.argv[2] ? resolve(process.argv[2]) : join(root, 'dist');
const outfile = join(outdir, 'app.js');

await mkdir(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/app/main.js'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
});
if (result.errors.length > 0) process.exit(1);
const worker = await build({
  absWorkingDir: root,
  entryPoints: ['src/client/call_worker.js'],
  outfile: join(outdir, 'call_worker.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  charset: 'utf8',
  legalComments: 'eof',
  logLevel: 'warning',
});
if (worker.errors.length > 0) process.exit(1);
const bytes = await readFile(outfile);
const sha256 = createHash('sha256').update(bytes).digest('hex');
await writeFile(`${outfile}.sha256`, `${sha256}  app.js\n`);
const gzipped = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
await writeFile(`${outfile}.gz`, gzipped);
console.log(`${outfile} ${bytes.length} bytes (${gzipped.length} gzipped) sha256 ${sha256}`);
