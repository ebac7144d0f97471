// The store contract (tests/contract/store-contract.ts) run against every store: SQLite on a real
// file, and the in-memory twin. Then what only the SQLite file does: migrations, reopening, a
// failed disk sync, the bounded write-ahead log, refusing a newer schema.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../server/persistence/sqlite/index';
import { openMemoryStore } from '../../server/persistence/memory';
import { MIGRATIONS } from '../../server/persistence/sqlite/migrations';
import type { StoreLogger } from '../../server/persistence/types';
import { tempDataDir } from '../helpers/server';
import { failNextDiskSync } from '../helpers/disk';
import { storeContract, textUpdate as update, workshopFixture } from '../contract/store-contract';

storeContract('sqlite', () => {
  const file = path.join(tempDataDir('roundtable-store-'), 'test.sqlite');
  return { store: openSqliteStore(file), file };
});
storeContract('memory', () => ({ store: openMemoryStore() }));

/** A logger that keeps what it is told, so a test can check what the store warned about. */
function recordingLogger(): StoreLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (_d, message) => void warnings.push(message), error: (_d, message) => void warnings.push(message) };
}

describe('sqlite file', () => {
  it('runs numbered migrations once, uses WAL, and reopens with everything kept', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'reopen.sqlite');
    const store = openSqliteStore(file);
    await store.workshops.create(workshopFixture());
    await store.boards.append([{ boardId: 'w1-b1', update: update('kept') }]);
    await store.close();

    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    const again = openSqliteStore(file);
    expect((await again.workshops.get('w1'))?.code).toBe('ABC234');
    expect((await again.boards.load('w1-b1')).updates).toHaveLength(1);
    await again.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('after a failed sync, reports every later write not durable and fails its health check', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'eio.sqlite');
    const store = openSqliteStore(file);
    await store.workshops.create(workshopFixture());
    const spy = failNextDiskSync();
    try {
      await store.boards.append([{ boardId: 'w1-b1', update: update('lost?') }]);
      await expect(store.boards.durable()).rejects.toThrow(/could not save/);
      // Linux reports a write-back error once: a later sync "succeeds" without the lost pages.
      await store.boards.append([{ boardId: 'w1-b1', update: update('later') }]);
      await expect(store.boards.durable()).rejects.toThrow(/could not save/);
      await expect(store.ping()).rejects.toThrow(/could not save/);
    } finally {
      spy.mockRestore();
      await store.close();
    }
  });

  it('keeps the write-ahead log bounded while updates stream in (checkpoints on a worker thread)', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'stream.sqlite');
    const logger = recordingLogger();
    const store = openSqliteStore(file, { logger });
    await store.workshops.create(workshopFixture());
    const doc = new Y.Doc();
    const n = 8000;
    let largest = 0;
    for (let i = 0; i < n; i++) {
      await store.boards.append([{ boardId: 'w1-b1', update: update('x'.repeat(200), doc) }]);
      if (i % 50 === 0) await store.boards.durable();
      await new Promise((resolve) => setImmediate(resolve)); // lets the checkpointer's replies in
      if (i % 500 === 0) largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
    }
    await store.boards.durable();
    // Without checkpoints, or without the main thread's finishing copy, the log would hold every
    // commit (about 6 KB each: some 48 MB here). It restarts at about 2,000 pages (8 MB) instead.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(20 * 1024 * 1024);
    const loaded = await store.boards.load('w1-b1');
    expect(loaded.updates).toHaveLength(n);
    await store.close();
    const again = openSqliteStore(file);
    const reloaded = new Y.Doc();
    for (const u of (await again.boards.load('w1-b1')).updates) Y.applyUpdate(reloaded, u);
    expect(reloaded.getText('t').length).toBe(n * 200);
    await again.close();
    // The worker did the checkpoints: SQLite's automatic ones were never switched back on.
    expect(logger.warnings.filter((w) => w.includes('checkpoints stopped'))).toEqual([]);
  });

  it('adds votes to a database made before them (schema 4), and a closed vote leaves no ballot row', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'v4.sqlite');
    const old = new Database(file);
    for (const m of MIGRATIONS.slice(0, 4)) old.exec(m);
    old.pragma('user_version = 4');
    old.close();
    const store = openSqliteStore(file);
    await store.workshops.create(workshopFixture());
    await store.people.add({ id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member', createdAt: 1, removedAt: null }, 'h1');
    const vote = {
      id: 'v1',
      workshopId: 'w1',
      boardId: 'w1-b1',
      subject: { kind: 'cards' as const },
      items: ['c1'],
      votesPerPerson: 3,
      maxPerItem: 3,
      openedAt: 1,
      closedAt: null
    };
    await store.votes.open(vote);
    await store.votes.setVotes('v1', 'p1', 'c1', 2);
    await store.votes.close('v1', 2, { c1: 'A card' }, () => ({
      groups: [],
      tallies: [{ unit: 'all', itemId: 'c1', votes: 2, backers: 1 }]
    }));
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT COUNT(*) AS n FROM vote_ballots').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT unit, item_id, votes, backers FROM vote_tallies').all()).toEqual([
      { unit: 'all', item_id: 'c1', votes: 2, backers: 1 }
    ]);
    db.close();
  });

  it('[ST66] keeps every timeline entry, in order, across a reopen, and the file itself refuses to rewrite one', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'timeline.sqlite');
    const store = openSqliteStore(file);
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
    const statuses = ['heard', 'underConsideration', 'piloting'] as const;
    for (const [i, status] of statuses.entries()) {
      await store.outcomes.append(
        {
          recommendationId: 'r1',
          workshopId: 'w1',
          at: 10 + i,
          by: 'decisionMaker',
          change: { kind: 'status', status, explanation: `Step ${i}`, corrects: null }
        },
        i
      );
    }
    await store.close();
    const db = new Database(file);
    expect(() => db.prepare("UPDATE recommendation_entries SET change = '{}' WHERE seq = 1").run()).toThrow(/append-only/);
    db.close();
    const again = openSqliteStore(file);
    const timeline = await again.outcomes.timeline('w1');
    expect(timeline.map((e) => [e.seq, e.change.kind === 'status' && e.change.status])).toEqual([
      [1, 'heard'],
      [2, 'underConsideration'],
      [3, 'piloting']
    ]);
    await again.close();
  });

  it('refuses to open a database from a newer version', () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/newer Roundtable/);
  });
});
