// What every Postgres noun shares: a pool of connections, prepared statements named after their
// text (pg prepares each once per connection), transactions on one pooled connection, and an
// advisory lock per key held until the transaction ends.
import crypto from 'node:crypto';
import pg from 'pg';

/** A connection or the pool itself: a statement runs on either. */
export type Queryable = pg.Pool | pg.PoolClient;

// Ids and times are BIGINT (ms since the epoch outgrow 32 bits); pg hands BIGINT back as a string
// so nothing above 2^53 is rounded. Ours stay far below that, so they come back as numbers.
const INT8 = 20;
const asNumber = (v: string): number => Number(v);
export const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === INT8 && format !== 'binary' ? asNumber : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser
};

export interface Statement<R> {
  (db: Queryable, values?: unknown[]): Promise<pg.QueryResult<R & pg.QueryResultRow>>;
  readonly text: string;
}

/** A prepared statement: its name is a hash of its text, so the same text is prepared once per connection. */
export function sql<R = Record<string, unknown>>(text: string): Statement<R> {
  const name = `rt_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  const run = (db: Queryable, values: unknown[] = []) => db.query<R & pg.QueryResultRow>({ name, text, values });
  return Object.assign(run, { text });
}

/** The first row of a result, or null. */
export async function first<R>(result: Promise<pg.QueryResult<R & pg.QueryResultRow>>): Promise<(R & pg.QueryResultRow) | null> {
  return (await result).rows[0] ?? null;
}

/**
 * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it
 * throws. A connection whose rollback fails (it was cut) is thrown away rather than reused.
 */
export async function transaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Advisory lock namespaces (the first of the two keys), so ours never meet anyone else's. */
export const LOCK = { migrations: 0x52540001, board: 0x52540002, workshop: 0x52540003, recommendation: 0x52540004 } as const;

const lockStatement = sql('SELECT pg_advisory_xact_lock($1::int, hashtext($2))');

/** Holds the lock on `key` in its namespace until the transaction on `client` ends. */
export async function lock(client: pg.PoolClient, namespace: number, key: string): Promise<void> {
  await lockStatement(client, [namespace, key]);
}

/** Postgres's error codes we answer differently. */
export const PG = { foreignKey: '23503', unique: '23505' } as const;
export const codeOf = (err: unknown): string | undefined => (err as { code?: string }).code;

/** A Yjs update as pg sends BYTEA (a Buffer over the same memory, no copy). */
export const bytes = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
