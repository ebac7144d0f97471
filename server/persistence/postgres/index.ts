// The Postgres store (DATABASE_URL=postgres://...), for running several server processes on one
// database. A pool of connections, numbered migrations of its own (migrations.ts, applied under an
// advisory lock so processes starting together migrate once), prepared statements, and
// transactions wherever SQLite has one. Every commit is flushed before Postgres answers it
// (synchronous_commit on, the default), so a write is durable when its promise resolves and
// durable() has nothing to wait for. The nouns are built in board-log.ts, records.ts, votes.ts,
// keypoints.ts, glossary.ts, present.ts, outcomes.ts, forums.ts, involvement.ts and meetings.ts.
import { execFile } from 'node:child_process';
import pg from 'pg';
import type { Store, StoreLogger } from '../types';
import { LOCK, sql, transaction, types } from './db';
import { MIGRATIONS } from './migrations';
import { postgresBoardLog, writeFirstSnapshot } from './board-log';
import { postgresRecords } from './records';
import { postgresVotes, writeClosedVote } from './votes';
import { postgresKeyPoints, writeAgreedVersion, writeClosedConsent } from './keypoints';
import { postgresGlossary, writeGlossaryEntry } from './glossary';
import { postgresPresentLinks } from './present';
import { postgresOutcomes } from './outcomes';
import { postgresForums } from './forums';
import { postgresInvolvement } from './involvement';
import { postgresMeetings } from './meetings';

export interface PostgresOptions {
  /** Where warnings go (the server's logger); defaults to the console. */
  logger?: StoreLogger;
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** A schema to keep the tables in instead of the connection's default (tests give each store its own). */
  schema?: string;
}

const consoleLogger: StoreLogger = {
  warn: (details, message) => console.warn(`Roundtable: ${message}`, details),
  error: (details, message) => console.error(`Roundtable: ${message}`, details)
};

/** Where a database URL points, without its password, for messages. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return 'the database in DATABASE_URL';
  }
}

/** A schema name we made ourselves: letters, digits and underscores only, so it can be quoted safely. */
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const logger = options.logger ?? consoleLogger;
  if (options.schema !== undefined && !SCHEMA.test(options.schema)) throw new Error(`not a schema name: ${options.schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    // A database that does not answer fails a request within seconds rather than hanging it.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    types,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
    application_name: 'roundtable'
  });
  // An idle connection cut by a Postgres restart must not take the process down: the pool makes a
  // new one for the next request, and requests meanwhile fail (and are retried) as any would.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'a Postgres connection was lost; it will be replaced'));
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`Could not open the Postgres database at ${describeDatabase(url)}: ${(err as Error).message}`, { cause: err });
  }
  const ping = sql('SELECT 1');
  let closed = false;

  return {
    boards: postgresBoardLog(pool),
    ...postgresRecords(pool, {
      firstSnapshot: writeFirstSnapshot,
      closedVote: writeClosedVote,
      agreedVersion: writeAgreedVersion,
      closedConsent: writeClosedConsent,
      glossaryEntry: writeGlossaryEntry
    }),
    votes: postgresVotes(pool),
    ...postgresKeyPoints(pool),
    ...postgresPresentLinks(pool),
    ...postgresGlossary(pool),
    outcomes: postgresOutcomes(pool),
    ...postgresForums(pool),
    ...postgresInvolvement(pool),
    ...postgresMeetings(pool),
    async ping() {
      await ping(pool);
    },
    // SQLite's checkpoint empties its write-ahead log after a deletion so no deleted words stay in
    // it. Postgres recycles its WAL itself, and VACUUM (autovacuum) reclaims deleted rows; nothing
    // here can make that happen sooner without stalling every writer, so this does nothing.
    checkpoint: async () => undefined,
    // A consistent copy while the server runs is pg_dump's job; this runs it when it is installed.
    backup: (file) => dump(url, options.schema, file),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    }
  };
}

/** Applies the migrations this database has not had, each in its own transaction, under one lock. */
async function migrate(pool: pg.Pool): Promise<void> {
  await transaction(pool, async (c) => {
    // Every process starting at once waits here; the first applies, the others find them applied
    // (the table too: CREATE TABLE IF NOT EXISTS is not safe against another doing the same).
    await c.query('SELECT pg_advisory_xact_lock($1::int, 0)', [LOCK.migrations]);
    await c.query('CREATE TABLE IF NOT EXISTS roundtable_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const applied = (await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM roundtable_migrations')).rows[0].v ?? 0;
    if (applied > MIGRATIONS.length) {
      throw new Error(`The database is from a newer Roundtable (schema ${applied}, this build knows ${MIGRATIONS.length}).`);
    }
    for (let v = applied; v < MIGRATIONS.length; v++) {
      await c.query(MIGRATIONS[v]);
      await c.query('INSERT INTO roundtable_migrations (version, applied_at) VALUES ($1, $2)', [v + 1, Date.now()]);
    }
  });
}

function dump(url: string, schema: string | undefined, file: string): Promise<void> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  // The password goes in the environment, never on a command line anyone on the machine can read.
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  const args = ['--format=custom', `--file=${file}`, ...(schema ? [`--schema=${schema}`] : []), `--dbname=${u.toString()}`];
  return new Promise((resolve, reject) => {
    execFile('pg_dump', args, { env }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(
          new Error('pg_dump is not installed. With Postgres, back up with pg_dump (Debian: sudo apt-get install postgresql-client).')
        );
      }
      reject(new Error(`pg_dump could not back up the database: ${stderr.trim() || err.message}`));
    });
  });
}
