// One contract suite run against every store: SQLite on a real file, and the in-memory twin.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../server/persistence/sqlite';
import { openMemoryStore } from '../../server/persistence/memory';
import { MIGRATIONS } from '../../server/persistence/migrations';
import type { Store } from '../../server/persistence/types';
import { tempDataDir } from '../helpers/server';
import { failNextDiskSync } from '../helpers/disk';

const backends: { name: string; open: () => { store: Store; file?: string } }[] = [
  {
    name: 'sqlite',
    open: () => {
      const file = path.join(tempDataDir('roundtable-store-'), 'test.sqlite');
      return { store: openSqliteStore(file), file };
    }
  },
  { name: 'memory', open: () => ({ store: openMemoryStore() }) }
];

function workshopFixture(id = 'w1', code = 'ABC234') {
  return {
    workshop: { id, title: 'T', question: 'Q?', code, createdAt: 1 },
    boards: [{ id: `${id}-b1`, workshopId: id, title: 'Main board', position: 0 }],
    invites: [
      { token: `${id}-member-token-xxxxxxxxxxxx`, workshopId: id, role: 'member' as const, createdAt: 1, revokedAt: null },
      { token: `${id}-fac-token-xxxxxxxxxxxxxxx`, workshopId: id, role: 'facilitator' as const, createdAt: 1, revokedAt: null }
    ]
  };
}

function update(text: string, doc = new Y.Doc()): Uint8Array {
  let captured: Uint8Array | null = null;
  doc.once('update', (u: Uint8Array) => (captured = u));
  doc.getText('t').insert(doc.getText('t').length, text);
  return captured!;
}

