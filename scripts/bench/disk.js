// How fast this machine's disk confirms a write-ahead-log sync, measured the way the server uses
// it: SQLite in WAL mode committing small rows about once a millisecond (automatic checkpoints
// off, as the server runs them on a worker thread), with one fdatasync of the log at a time on
// the thread pool (group commit). Every relayed edit waits for one such sync, so the tail of this
// distribution is a floor under the server's edit-to-peer tail at light load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Histogram } from './lib.js';

export async function probeDisk(seconds) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-disk-probe-'));
  const file = path.join(dir, 'probe.sqlite');
  let db = null;
  let fd = null;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)');
    const insert = db.prepare('INSERT INTO t (data) VALUES (?)');
    const row = Buffer.alloc(300, 7);
    fd = fs.openSync(`${file}-wal`, 'r+');
    const syncs = new Histogram();
    let commits = 0;
    let syncing = false;
    const end = performance.now() + seconds * 1000;
    await new Promise((resolve, reject) => {
      let finishing = false;
      const deadline = setTimeout(() => finish(new Error('a sync took more than 10 s')), seconds * 1000 + 10_000);
      const timer = setInterval(() => {
        try {
          if (finishing) return;
          if (performance.now() > end) {
            finishing = true;
            if (!syncing) finish();
            return;
          }
          insert.run(row);
          commits++;
          if (syncing) return;
          syncing = true;
          const start = performance.now();
          fs.fdatasync(fd, (err) => {
            syncing = false;
            if (err) return finish(err);
            syncs.add((performance.now() - start) * 1000);
            if (finishing) finish();
          });
        } catch (err) {
          finish(err);
        }
      }, 1);
      function finish(err) {
        clearInterval(timer);
        clearTimeout(deadline);
        if (err) reject(err);
        else resolve();
      }
    });
    const ms = (q) => Math.round(syncs.quantile(q) / 10) / 100;
    return { commitsPerSec: Math.round(commits / seconds), fdatasyncMs: { p50: ms(0.5), p99: ms(0.99), max: ms(1), count: syncs.count } };
  } finally {
    if (fd !== null) fs.closeSync(fd);
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
