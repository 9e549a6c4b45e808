// Builds the bundle twice and fails unless both builds have the same SHA-256 (issue 14: careful
// people check the served app against a build of the same sources).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const hashes = [1, 2].map(() => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'ignore' });
  return createHash('sha256').update(readFileSync(join(root, 'dist', 'app.js'))).digest('hex');
});
if (hashes[0] !== hashes[1]) {
  console.error(`the build is not reproducible: ${hashes[0]} then ${hashes[1]}`);
  process.exit(1);
}
console.log(`reproducible: sha256 ${hashes[0]}`);
