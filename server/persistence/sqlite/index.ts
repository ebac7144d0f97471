// The embedded store: one SQLite file through better-sqlite3. WAL, a busy timeout, numbered
// migrations, prepared statements with named parameters, and transactions around multi-row writes.
// Two connections: `db` (synchronous = FULL) for everything but the board log, and `log` for the
// board log and compaction, whose commits are made durable by one fdatasync off the event loop
// (wal-sync.ts). Checkpoints run on a worker thread (checkpointer.ts). The nouns of the contract
// are built in board-log.ts, records.ts, votes.ts, keypoints.ts, glossary.ts, present.ts, outcomes.ts, forums.ts, involvement.ts and meetings.ts.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';
import { walSync } from './wal-sync';
import { startCheckpointer } from './checkpointer';
import { firstSnapshotWriter, sqliteBoardLog } from './board-log';
import { sqliteRecords } from './records';
import { closedVoteWriter, sqliteVotes } from './votes';
import { agreedVersionWriter, closedConsentWriter, sqliteKeyPoints } from './keypoints';
import { sqlitePresentLinks } from './present';
import { glossaryWriter, sqliteGlossary } from './glossary';
import { sqliteOutcomes } from './outcomes';
import { sqliteForums } from './forums';
import { sqliteInvolvement } from './involvement';
import { sqliteMeetings } from './meetings';
import type { Store, StoreLogger } from '../types';

export type Synchronous = 'FULL' | 'NORMAL';

export interface SqliteOptions {
  /** FULL (default) survives power loss; NORMAL survives a crashed process only. See docs/ARCHITECTURE.md. */
  synchronous?: Synchronous;
  /** Where warnings go (the server's logger); defaults to the console. */
  logger?: StoreLogger;
}

const consoleLogger: StoreLogger = {
  warn: (details, message) => console.warn(`Roundtable: ${message}`, details),
  error: (details, message) => console.error(`Roundtable: ${message}`, details)
};

export function databasePath(dataDir: string): string {
  return path.join(dataDir, 'roundtable.sqlite');
}

function configure(db: Database.Database, synchronous: Synchronous): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten, not just unlinked from the b-tree (privacy: deletion is real).
  db.pragma('secure_delete = ON');
  // Checkpoints run on a worker thread (see checkpointer.ts), not inside commits.
  db.pragma('wal_autocheckpoint = 0');
}

export function openSqliteStore(file: string, options: SqliteOptions = {}): Store {
  const synchronous = options.synchronous ?? 'FULL';
  const logger = options.logger ?? consoleLogger;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  configure(db, synchronous);
  migrate(db);
  // The board log's own connection (see wal-sync.ts). It only appends updates and card authors,
  // compacts, and writes ballots (votes.ts).
  const log = new Database(file);
  configure(log, 'NORMAL');
  const wal = walSync(`${file}-wal`, synchronous === 'FULL');
  const checkpointer = startCheckpointer(
    file,
    logger,
    () => {
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
      if (log.open) log.pragma('wal_autocheckpoint = 1000');
    },
    () => {
      if (log.open) log.pragma('wal_checkpoint(PASSIVE)');
    }
  );
  const ping = db.prepare('SELECT 1');
  let closed = false;

  // Commits on the log connection: counted for durable() and for the background checkpoints.
  const committed = () => {
    wal.committed();
    checkpointer.committed();
  };

  return {
    boards: sqliteBoardLog(db, log, committed, wal),
    ...sqliteRecords(db, {
      firstSnapshot: firstSnapshotWriter(db),
      closedVote: closedVoteWriter(db),
      agreedVersion: agreedVersionWriter(db),
      closedConsent: closedConsentWriter(db),
      glossaryEntry: glossaryWriter(db)
    }),
    votes: sqliteVotes(db, log, committed, wal),
    ...sqliteKeyPoints(db),
    ...sqlitePresentLinks(db),
    ...sqliteGlossary(db),
    outcomes: sqliteOutcomes(db),
    ...sqliteForums(db),
    ...sqliteInvolvement(db),
    ...sqliteMeetings(db),
    async ping() {
      if (wal.broken) throw wal.broken;
      ping.get();
    },
    checkpoint: () =>
      // This checkpoint is what removes deleted content from the log (privacy). It needs the
      // checkpoint lock, so it waits for a background checkpoint in progress to end.
      new Promise<void>((resolve, reject) => {
        checkpointer.whenIdle(() => {
          try {
            const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
            if (r?.busy) throw new Error('could not empty the write-ahead log: the database is busy');
            resolve();
          } catch (err) {
            reject(err);
          }
        });
      }),
    async backup(target) {
      await db.backup(target);
    },
    async close() {
      if (closed) return;
      closed = true;
      checkpointer.close();
      wal.close();
      if (log.open) log.close();
      if (db.open) db.close();
    }
  };
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`The database is from a newer Roundtable (schema ${current}, this build knows ${MIGRATIONS.length}).`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
