// Bundles the Node entry (server/index.ts and what it imports) into dist/server.js; npm packages
// stay external and load from node_modules. The SQLite checkpoint worker is a file of its own
// (a worker thread runs it), copied next to the bundle, where the store looks for it; so is the
// briefing's PDF worker.
import fs from 'node:fs';
import { build } from 'esbuild';

await build({
  entryPoints: ['server/index.ts'],
  outfile: 'dist/server.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning'
});
fs.copyFileSync('server/persistence/sqlite/checkpoint-worker.cjs', 'dist/checkpoint-worker.cjs');
fs.copyFileSync('server/briefing/pdf-worker.cjs', 'dist/pdf-worker.cjs');
