// The store contract (tests/contract/store-contract.ts) run against the Postgres store on a real
// Postgres (tests/helpers/postgres.ts), each store in a schema of its own. Then what only Postgres
// does: its migrations table, refusing a newer schema, the append-only timeline in the database
// itself, a clear message for a database it cannot reach, a failing health check once it is gone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { openPostgresStore } from '../../server/persistence/postgres/index';
import { MIGRATIONS } from '../../server/persistence/postgres/migrations';
import { storeContract, workshopFixture } from '../contract/store-contract';
import { testDatabase, type TestDatabase } from '../helpers/postgres';
import { freePort, spawnServer } from '../helpers/process-server';
import { tempDataDir } from '../helpers/server';

let database: Promise<TestDatabase> | null = null;
const db = () => (database ??= testDatabase());

storeContract(
  'postgres',
  async () => {
    const { url, freshSchema } = await db();
    const schema = await freshSchema();
    return { store: await openPostgresStore(url, { schema }), another: () => openPostgresStore(url, { schema }) };
  },
  true
);

describe('postgres database', () => {
  it('records each migration once, and two stores opening at once migrate once', async () => {
    const { url, freshSchema } = await db();
    const schema = await freshSchema();
    const [a, b] = await Promise.all([openPostgresStore(url, { schema }), openPostgresStore(url, { schema })]);
    await a.workshops.create(workshopFixture());
    expect((await b.workshops.get('w1'))?.code).toBe('ABC234');
    await Promise.all([a.close(), b.close()]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT version FROM ${schema}.roundtable_migrations ORDER BY version`);
      expect(rows.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    } finally {
      await client.end();
    }
    const again = await openPostgresStore(url, { schema });
    expect((await again.workshops.get('w1'))?.title).toBe('T');
    await again.close();
  });

  it('[ST66] the database itself refuses to rewrite a timeline entry', async () => {
    const { url, freshSchema } = await db();
    const schema = await freshSchema();
    const store = await openPostgresStore(url, { schema });
    await store.workshops.create(workshopFixture());
    await store.outcomes.create({
      id: 'r1',
      workshopId: 'w1',
      text: 'Pay peer workers',
      addressedTo: 'Head of Probation',
      source: null,
      createdAt: 1,
      createdBy: 'decisionMaker'
    });
    const change = { kind: 'status' as const, status: 'heard' as const, explanation: 'Heard', corrects: null };
    await store.outcomes.append({ recommendationId: 'r1', workshopId: 'w1', at: 10, by: 'decisionMaker', change }, 0);
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await expect(client.query(`UPDATE ${schema}.recommendation_entries SET change = '{}' WHERE seq = 1`)).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });

  it('backs up with pg_dump while open: a dump pg_restore can read, with the tables and the rows', async () => {
    const { url, freshSchema } = await db();
    const schema = await freshSchema();
    const store = await openPostgresStore(url, { schema });
    await store.workshops.create(workshopFixture());
    const file = path.join(tempDataDir('roundtable-pg-backup-'), 'backup.dump');
    await store.backup(file);
    await store.close();
    const listing = execFileSync('pg_restore', ['--list', file], { encoding: 'utf8' });
    expect(listing).toMatch(/TABLE DATA .*workshops/);
    expect(listing).toMatch(/TABLE DATA .*board_updates/);
    const data = execFileSync('pg_restore', ['--data-only', `--table=workshops`, '--file=-', file], { encoding: 'utf8' });
    expect(data).toContain('ABC234');
  });

  it('refuses a database from a newer version, and says where it could not connect (without a password)', async () => {
    const { url, port, freshSchema } = await db();
    const schema = await freshSchema();
    const first = await openPostgresStore(url, { schema });
    await first.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO ${schema}.roundtable_migrations (version, applied_at) VALUES (${MIGRATIONS.length + 5}, 0)`);
    await client.end();
    await expect(openPostgresStore(url, { schema })).rejects.toThrow(/newer Roundtable/);
    // Nobody listens on this port (the cluster's own port, one up, is not ours either way).
    const nowhere = `postgres://someone:secret-password@127.0.0.1:${port === 1 ? 2 : 1}/roundtable`;
    const failure = await openPostgresStore(nowhere).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/Could not open the Postgres database at 127\.0\.0\.1:1\/roundtable/);
    expect((failure as Error).message).not.toMatch(/secret-password/);
  });
});

describe('postgres with several writers', () => {
  it('[ST112] an update committed after a later-numbered one was stored and compacted is loaded, and kept by the next compaction', async () => {
    const { url, freshSchema } = await db();
    const schema = await freshSchema();
    const store = await openPostgresStore(url, { schema });
    await store.workshops.create(workshopFixture());
    const slow = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
    await slow.connect();
    try {
      // Another process's append takes its id, then waits before committing.
      const theirs = new Y.Doc();
      theirs.getMap('m').set('slow', 'slow');
      await slow.query('BEGIN');
      const { rows } = await slow.query<{ id: string }>('INSERT INTO board_updates (board_id, data) VALUES ($1, $2) RETURNING id', [
        'w1-b1',
        Buffer.from(Y.encodeStateAsUpdate(theirs))
      ]);
      // Meanwhile this one stores an edit with a higher id, and compacts.
      const mine = new Y.Doc();
      let update: Uint8Array | null = null;
      mine.once('update', (u: Uint8Array) => (update = u));
      mine.getMap('m').set('fast', 'fast');
      const last = await store.boards.append([{ boardId: 'w1-b1', update: update! }]);
      expect(last).toBeGreaterThan(Number(rows[0].id));
      await store.boards.compact('w1-b1', Y.encodeStateAsUpdate(mine));
      await slow.query('COMMIT');
      // The lower id committed last: "ids after the snapshot's" would never show it.
      const keys = async () => {
        const stored = await store.boards.load('w1-b1');
        const doc = new Y.Doc();
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(doc, u);
        return [...doc.getMap('m').keys()].sort();
      };
      expect(await keys()).toEqual(['fast', 'slow']);
      await store.boards.compact('w1-b1', Y.encodeStateAsUpdate(mine));
      expect(await keys()).toEqual(['fast', 'slow']);
      expect(await store.boards.pendingCount('w1-b1')).toBe(0);
    } finally {
      await slow.end();
      await store.close();
    }
  });
});

describe('a server on Postgres', () => {
  it('that cannot reach its database says so and does not start (never half-working)', async () => {
    const dataDir = tempDataDir('roundtable-pg-unreachable-');
    const failure = await spawnServer(dataDir, await freePort(), {
      DATABASE_URL: 'postgres://rt:secret-password@127.0.0.1:1/roundtable'
    }).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /Roundtable could not start: Could not open the Postgres database at 127\.0\.0\.1:1\/roundtable/
    );
    expect((failure as Error).message).not.toMatch(/secret-password/);
    expect(fs.existsSync(path.join(dataDir, 'roundtable.sqlite'))).toBe(false);
  });

  it('fails its health check once its database is gone, as /healthz reports', async () => {
    const { url, freshSchema } = await db();
    const warnings: string[] = [];
    const logger = { warn: (_d: object, m: string) => void warnings.push(m), error: (_d: object, m: string) => void warnings.push(m) };
    const store = await openPostgresStore(url, { schema: await freshSchema(), logger });
    await store.ping();
    const name = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    database = null; // later tests in this file get a new one
    await expect(store.ping()).rejects.toThrow();
    // The idle connection Postgres cut was reported, and did not take the process down.
    expect(warnings).toContain('a Postgres connection was lost; it will be replaced');
    await store.close();
  });
});