for (const backend of backends) {
  describe(`${backend.name} store`, () => {
    let opened: { store: Store; file?: string };
    afterEach(() => opened?.store.close());

    it('creates a workshop with its boards and invites, and finds it by id and by code', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      expect(store.getWorkshop('w1')?.title).toBe('T');
      expect(store.getWorkshopByCode('ABC234')?.id).toBe('w1');
      expect(store.codeInUse('ABC234')).toBe(true);
      expect(store.codeInUse('ZZZ999')).toBe(false);
      expect(store.listBoards('w1').map((b) => b.id)).toEqual(['w1-b1']);
      expect(store.getInvite('w1-member-token-xxxxxxxxxxxx')?.role).toBe('member');
      expect(store.listInvites('w1')).toHaveLength(2);
      expect(() => store.createWorkshop(workshopFixture('w2', 'ABC234'))).toThrow();
    });

    it('adds participants with a session and finds them by the session hash', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      store.addParticipant({ id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member', createdAt: 2, removedAt: null }, 'hash1');
      expect(store.getParticipantBySession('hash1')?.name).toBe('Ann');
      expect(store.getParticipantBySession('nope')).toBeNull();
      expect(store.listParticipants('w1').map((p) => p.id)).toEqual(['p1']);
    });

    it('ends one session (a device leaving) and keeps the participant', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      store.addParticipant({ id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member', createdAt: 2, removedAt: null }, 'hash1');
      store.revokeSession('hash1', 3);
      store.revokeSession('unknown', 3);
      expect(store.getParticipantBySession('hash1')).toBeNull();
      expect(store.getParticipant('p1')).toMatchObject({ name: 'Ann', removedAt: null });
      expect(store.listParticipants('w1').map((p) => p.id)).toEqual(['p1']);
    });

    it('changes roles, removes people (ending their sessions), and revokes and adds invites', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      store.addParticipant({ id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member', createdAt: 2, removedAt: null }, 'hash1');
      store.setParticipantRole('p1', 'decisionMaker');
      expect(store.getParticipant('p1')?.role).toBe('decisionMaker');
      store.removeParticipant('p1', 5);
      expect(store.getParticipant('p1')?.removedAt).toBe(5);
      expect(store.getParticipantBySession('hash1')).toBeNull();
      store.revokeInvite('w1-member-token-xxxxxxxxxxxx', 6);
      expect(store.getInvite('w1-member-token-xxxxxxxxxxxx')?.revokedAt).toBe(6);
      store.addInvite({ token: 'w1-new-member-token-xxxxxxxx', workshopId: 'w1', role: 'member', createdAt: 7, revokedAt: null });
      expect(store.listInvites('w1').filter((i) => i.revokedAt === null).map((i) => i.role).sort()).toEqual(['facilitator', 'member']);
    });

    it('keeps facilitation state, drafts, card authors and hidden cards', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      store.addParticipant({ id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member', createdAt: 2, removedAt: null }, 'hash1');
      expect(store.getFacilitationState('w1')).toBeNull();
      store.saveFacilitationState('w1', '{"phaseIndex":2}');
      expect(store.getFacilitationState('w1')).toBe('{"phaseIndex":2}');
      const draft = { participantId: 'p1', draftId: 'd1', workshopId: 'w1', boardId: 'w1-b1', lane: 'problems', text: 'x', anonymous: false, updatedAt: 3 };
      store.saveDraft(draft);
      store.saveDraft({ ...draft, text: 'y', updatedAt: 4 });
      expect(store.listDrafts('w1-b1')).toEqual([{ ...draft, text: 'y', updatedAt: 4 }]);
      expect(store.listDraftsOf('p1')).toHaveLength(1);
      store.deleteDrafts([{ participantId: 'p1', draftId: 'd1' }]);
      expect(store.listDrafts('w1-b1')).toEqual([]);
      store.appendUpdates([], [{ boardId: 'w1-b1', cardId: 'c1', participantId: 'p1', createdAt: 5 }]);
      expect(store.listCardAuthors('w1')).toEqual([{ boardId: 'w1-b1', cardId: 'c1', participantId: 'p1', createdAt: 5 }]);
      store.hideCard({ boardId: 'w1-b1', cardId: 'c1', lane: 'problems', text: 'unkind', reason: 'r', hiddenAt: 6 });
      expect(store.getHiddenCard('w1-b1', 'c1')?.text).toBe('unkind');
      expect(store.listHiddenCards('w1')).toHaveLength(1);
      store.deleteHiddenCard('w1-b1', 'c1');
      expect(store.listHiddenCards('w1')).toEqual([]);
    });

    it('ends and deletes workshops with everything in them', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      store.createWorkshop(workshopFixture('w2', 'XYZ234'));
      store.addParticipant({ id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member', createdAt: 2, removedAt: null }, 'hash1');
      store.appendUpdates([{ boardId: 'w1-b1', update: update('gone') }]);
      store.endWorkshop('w1', 100);
      expect(store.listEndedBefore(101)).toEqual(['w1']);
      expect(store.listEndedBefore(100)).toEqual([]);
      store.deleteWorkshop('w1');
      expect(store.getWorkshop('w1')).toBeNull();
      expect(store.getBoard('w1-b1')).toBeNull();
      expect(store.getParticipantBySession('hash1')).toBeNull();
      expect(store.loadBoard('w1-b1').updates).toEqual([]);
      expect(store.getWorkshop('w2')).not.toBeNull();
      store.deleteParticipant('nobody');
    });

    it('appends board updates, reloads them in order, and compacts them into a snapshot without loss', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      const doc = new Y.Doc();
      const u1 = update('hello ', doc);
      const u2 = update('world', doc);
      const last = store.appendUpdates([{ boardId: 'w1-b1', update: u1 }, { boardId: 'w1-b1', update: u2 }]);
      expect(last).toBeGreaterThan(0);
      let loaded = store.loadBoard('w1-b1');
      expect(loaded.snapshot).toBeNull();
      expect(loaded.updates).toHaveLength(2);
      expect(loaded.lastUpdateId).toBe(last);

      const snapshot = Y.encodeStateAsUpdate(doc);
      store.compactBoard('w1-b1', snapshot, last);
      const u3 = update('!', doc);
      const last3 = store.appendUpdates([{ boardId: 'w1-b1', update: u3 }]);
      loaded = store.loadBoard('w1-b1');
      expect(loaded.snapshot).not.toBeNull();
      expect(loaded.updates).toHaveLength(1);
      expect(loaded.lastUpdateId).toBe(last3);
      expect(store.pendingUpdateCount('w1-b1')).toBe(1);

      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, loaded.snapshot!);
      for (const u of loaded.updates) Y.applyUpdate(reloaded, u);
      expect(reloaded.getText('t').toString()).toBe('hello world!');
    });

    it('reports appended updates durable, and resolves at once when nothing is new', async () => {
      opened = backend.open();
      const { store, file } = opened;
      store.createWorkshop(workshopFixture());
      await store.durable(); // nothing appended yet
      // SQLite: durable() waits for an fdatasync of the write-ahead log that started after the
      // commit (spied on, not replaced).
      const synced: number[] = [];
      const real = fs.fdatasync;
      const spy = vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) =>
        real(fd, (err) => {
          synced.push(fd);
          cb(err);
        })) as typeof fs.fdatasync);
      try {
        const doc = new Y.Doc();
        store.appendUpdates([{ boardId: 'w1-b1', update: update('a', doc) }]);
        const first = store.durable();
        store.appendUpdates([{ boardId: 'w1-b1', update: update('b', doc) }]);
        const second = store.durable();
        if (file) expect(synced).toHaveLength(0); // not before the sync has run
        // Both waits cover what was committed before them, whether or not a sync was running.
        await Promise.all([first, second]);
        if (file) expect(synced.length).toBeGreaterThanOrEqual(2);
        else expect(synced).toHaveLength(0);
        const before = synced.length;
        await store.durable(); // nothing new: no sync
        expect(synced).toHaveLength(before);
        expect(store.loadBoard('w1-b1').updates).toHaveLength(2);
      } finally {
        spy.mockRestore();
      }
    });

    it('keeps updates stored after a snapshot was taken', () => {
      opened = backend.open();
      const { store } = opened;
      store.createWorkshop(workshopFixture());
      const doc = new Y.Doc();
      const first = store.appendUpdates([{ boardId: 'w1-b1', update: update('a', doc) }]);
      const snap = Y.encodeStateAsUpdate(doc);
      store.appendUpdates([{ boardId: 'w1-b1', update: update('b', doc) }]); // arrives while compacting
      store.compactBoard('w1-b1', snap, first);
      const loaded = store.loadBoard('w1-b1');
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, loaded.snapshot!);
      for (const u of loaded.updates) Y.applyUpdate(reloaded, u);
      expect(reloaded.getText('t').toString()).toBe('ab');
    });
  });
}

