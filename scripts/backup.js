#!/usr/bin/env node
// npm run backup [-- <file>]: copies the SQLite database safely while the server runs (SQLite's
// online backup API: a consistent snapshot, no need to stop anyone). Default destination:
// <DATA_DIR>/backups/roundtable-<timestamp>.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

// With DATABASE_URL the database is Postgres, whose own tool makes a consistent copy while the
// server runs; this script only knows the SQLite file.
if (process.env.DATABASE_URL?.trim()) {
  console.error('The database is Postgres (DATABASE_URL). Back it up with pg_dump, for example:');
  console.error('  pg_dump --format=custom --file=roundtable.dump "$DATABASE_URL"');
  process.exit(1);
}
const dataDir = path.resolve(process.env.DATA_DIR || './data');
const source = path.join(dataDir, 'roundtable.sqlite');
if (!fs.existsSync(source)) {
  console.error(`No database at ${source}. Set DATA_DIR to the server's data folder.`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = path.resolve(process.argv[2] || path.join(dataDir, 'backups', `roundtable-${stamp}.sqlite`));
fs.mkdirSync(path.dirname(target), { recursive: true });
const db = new Database(source, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
try {
  let last = -1;
  await db.backup(target, {
    progress({ totalPages, remainingPages }) {
      const pct = Math.floor(((totalPages - remainingPages) / Math.max(1, totalPages)) * 100);
      if (pct >= last + 25) {
        process.stdout.write(`  ${pct}%\n`);
        last = pct;
      }
      return 200;
    }
  });
  console.log(`Backup written to ${target} (${fs.statSync(target).size} bytes).`);
} finally {
  db.close();
}
