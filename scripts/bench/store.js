#!/usr/bin/env node
// The store's own costs, without the server around it: an edit's append until it is durable (what
// every relayed edit waits for), appends a second with 8 writers at once (8 boards committing
// together, as 8 server processes' relay queues would on Postgres), and one compaction of a board
// with 500 stored updates. SQLite (a file in the temp folder, SQLITE_SYNCHRONOUS=FULL) always;
// Postgres too when DATABASE_URL is set (its tables go in a schema of their own, dropped after).
//
//   node scripts/bench/store.js [--seconds 5]
//   DATABASE_URL=postgres://user:pw@host/db node scripts/bench/store.js
//
// The store's TypeScript is bundled on the fly with esbuild (as the server's build does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import pg from 'pg';
import * as Y from 'yjs';
import { Histogram } from './lib.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opts } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
const SECONDS = Number(opts.seconds);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-store-bench-'));
// The bundle lives inside the project, so its packages (left external) load from node_modules.
const code = path.join(ROOT, 'node_modules/.cache/roundtable-store-bench');
fs.mkdirSync(code, { recursive: true });
const entry = path.join(code, 'stores.ts');
fs.writeFileSync(
  entry,
  `export { openSqliteStore } from ${JSON.stringify(path.join(ROOT, 'server/persistence/sqlite/index.ts'))};\n` +
    `export { openPostgresStore } from ${JSON.stringify(path.join(ROOT, 'server/persistence/postgres/index.ts'))};\n`
);
const bundle = path.join(code, 'stores.mjs');
await build({
  entryPoints: [entry],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  logLevel: 'warning'
});
// The SQLite store runs its checkpoint worker from beside the code that starts it.
fs.copyFileSync(path.join(ROOT, 'server/persistence/sqlite/checkpoint-worker.cjs'), path.join(code, 'checkpoint-worker.cjs'));
const { openSqliteStore, openPostgresStore } = await import(pathToFileURL(bundle).href);

const quiet = { warn: () => {}, error: () => {} };
const workshop = (id, boards) => ({
  workshop: { id, title: 'Bench', question: 'Q?', code: `C${id.slice(-5).toUpperCase()}`, createdAt: Date.now() },
  boards: Array.from({ length: boards }, (_, i) => ({ id: `${id}-b${i}`, workshopId: id, title: 'Board', position: i })),
  invites: []
});
/** A small edit, as a keystroke or a card is: about 60 bytes. */
function edits(n) {
  const doc = new Y.Doc();
  const out = [];
  doc.on('update', (u) => out.push(u));
  const text = doc.getText('t');
  for (let i = 0; i < n; i++) text.insert(text.length, `word ${i} `);
  return out;
}
const ms = (h, q) => Math.round(h.quantile(q) / 10) / 100;

async function measure(name, store) {
  await store.workshops.create(workshop('wbench', 9));
  const pool = edits(20_000);
  let next = 0;
  // 1. One writer: append, then durable, one edit at a time.
  const one = new Histogram();
  let end = performance.now() + SECONDS * 1000;
  while (performance.now() < end) {
    const t = performance.now();
    await store.boards.append([{ boardId: 'wbench-b0', update: pool[next++ % pool.length] }]);
    await store.boards.durable();
    one.add((performance.now() - t) * 1000);
  }
  // 2. Eight writers at once, each on its own board.
  let done = 0;
  end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (performance.now() < end) {
        await store.boards.append([{ boardId: `wbench-b${w}`, update: pool[next++ % pool.length] }]);
        await store.boards.durable();
        done++;
      }
    })
  );
  // 3. Compaction of a board with 500 stored updates, as COMPACT_EVERY makes it (the best of 5, so a
  // first run's warming up is not counted).
  const doc = new Y.Doc();
  let compactMs = Infinity;
  for (let round = 0; round < 5; round++) {
    const updates = [];
    const take = (u) => updates.push(u);
    doc.on('update', take);
    for (let i = 0; i < 500; i++) doc.getText('t').insert(0, `card words ${round}/${i} `);
    doc.off('update', take);
    await store.boards.append(updates.map((update) => ({ boardId: 'wbench-b8', update })));
    const t = performance.now();
    await store.boards.compact('wbench-b8', Y.encodeStateAsUpdate(doc));
    compactMs = Math.min(compactMs, performance.now() - t);
  }
  return {
    store: name,
    appendDurableMs: { p50: ms(one, 0.5), p99: ms(one, 0.99), count: one.count },
    oneWriterPerSec: Math.round(one.count / SECONDS),
    eightWritersPerSec: Math.round(done / SECONDS),
    compact500Ms: Math.round(compactMs * 10) / 10
  };
}

const results = [];
const sqlite = openSqliteStore(path.join(tmp, 'bench.sqlite'), { logger: quiet });
try {
  results.push(await measure('sqlite (FULL)', sqlite));
} finally {
  await sqlite.close();
}
const url = process.env.DATABASE_URL?.trim();
if (url) {
  const schema = `rt_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const store = await openPostgresStore(url, { schema, logger: quiet });
    try {
      results.push(await measure('postgres', store));
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
} else {
  console.log('(DATABASE_URL is not set: SQLite only)');
}
fs.rmSync(tmp, { recursive: true, force: true });
console.log('store            append+durable p50/p99 ms   1 writer/s   8 writers/s   compact 500 ms');
for (const r of results) {
  console.log(
    `${r.store.padEnd(16)} ${`${r.appendDurableMs.p50} / ${r.appendDurableMs.p99}`.padEnd(27)} ${String(r.oneWriterPerSec).padEnd(12)} ${String(r.eightWritersPerSec).padEnd(13)} ${r.compact500Ms}`
  );
}
console.log(JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, results }));
