// Builds dist/app.js from src/app/main.js with esbuild, reproducibly: the same sources and lock
// file give the same bytes (no timestamps, no absolute paths, no source maps). Prints the SHA-256
// that the app's footer and `mentorlink-server app-hash` show.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'app.js');

await mkdir(join(root, 'dist'), { recursive: true });
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
const bytes = await readFile(outfile);
const sha256 = createHash('sha256').update(bytes).digest('hex');
await writeFile(`${outfile}.sha256`, `${sha256}  app.js\n`);
console.log(`dist/app.js ${bytes.length} bytes sha256 ${sha256}`);
