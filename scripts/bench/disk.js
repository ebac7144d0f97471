// How fast this machine's disk confirms a write-ahead-log sync, measured the way the server uses
// it: SQLite in WAL mode committing small rows about once a millisecond, with one fdatasync of the
// log at a time on the thread pool (group commit). Every relayed edit waits for one such sync, so
// the tail of this distribution is a floor under the server's edit-to-peer tail at light load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Histogram } from './lib.js';

export async function probeDisk(seconds) {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundtable-disk-probe-'));
  const file = path.join(dir, 'probe.sqlite');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)');
    const insert = db.prepare('INSERT INTO t (data) VALUES (?)');
    const row = Buffer.alloc(300, 7);
    const fd = fs.openSync(`${file}-wal`, 'r+');
    const syncs = new Histogram();
    let commits = 0;
    let syncing = false;
    const end = performance.now() + seconds * 1000;
    await new Promise((resolve) => {
      const timer = setInterval(() => {
        insert.run(row);
        commits++;
        if (!syncing) {
          syncing = true;
          const start = performance.now();
          fs.fdatasync(fd, () => {
            syncs.add((performance.now() - start) * 1000);
            syncing = false;
          });
        }
        if (performance.now() > end) {
          clearInterval(timer);
          const wait = setInterval(() => {
            if (!syncing) {
              clearInterval(wait);
              resolve();
            }
          }, 1);
        }
      }, 1);
    });
    fs.closeSync(fd);
    const ms = (q) => Math.round(syncs.quantile(q) / 10) / 100;
    return { commitsPerSec: Math.round(commits / seconds), fdatasyncMs: { p50: ms(0.5), p99: ms(0.99), max: ms(1), count: syncs.count } };
  } finally {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