describe('sqlite file', () => {
  it('runs numbered migrations once, uses WAL, and reopens with everything kept', () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'reopen.sqlite');
    const store = openSqliteStore(file);
    store.createWorkshop(workshopFixture());
    store.appendUpdates([{ boardId: 'w1-b1', update: update('kept') }]);
    store.close();

    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();

    const again = openSqliteStore(file);
    expect(again.getWorkshop('w1')?.code).toBe('ABC234');
    expect(again.loadBoard('w1-b1').updates).toHaveLength(1);
    again.close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('after a failed sync, reports every later write not durable and fails its health check', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'eio.sqlite');
    const store = openSqliteStore(file);
    store.createWorkshop(workshopFixture());
    const spy = failNextDiskSync();
    try {
      store.appendUpdates([{ boardId: 'w1-b1', update: update('lost?') }]);
      await expect(store.durable()).rejects.toThrow(/could not save/);
      // Linux reports a write-back error once: a later sync "succeeds" without the lost pages.
      store.appendUpdates([{ boardId: 'w1-b1', update: update('later') }]);
      await expect(store.durable()).rejects.toThrow(/could not save/);
      expect(() => store.ping()).toThrow(/could not save/);
    } finally {
      spy.mockRestore();
      store.close();
    }
  });

  it('keeps the write-ahead log bounded while updates stream in (checkpoints on a worker thread)', async () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'stream.sqlite');
    const warn = vi.spyOn(console, 'warn');
    const store = openSqliteStore(file);
    store.createWorkshop(workshopFixture());
    const doc = new Y.Doc();
    const n = 8000;
    let largest = 0;
    for (let i = 0; i < n; i++) {
      store.appendUpdates([{ boardId: 'w1-b1', update: update('x'.repeat(200), doc) }]);
      if (i % 50 === 0) await store.durable();
      await new Promise((resolve) => setImmediate(resolve)); // lets the checkpointer's replies in
      if (i % 500 === 0) largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
    }
    await store.durable();
    // Without checkpoints, or without the main thread's finishing copy, the log would hold every
    // commit (about 6 KB each: some 48 MB here). It restarts at about 2,000 pages (8 MB) instead.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(20 * 1024 * 1024);
    const loaded = store.loadBoard('w1-b1');
    expect(loaded.updates).toHaveLength(n);
    store.close();
    const again = openSqliteStore(file);
    const reloaded = new Y.Doc();
    for (const u of again.loadBoard('w1-b1').updates) Y.applyUpdate(reloaded, u);
    expect(reloaded.getText('t').length).toBe(n * 200);
    again.close();
    // The worker did the checkpoints: SQLite's automatic ones were never switched back on.
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('checkpoints stopped'))).toEqual([]);
    warn.mockRestore();
  });

  it('refuses to open a database from a newer version', () => {
    const file = path.join(tempDataDir('roundtable-store-'), 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openSqliteStore(file)).toThrow(/newer Roundtable/);
  });
});
