#!/usr/bin/env node
// npm run build (and npm start): builds the SvelteKit app (vite build, into build/) and bundles the
// Node entry (scripts/build-server.js, into dist/), with a quiet report. Vite's progress, its file
// sizes and SvelteKit's hint to run `npm run preview` (this project has none: `npm run serve`)
// are kept back; warnings are shown, except SvelteKit's own empty env chunk, which it always
// makes. If the build fails, everything it printed is shown.
//
//   node scripts/build.js            the quiet build
//   node scripts/build.js --verbose  everything Vite prints, as it prints it
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const env = { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' };

/** Lines every build prints that say nothing is wrong. */
const EXPECTED_WARNINGS = [/^Generated an empty chunk: "chunks\/env\.js"\.?$/];

function run(script, args) {
  return spawnSync(process.execPath, [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: verbose ? 'inherit' : 'pipe'
  });
}

const started = Date.now();
process.stdout.write('Building Roundtable… ');
for (const [script, args] of [
  ['node_modules/vite/bin/vite.js', ['build']],
  ['scripts/build-server.js', []]
]) {
  const result = run(script, args);
  if (result.error || result.status !== 0) {
    process.stdout.write('failed.\n\n');
    if (!verbose) process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    if (result.error) console.error(result.error.message);
    process.exit(result.status || 1);
  }
  const warnings = (result.stderr ?? '').split('\n').filter((line) => line.trim() && !EXPECTED_WARNINGS.some((re) => re.test(line.trim())));
  if (warnings.length) process.stdout.write(`\n${warnings.join('\n')}\n`);
}
process.stdout.write(`done in ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
