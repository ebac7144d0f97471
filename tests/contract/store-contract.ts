// The store contract as one suite, run against every implementation by passing a factory:
// `storeContract('sqlite', () => ({ store: openSqliteStore(file), file }))`. Each rule has an id
// ([ST1]...) that test titles cite; docs/ARCHITECTURE.md lists where each store lives. A new store
// (Postgres) joins by calling this function with its own factory.
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { CardSnapshot } from '../../src/lib/board/schema';
import {
  VersionConflict,
  type ForumLinkRecord,
  type ForumRecord,
  type GlossaryRecord,
  type InvolvementRecord,
  type MeetingCommentRecord,
  type MeetingPointRecord,
  type MeetingRecord,
  type RemovedCardRecord,
  type SharedPointRecord,
  type Store,
  type VoteRecord
} from '../../server/persistence/types';
import type { PointBacking } from '../../src/lib/domain/forums';
import type { QuestionCheck } from '../../src/lib/domain/question';
import type { BallotEntry, VoteSummary } from '../../src/lib/domain/votes';
import type { AgreedVersion } from '../../src/lib/domain/agreed';
import type { ConsentEntry } from '../../src/lib/domain/consent';
import type { Recommendation } from '../../src/lib/domain/outcomes';

export interface OpenedStore {
  store: Store;
  /** The database file, for stores that have one (durability rules differ slightly). */
  file?: string;
  /** Another store on the same data, as another server process would open it (stores that allow several writers). */
  another?: () => Promise<Store>;
}

export function workshopFixture(id = 'w1', code = 'ABC234') {
  return {
    workshop: { id, title: 'T', question: 'Q?', code, createdAt: 1 },
    boards: [{ id: `${id}-b1`, workshopId: id, title: 'Main board', position: 0 }],
    invites: [
      { token: `${id}-member-token-xxxxxxxxxxxx`, workshopId: id, role: 'member' as const, createdAt: 1, revokedAt: null },
      { token: `${id}-fac-token-xxxxxxxxxxxxxxx`, workshopId: id, role: 'facilitator' as const, createdAt: 1, revokedAt: null }
    ]
  };
}

export function textUpdate(text: string, doc = new Y.Doc()): Uint8Array {
  let captured: Uint8Array | null = null;
  doc.once('update', (u: Uint8Array) => (captured = u));
  doc.getText('t').insert(doc.getText('t').length, text);
  return captured!;
}

const ann = { id: 'p1', workshopId: 'w1', name: 'Ann', role: 'member' as const, createdAt: 2, removedAt: null };

const card = (text: string, extra: CardSnapshot['fields'] = {}): CardSnapshot => ({
  fields: {
    lane: { kind: 'json', value: 'problems' },
    order: { kind: 'json', value: 'a0' },
    text: { kind: 'text', value: text },
    createdAt: { kind: 'json', value: 5 },
    ...extra
  }
});

const removal = (cardId: string, extra: Partial<RemovedCardRecord> = {}): RemovedCardRecord => ({
  boardId: 'w1-b1',
  cardId,
  card: card(`words of ${cardId}`, { theme: { kind: 'json', value: 't1' } }),
  authorId: 'p1',
  removedBy: 'someone',
  removedAt: 10,
  ...extra
});

const vote = (id: string, extra: Partial<VoteRecord> = {}): VoteRecord => ({
  id,
  workshopId: 'w1',
  boardId: 'w1-b1',
  subject: { kind: 'cards', lanes: ['problems'] },
  items: ['c1', 'c2', 'theme:t1'],
  votesPerPerson: 3,
  maxPerItem: 2,
  openedAt: 10,
  closedAt: null,
  ...extra
});

/** A stand-in for the domain's summarise(): counts everyone together, as one group. */
const countAll = (ballots: BallotEntry[]): VoteSummary => {
  const votes = new Map<string, number>();
  for (const b of ballots) votes.set(b.itemId, (votes.get(b.itemId) ?? 0) + b.count);
  return {
    groups: [{ role: 'member', eligible: 4, voters: new Set(ballots.map((b) => b.participantId)).size, shown: 'own' }],
    tallies: [...votes].map(([itemId, v]) => ({
      unit: 'all' as const,
      itemId,
      votes: v,
      backers: ballots.filter((b) => b.itemId === itemId).length
    }))
  };
};

/**
 * `severalWriters`: the store may be shared by several server processes at once (Postgres), and
 * its factory gives `another` store on the same data; the rules for concurrent writers run too.
 */
export function storeContract(name: string, open: () => OpenedStore | Promise<OpenedStore>, severalWriters = false): void {
  describe(`${name} store`, () => {
    let opened: OpenedStore | undefined;
    afterEach(async () => {
      await opened?.store.close();
      opened = undefined;
    });
    const fresh = async (): Promise<Store> => {
      opened = await open();
      await opened.store.workshops.create(workshopFixture());
      return opened.store;
    };

    it('[ST1] creates a workshop with its boards and invites, and finds it by id and by code; codes are unique', async () => {
      const store = await fresh();
      expect((await store.workshops.get('w1'))?.title).toBe('T');
      expect((await store.workshops.byCode('ABC234'))?.id).toBe('w1');
      expect(await store.workshops.codeInUse('ABC234')).toBe(true);
      expect(await store.workshops.codeInUse('ZZZ999')).toBe(false);
      expect((await store.workshops.boards('w1')).map((b) => b.id)).toEqual(['w1-b1']);
      expect((await store.workshops.board('w1-b1'))?.workshopId).toBe('w1');
      expect((await store.people.invite('w1-member-token-xxxxxxxxxxxx'))?.role).toBe('member');
      expect(await store.people.invites('w1')).toHaveLength(2);
      await expect(store.workshops.create(workshopFixture('w2', 'ABC234'))).rejects.toThrow();
    });

    it('[ST2] adds participants with a session and finds them by the session hash', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      expect((await store.people.bySession('hash1'))?.name).toBe('Ann');
      expect(await store.people.bySession('nope')).toBeNull();
      expect((await store.people.list('w1')).map((p) => p.id)).toEqual(['p1']);
    });

    it('[ST14] ends one session (a device leaving) and keeps the participant', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.revokeSession('hash1', 3);
      await store.people.revokeSession('unknown', 3);
      expect(await store.people.bySession('hash1')).toBeNull();
      expect(await store.people.get('p1')).toMatchObject({ name: 'Ann', removedAt: null });
      expect((await store.people.list('w1')).map((p) => p.id)).toEqual(['p1']);
    });

    it('[ST3] changes roles, removes people (ending their sessions), and revokes and adds invites', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.setRole('p1', 'decisionMaker');
      expect((await store.people.get('p1'))?.role).toBe('decisionMaker');
      await store.people.remove('p1', 5);
      expect((await store.people.get('p1'))?.removedAt).toBe(5);
      expect(await store.people.bySession('hash1')).toBeNull();
      await store.people.revokeInvite('w1-member-token-xxxxxxxxxxxx', 6);
      expect((await store.people.invite('w1-member-token-xxxxxxxxxxxx'))?.revokedAt).toBe(6);
      await store.people.addInvite({
        token: 'w1-new-member-token-xxxxxxxx',
        workshopId: 'w1',
        role: 'member',
        createdAt: 7,
        revokedAt: null
      });
      expect(
        (await store.people.invites('w1'))
          .filter((i) => i.revokedAt === null)
          .map((i) => i.role)
          .sort()
      ).toEqual(['facilitator', 'member']);
    });

    it('[ST4] saves facilitation state with compare-and-set on its version', async () => {
      const store = await fresh();
      expect(await store.facilitation.get('w1')).toBeNull();
      expect(await store.facilitation.save('w1', '{"phaseIndex":2}', 0)).toBe(1);
      expect(await store.facilitation.get('w1')).toEqual({ json: '{"phaseIndex":2}', version: 1 });
      // A writer that read version 0 (or any stale version) loses, and changes nothing.
      await expect(store.facilitation.save('w1', '{"phaseIndex":9}', 0)).rejects.toBeInstanceOf(VersionConflict);
      expect(await store.facilitation.save('w1', '{"phaseIndex":3}', 1)).toBe(2);
      await expect(store.facilitation.save('w1', '{"phaseIndex":9}', 1)).rejects.toBeInstanceOf(VersionConflict);
      expect(await store.facilitation.get('w1')).toEqual({ json: '{"phaseIndex":3}', version: 2 });
    });

    it('[ST5] keeps drafts, card authors and hidden cards (the whole card, every field)', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      const draft = {
        participantId: 'p1',
        draftId: 'd1',
        workshopId: 'w1',
        boardId: 'w1-b1',
        lane: 'problems',
        text: 'x',
        anonymous: false,
        updatedAt: 3
      };
      await store.drafts.save(draft);
      await store.drafts.save({ ...draft, text: 'y', updatedAt: 4 });
      expect(await store.drafts.ofBoard('w1-b1')).toEqual([{ ...draft, text: 'y', updatedAt: 4 }]);
      expect(await store.drafts.of('p1')).toHaveLength(1);
      await store.drafts.deleteMany([{ participantId: 'p1', draftId: 'd1' }]);
      expect(await store.drafts.ofBoard('w1-b1')).toEqual([]);
      await store.boards.append([], [{ boardId: 'w1-b1', cardId: 'c1', participantId: 'p1', createdAt: 5 }]);
      expect(await store.boards.authors('w1')).toEqual([{ boardId: 'w1-b1', cardId: 'c1', participantId: 'p1', createdAt: 5 }]);
      const whole = card('unkind', { anonymous: { kind: 'json', value: true }, theme: { kind: 'json', value: 't1' } });
      await store.moderation.hide({ boardId: 'w1-b1', cardId: 'c1', card: whole, reason: 'r', hiddenAt: 6 });
      expect((await store.moderation.get('w1-b1', 'c1'))?.card).toEqual(whole);
      expect(await store.moderation.list('w1')).toHaveLength(1);
      await store.moderation.delete('w1-b1', 'c1');
      expect(await store.moderation.list('w1')).toEqual([]);
    });

    it('[ST6] ends and deletes workshops with everything in them, and only them', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('gone') }]);
      await store.workshops.end('w1', 100);
      expect(await store.workshops.endedBefore(101)).toEqual(['w1']);
      expect(await store.workshops.endedBefore(100)).toEqual([]);
      await store.workshops.delete('w1');
      expect(await store.workshops.get('w1')).toBeNull();
      expect(await store.workshops.board('w1-b1')).toBeNull();
      expect(await store.people.bySession('hash1')).toBeNull();
      expect((await store.boards.load('w1-b1')).updates).toEqual([]);
      expect(await store.workshops.get('w2')).not.toBeNull();
      await store.people.delete('nobody');
    });

    it('[ST7] deleting a workshop deletes its drafts, card authors, hidden cards and state', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', workshopId: 'w2' }, 'hash2');
      for (const [w, p] of [
        ['w1', 'p1'],
        ['w2', 'p2']
      ] as const) {
        await store.drafts.save({
          participantId: p,
          draftId: 'd',
          workshopId: w,
          boardId: `${w}-b1`,
          lane: 'problems',
          text: 'x',
          anonymous: true,
          updatedAt: 1
        });
        await store.boards.append([], [{ boardId: `${w}-b1`, cardId: 'c', participantId: p, createdAt: 1 }]);
        await store.moderation.hide({ boardId: `${w}-b1`, cardId: 'h', card: card('hidden'), reason: 'r', hiddenAt: 1 });
        await store.facilitation.save(w, '{}', 0);
      }
      await store.workshops.delete('w1');
      expect(await store.drafts.of('p1')).toEqual([]);
      expect(await store.boards.authors('w1')).toEqual([]);
      expect(await store.moderation.get('w1-b1', 'h')).toBeNull();
      expect(await store.facilitation.get('w1')).toBeNull();
      // The other workshop keeps all of its own.
      expect(await store.drafts.of('p2')).toHaveLength(1);
      expect(await store.boards.authors('w2')).toHaveLength(1);
      expect(await store.moderation.get('w2-b1', 'h')).not.toBeNull();
      expect((await store.facilitation.get('w2'))?.version).toBe(1);
    });

    it('[ST8] appends board updates, reloads them in order, and compacts them into a snapshot without loss', async () => {
      const store = await fresh();
      const doc = new Y.Doc();
      const u1 = textUpdate('hello ', doc);
      const u2 = textUpdate('world', doc);
      const last = await store.boards.append([
        { boardId: 'w1-b1', update: u1 },
        { boardId: 'w1-b1', update: u2 }
      ]);
      expect(last).toBeGreaterThan(0);
      let loaded = await store.boards.load('w1-b1');
      expect(loaded.snapshot).toBeNull();
      expect(loaded.updates).toHaveLength(2);
      expect(loaded.lastUpdateId).toBe(last);

      const snapshot = Y.encodeStateAsUpdate(doc);
      await store.boards.compact('w1-b1', snapshot);
      const u3 = textUpdate('!', doc);
      const last3 = await store.boards.append([{ boardId: 'w1-b1', update: u3 }]);
      loaded = await store.boards.load('w1-b1');
      expect(loaded.snapshot).not.toBeNull();
      expect(loaded.updates).toHaveLength(1);
      expect(loaded.lastUpdateId).toBe(last3);
      expect(await store.boards.pendingCount('w1-b1')).toBe(1);

      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, loaded.snapshot!);
      for (const u of loaded.updates) Y.applyUpdate(reloaded, u);
      expect(reloaded.getText('t').toString()).toBe('hello world!');
    });

    it('[ST9] reports appended updates durable, and resolves at once when nothing is new', async () => {
      const store = await fresh();
      const file = opened!.file;
      await store.boards.durable(); // nothing appended yet
      // SQLite: durable() waits for an fdatasync of the write-ahead log that started after the
      // commit (spied on, not replaced).
      const synced: number[] = [];
      const real = fs.fdatasync;
      const spy = vi.spyOn(fs, 'fdatasync').mockImplementation((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) =>
        real(fd, (err) => {
          synced.push(fd);
          cb(err);
        })
      );
      try {
        const doc = new Y.Doc();
        await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('a', doc) }]);
        const first = store.boards.durable();
        await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('b', doc) }]);
        const second = store.boards.durable();
        if (file) expect(synced).toHaveLength(0); // not before the sync has run
        // Both waits cover what was committed before them, whether or not a sync was running.
        await Promise.all([first, second]);
        if (file) expect(synced.length).toBeGreaterThanOrEqual(2);
        else expect(synced).toHaveLength(0);
        const before = synced.length;
        await store.boards.durable(); // nothing new: no sync
        expect(synced).toHaveLength(before);
        expect((await store.boards.load('w1-b1')).updates).toHaveLength(2);
      } finally {
        spy.mockRestore();
      }
    });

    it('[ST10] keeps updates stored after a snapshot was taken', async () => {
      const store = await fresh();
      const doc = new Y.Doc();
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('a', doc) }]);
      const snap = Y.encodeStateAsUpdate(doc);
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('b', doc) }]); // arrives while compacting
      await store.boards.compact('w1-b1', snap);
      const loaded = await store.boards.load('w1-b1');
      const reloaded = new Y.Doc();
      Y.applyUpdate(reloaded, loaded.snapshot!);
      for (const u of loaded.updates) Y.applyUpdate(reloaded, u);
      expect(reloaded.getText('t').toString()).toBe('ab');
    });

    it("[ST11] deleting a participant deletes their sessions, drafts and authorship records, and nobody else's", async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      for (const p of ['p1', 'p2']) {
        await store.drafts.save({
          participantId: p,
          draftId: 'd',
          workshopId: 'w1',
          boardId: 'w1-b1',
          lane: 'problems',
          text: 'x',
          anonymous: false,
          updatedAt: 1
        });
        await store.boards.append([], [{ boardId: 'w1-b1', cardId: `c-${p}`, participantId: p, createdAt: 1 }]);
      }
      await store.people.delete('p1');
      expect(await store.people.get('p1')).toBeNull();
      expect(await store.people.bySession('hash1')).toBeNull();
      expect(await store.drafts.of('p1')).toEqual([]);
      expect((await store.boards.authors('w1')).map((a) => a.participantId)).toEqual(['p2']);
      expect((await store.people.bySession('hash2'))?.name).toBe('Bo');
    });

    it('[ST12] skips updates and authors for boards and people that are gone, and stores the rest of the batch', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.workshops.delete('w2');
      const last = await store.boards.append(
        [
          { boardId: 'w2-b1', update: textUpdate('late') },
          { boardId: 'w1-b1', update: textUpdate('kept') }
        ],
        [
          { boardId: 'w1-b1', cardId: 'c1', participantId: 'gone' },
          { boardId: 'w1-b1', cardId: 'c2', participantId: 'p1' }
        ].map((a) => ({ ...a, createdAt: 1 }))
      );
      expect(last).toBeGreaterThan(0);
      expect((await store.boards.load('w1-b1')).updates).toHaveLength(1);
      expect((await store.boards.load('w2-b1')).updates).toHaveLength(0);
      expect((await store.boards.authors('w1')).map((a) => a.cardId)).toEqual(['c2']);
    });

    it("[ST15] opens votes, at most one open vote per board, and finds them by id and among a workshop's open votes", async () => {
      const store = await fresh();
      await store.votes.open(vote('v1'));
      expect(await store.votes.get('v1')).toEqual(vote('v1'));
      expect(await store.votes.get('nope')).toBeNull();
      await expect(store.votes.open(vote('v2', { openedAt: 11 }))).rejects.toThrow();
      expect((await store.votes.openIn('w1')).map((v) => v.id)).toEqual(['v1']);
      expect(await store.votes.openIn('w2')).toEqual([]);
      // A copy: changing what came back changes nothing stored.
      const got = (await store.votes.get('v1'))!;
      got.items.push('c9');
      expect((await store.votes.get('v1'))?.items).toEqual(['c1', 'c2', 'theme:t1']);
      // Once it closes, the board can have another.
      await store.votes.close('v1', 20, {}, countAll);
      await store.votes.open(vote('v2', { openedAt: 21 }));
      expect((await store.votes.openIn('w1')).map((v) => v.id)).toEqual(['v2']);
    });

    it("[ST16] keeps each person's votes while the vote is open, and takes none once it has closed", async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.votes.open(vote('v1'));
      expect(await store.votes.ballot('v1', 'p1')).toEqual({});
      expect(await store.votes.setVotes('v1', 'p1', 'c1', 2)).toBe(true);
      expect(await store.votes.setVotes('v1', 'p1', 'c2', 1)).toBe(true);
      expect(await store.votes.setVotes('v1', 'p2', 'c2', 1)).toBe(true);
      expect(await store.votes.ballot('v1', 'p1')).toEqual({ c1: 2, c2: 1 });
      expect((await store.votes.voters('v1')).sort()).toEqual(['p1', 'p2']);
      // Seen at once; durable() then makes them survive a power cut (SQLite: an fdatasync of the log).
      const real = fs.fdatasync;
      let synced = 0;
      const spy = vi.spyOn(fs, 'fdatasync').mockImplementation((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) =>
        real(fd, (err) => {
          synced++;
          cb(err);
        })
      );
      try {
        await store.votes.setVotes('v1', 'p1', 'c2', 1);
        await store.votes.durable();
        if (opened!.file) expect(synced).toBeGreaterThanOrEqual(1);
      } finally {
        spy.mockRestore();
      }
      expect(await store.votes.setVotes('v1', 'p2', 'c2', 0)).toBe(true); // 0 takes them all back
      expect(await store.votes.ballot('v1', 'p2')).toEqual({});
      expect(await store.votes.voters('v1')).toEqual(['p1']);
      // An unknown person is refused; an unknown or closed vote takes nothing.
      await expect(store.votes.setVotes('v1', 'nobody', 'c1', 1)).rejects.toThrow();
      expect(await store.votes.setVotes('nope', 'p1', 'c1', 1)).toBe(false);
      await store.votes.close('v1', 20, {}, countAll);
      expect(await store.votes.setVotes('v1', 'p1', 'c1', 1)).toBe(false);
      expect(await store.votes.setVotes('v1', 'p1', 'c1', 0)).toBe(false);
      expect(await store.votes.ballot('v1', 'p1')).toEqual({});
    });

    it('[ST17] closing a vote deletes its ballots and keeps only tallies per item and role group, once', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.votes.open(vote('v1'));
      await store.votes.setVotes('v1', 'p1', 'c1', 2);
      await store.votes.setVotes('v1', 'p2', 'c1', 1);
      await store.votes.setVotes('v1', 'p2', 'theme:t1', 1);
      let seen: BallotEntry[] = [];
      const closed = await store.votes.close('v1', 20, { c1: 'First card', c2: null, 'theme:t1': 'A theme' }, (ballots) => {
        seen = ballots;
        return countAll(ballots);
      });
      // Every ballot went to the summary, and nothing but the summary was kept.
      expect(seen.map((b) => `${b.participantId}/${b.itemId}=${b.count}`).sort()).toEqual(['p1/c1=2', 'p2/c1=1', 'p2/theme:t1=1']);
      const summary = countAll(seen);
      expect(closed).toEqual({ ...vote('v1'), closedAt: 20, labels: { c1: 'First card', c2: null, 'theme:t1': 'A theme' }, summary });
      expect(await store.votes.voters('v1')).toEqual([]);
      expect(await store.votes.ballot('v1', 'p2')).toEqual({});
      expect((await store.votes.get('v1'))?.closedAt).toBe(20);
      expect(await store.votes.openIn('w1')).toEqual([]);
      expect(await store.votes.results('w1')).toEqual([closed]);
      expect(JSON.stringify(await store.votes.results('w1'))).not.toMatch(/p1|p2/);
      // Closing again changes nothing.
      expect(await store.votes.close('v1', 30, {}, countAll)).toBeNull();
      expect(await store.votes.close('nope', 30, {}, countAll)).toBeNull();
      expect((await store.votes.results('w1'))[0].closedAt).toBe(20);
      // A summary that fails closes nothing and loses no ballot.
      await store.votes.open(vote('v2', { openedAt: 21 }));
      await store.votes.setVotes('v2', 'p1', 'c2', 1);
      await expect(
        store.votes.close('v2', 30, {}, () => {
          throw new Error('summary failed');
        })
      ).rejects.toThrow('summary failed');
      expect(await store.votes.ballot('v2', 'p1')).toEqual({ c2: 1 });
      expect((await store.votes.get('v2'))?.closedAt).toBeNull();
    });

    it("[ST18] deleting a workshop deletes its votes, ballots and tallies; deleting a person deletes their ballots, nobody else's", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.people.add({ ...ann, id: 'p3', workshopId: 'w2' }, 'hash3');
      await store.votes.open(vote('v1'));
      await store.votes.open(vote('x', { boardId: 'w2-b1', workshopId: 'w2' }));
      await store.votes.setVotes('v1', 'p1', 'c1', 1);
      await store.votes.setVotes('v1', 'p2', 'c1', 1);
      await store.votes.setVotes('x', 'p3', 'c1', 1);
      await store.people.delete('p1');
      expect(await store.votes.voters('v1')).toEqual(['p2']);
      await store.votes.close('v1', 20, {}, countAll);
      await store.votes.open(vote('v3', { openedAt: 30 }));
      await store.votes.setVotes('v3', 'p2', 'c2', 1);
      await store.workshops.delete('w1');
      expect(await store.votes.get('v1')).toBeNull();
      expect(await store.votes.get('v3')).toBeNull();
      expect(await store.votes.results('w1')).toEqual([]);
      expect(await store.votes.openIn('w1')).toEqual([]);
      expect(await store.votes.ballot('v3', 'p2')).toEqual({});
      // The other workshop keeps its own.
      expect(await store.votes.ballot('x', 'p3')).toEqual({ c1: 1 });
      expect((await store.votes.openIn('w2')).map((v) => v.id)).toEqual(['x']);
    });

    it('[ST39] gives a workshop a new join code: the old one finds nothing, the new one finds it, codes stay unique', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.workshops.setCode('w1', 'NEW234');
      expect(await store.workshops.byCode('ABC234')).toBeNull();
      expect(await store.workshops.codeInUse('ABC234')).toBe(false);
      expect((await store.workshops.byCode('NEW234'))?.id).toBe('w1');
      expect((await store.workshops.get('w1'))?.code).toBe('NEW234');
      await expect(store.workshops.setCode('w1', 'XYZ234')).rejects.toThrow();
      expect((await store.workshops.get('w1'))?.code).toBe('NEW234');
      expect((await store.workshops.byCode('XYZ234'))?.id).toBe('w2');
    });

    it('[ST40] keeps only the id and the time of a deleted workshop, so pages can say it was deleted', async () => {
      const store = await fresh();
      expect(await store.workshops.deletedAt('w1')).toBeNull();
      const before = Date.now();
      await store.workshops.delete('w1');
      expect(await store.workshops.get('w1')).toBeNull();
      const at = await store.workshops.deletedAt('w1');
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Date.now());
      expect(await store.workshops.deletedAt('never-existed')).toBeNull();
      // Deleting what is not there leaves no mark.
      await store.workshops.delete('never-existed');
      expect(await store.workshops.deletedAt('never-existed')).toBeNull();
      // Its code is free again.
      await store.workshops.create(workshopFixture('w3', 'ABC234'));
      expect((await store.workshops.byCode('ABC234'))?.id).toBe('w3');
    });

    it('[ST41] finds whose a session was, live, ended or removed, until the participant is deleted', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      expect((await store.people.sessionOwner('hash1'))?.id).toBe('p1');
      await store.people.revokeSession('hash1', 3);
      expect(await store.people.sessionOwner('hash1')).toMatchObject({ id: 'p1', removedAt: null });
      await store.people.remove('p2', 4);
      expect(await store.people.bySession('hash2')).toBeNull();
      expect(await store.people.sessionOwner('hash2')).toMatchObject({ id: 'p2', removedAt: 4 });
      expect(await store.people.sessionOwner('unknown')).toBeNull();
      await store.people.delete('p2');
      expect(await store.people.sessionOwner('hash2')).toBeNull();
    });

    it('[ST42] says who holds a live session: not someone who left (session ended), not someone removed, not another workshop', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo', createdAt: 3 }, 'hash2');
      await store.people.add({ ...ann, id: 'p3', name: 'Cy', createdAt: 4 }, 'hash3');
      await store.people.add({ ...ann, id: 'p4', workshopId: 'w2' }, 'hash4');
      expect(await store.people.withLiveSession('w1')).toEqual(['p1', 'p2', 'p3']);
      await store.people.revokeSession('hash1', 5);
      await store.people.remove('p2', 6);
      expect(await store.people.withLiveSession('w1')).toEqual(['p3']);
      expect(await store.people.withLiveSession('w2')).toEqual(['p4']);
    });

    it('[ST27] keeps a removed card whole in the append that deletes it, with a notice for its author, and drops it again', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      const doc = new Y.Doc();
      const nameless = removal('c2', { authorId: null, removedBy: 'facilitator', removedAt: 11 });
      await store.boards.append(
        [{ boardId: 'w1-b1', update: textUpdate('deleting', doc) }],
        [],
        [
          { kind: 'removed', record: removal('c1') },
          { kind: 'removed', record: nameless }
        ]
      );
      expect((await store.boards.load('w1-b1')).updates).toHaveLength(1);
      expect(await store.removed.get('w1-b1', 'c1')).toEqual(removal('c1'));
      expect(await store.removed.list('w1')).toEqual([removal('c1'), nameless]);
      expect(await store.removed.ofAuthor('p1')).toEqual([removal('c1')]);
      // Only a card with an author gets a notice: nobody can be told about one without a name.
      expect(await store.notices.of('p1')).toEqual([
        { participantId: 'p1', boardId: 'w1-b1', cardId: 'c1', kind: 'removed', createdAt: 10 }
      ]);
      // Removed again later (after being put back): the newer record replaces the older one.
      await store.boards.append([], [], [{ kind: 'removed', record: removal('c1', { removedAt: 12, removedBy: 'facilitator' }) }]);
      expect((await store.removed.list('w1')).map((r) => [r.cardId, r.removedAt, r.removedBy])).toEqual([
        ['c2', 11, 'facilitator'],
        ['c1', 12, 'facilitator']
      ]);
      // Back on the board, or let go: the record and its notice go, in the append.
      await store.boards.append(
        [{ boardId: 'w1-b1', update: textUpdate(' back', doc) }],
        [],
        [{ kind: 'dropped', boardId: 'w1-b1', cardId: 'c1' }]
      );
      expect(await store.removed.get('w1-b1', 'c1')).toBeNull();
      expect(await store.notices.of('p1')).toEqual([]);
      // Put back by a command: deleted with its notices.
      await store.boards.append([], [], [{ kind: 'removed', record: removal('c3') }]);
      await store.removed.delete('w1-b1', 'c3');
      expect(await store.removed.get('w1-b1', 'c3')).toBeNull();
      expect(await store.notices.of('p1')).toEqual([]);
      expect((await store.removed.list('w1')).map((r) => r.cardId)).toEqual(['c2']);
    });

    it('[ST28] skips removed cards for boards and authors that are gone, and stores the rest of the batch', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.workshops.delete('w2');
      await store.boards.append(
        [{ boardId: 'w1-b1', update: textUpdate('kept') }],
        [{ boardId: 'w1-b1', cardId: 'c9', participantId: 'p1', createdAt: 1 }],
        [
          { kind: 'removed', record: removal('late', { boardId: 'w2-b1' }) },
          { kind: 'removed', record: removal('forgotten', { authorId: 'gone' }) },
          { kind: 'removed', record: removal('c1') }
        ]
      );
      expect((await store.boards.load('w1-b1')).updates).toHaveLength(1);
      expect((await store.boards.authors('w1')).map((a) => a.cardId)).toEqual(['c9']);
      expect((await store.removed.list('w1')).map((r) => r.cardId)).toEqual(['c1']);
      expect((await store.notices.of('p1')).map((n) => n.cardId)).toEqual(['c1']);
      expect(await store.notices.of('gone')).toEqual([]);
    });

    it("[ST29] gives a board's authorship records and its removed card ids, oldest removal first", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.boards.append(
        [],
        [
          { boardId: 'w1-b1', cardId: 'a1', participantId: 'p1', createdAt: 1 },
          { boardId: 'w2-b1', cardId: 'other', participantId: 'p1', createdAt: 1 }
        ],
        [
          { kind: 'removed', record: removal('r-later', { removedAt: 20 }) },
          { kind: 'removed', record: removal('r-first', { removedAt: 5 }) },
          { kind: 'removed', record: removal('r-same-ms-1', { removedAt: 20, authorId: null }) },
          { kind: 'removed', record: removal('elsewhere', { boardId: 'w2-b1' }) }
        ]
      );
      const records = await store.boards.cardRecords('w1-b1');
      expect(records.authors).toEqual([{ cardId: 'a1', participantId: 'p1' }]);
      expect(records.removed).toEqual(['r-first', 'r-later', 'r-same-ms-1']);
      expect(await store.boards.cardRecords('nowhere')).toEqual({ authors: [], removed: [] });
    });

    it('[ST30] keeps notices until their person dismisses them, and deletes those about a card that is back', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      const hidden = { participantId: 'p1', boardId: 'w1-b1', cardId: 'h1', kind: 'hidden' as const, createdAt: 30 };
      await store.notices.add(hidden);
      await store.notices.add({ ...hidden, cardId: 'h0', createdAt: 20 });
      await store.notices.add({ ...hidden, participantId: 'p2' });
      await store.notices.add(hidden); // the same again: one notice
      expect((await store.notices.of('p1')).map((n) => n.cardId)).toEqual(['h0', 'h1']);
      await expect(store.notices.add({ ...hidden, participantId: 'nobody' })).rejects.toThrow();
      // A person dismisses only their own notice.
      await store.notices.dismiss('p2', 'w1-b1', 'h0', 'hidden');
      expect((await store.notices.of('p1')).map((n) => n.cardId)).toEqual(['h0', 'h1']);
      await store.notices.dismiss('p1', 'w1-b1', 'h0', 'hidden');
      expect((await store.notices.of('p1')).map((n) => n.cardId)).toEqual(['h1']);
      // The card is back on the board: everyone's notices of that kind about it go, no others.
      await store.boards.append([], [], [{ kind: 'removed', record: removal('h1') }]);
      await store.notices.deleteAbout('w1-b1', 'h1', 'hidden');
      expect(await store.notices.of('p2')).toEqual([]);
      expect(await store.notices.of('p1')).toEqual([
        { participantId: 'p1', boardId: 'w1-b1', cardId: 'h1', kind: 'removed', createdAt: 10 }
      ]);
    });

    it("[ST31] deleting a person deletes their notices and the removed cards they wrote, nobody else's; deleting a workshop deletes all of its own", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.people.add({ ...ann, id: 'p3', workshopId: 'w2' }, 'hash3');
      await store.boards.append(
        [],
        [],
        [
          { kind: 'removed', record: removal('of-ann') },
          { kind: 'removed', record: removal('of-bo', { authorId: 'p2' }) },
          { kind: 'removed', record: removal('nameless', { authorId: null }) },
          { kind: 'removed', record: removal('in-w2', { boardId: 'w2-b1', authorId: 'p3' }) }
        ]
      );
      await store.notices.add({ participantId: 'p1', boardId: 'w1-b1', cardId: 'h', kind: 'hidden', createdAt: 1 });
      await store.people.delete('p1');
      expect(await store.notices.of('p1')).toEqual([]);
      expect((await store.removed.list('w1')).map((r) => r.cardId)).toEqual(['of-bo', 'nameless']);
      expect((await store.notices.of('p2')).map((n) => n.cardId)).toEqual(['of-bo']);
      await store.workshops.delete('w1');
      expect(await store.removed.list('w1')).toEqual([]);
      expect(await store.removed.get('w1-b1', 'nameless')).toBeNull();
      expect(await store.notices.of('p2')).toEqual([]);
      expect((await store.removed.list('w2')).map((r) => r.cardId)).toEqual(['in-w2']);
      expect((await store.notices.of('p3')).map((n) => n.cardId)).toEqual(['in-w2']);
    });

    it('[ST32] hands out copies of removed cards and notices', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.boards.append([], [], [{ kind: 'removed', record: removal('c1') }]);
      const got = (await store.removed.get('w1-b1', 'c1'))!;
      got.card.fields.text = { kind: 'text', value: 'changed' };
      got.authorId = null;
      (await store.removed.list('w1'))[0].card.fields.lane = { kind: 'json', value: 'solutions' };
      (await store.notices.of('p1'))[0].kind = 'hidden';
      expect(await store.removed.get('w1-b1', 'c1')).toEqual(removal('c1'));
      expect((await store.notices.of('p1'))[0].kind).toBe('removed');
    });

    /** A workshop made from an archive: a board with a first snapshot, a state, a closed vote. */
    const withContents = (id: string, code: string, boardText: string) => {
      const base = workshopFixture(id, code);
      const closed = {
        ...vote(`${id}-v1`, { workshopId: id, boardId: `${id}-b1`, closedAt: 20 }),
        closedAt: 20,
        labels: { c1: 'First', c2: null, 'theme:t1': 'A theme' },
        summary: {
          groups: [
            { role: 'member' as const, eligible: 4, voters: 3, shown: 'own' as const },
            { role: 'decisionMaker' as const, eligible: 1, voters: 0, shown: 'own' as const },
            { role: 'facilitator' as const, eligible: 1, voters: 0, shown: 'own' as const }
          ],
          tallies: [
            { unit: 'member' as const, itemId: 'c1', votes: 4, backers: 3 },
            { unit: 'all' as const, itemId: 'c1', votes: 4, backers: 3 }
          ]
        }
      };
      const doc = new Y.Doc();
      doc.getText('t').insert(0, boardText);
      return {
        ...base,
        contents: {
          boards: [{ boardId: `${id}-b1`, snapshot: Y.encodeStateAsUpdate(doc) }],
          facilitation: JSON.stringify({ phases: [{ kind: 'welcome', title: 'Hello' }] }),
          votes: [closed]
        }
      };
    };
    const boardText = async (store: Store, boardId: string) => {
      const stored = await store.boards.load(boardId);
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      return doc.getText('t').toString();
    };

    it('[ST33] creates a workshop with its contents (from an archive): board snapshots, the facilitation state, closed votes', async () => {
      const store = await fresh();
      const input = withContents('w2', 'XYZ234', 'imported words');
      await store.workshops.create(input);
      expect(await boardText(store, 'w2-b1')).toBe('imported words');
      // Later updates go on top of the first snapshot, and compaction keeps both.
      await store.boards.append([{ boardId: 'w2-b1', update: textUpdate('!') }]);
      expect((await store.boards.load('w2-b1')).updates).toHaveLength(1);
      expect(await store.facilitation.get('w2')).toEqual({ json: input.contents.facilitation, version: 1 });
      await expect(store.facilitation.save('w2', '{}', 0)).rejects.toBeInstanceOf(VersionConflict);
      // Tallies come back in any order (SQLite: by their key).
      const byKey = (t: { unit: string; itemId: string }[]) =>
        [...t].sort((a, b) => `${a.unit}/${a.itemId}`.localeCompare(`${b.unit}/${b.itemId}`));
      const results = await store.votes.results('w2');
      const want = input.contents.votes[0];
      expect(results).toHaveLength(1);
      expect({ ...results[0], summary: { ...results[0].summary, tallies: byKey(results[0].summary.tallies) } }).toEqual({
        ...want,
        summary: { ...want.summary, tallies: byKey(want.summary.tallies) }
      });
      expect(await store.votes.openIn('w2')).toEqual([]);
      expect(await store.votes.voters('w2-v1')).toEqual([]);
      // Nothing of it reached the other workshop.
      expect(await store.votes.results('w1')).toEqual([]);
      expect(await store.facilitation.get('w1')).toBeNull();
      // Deleting it deletes its contents.
      await store.workshops.delete('w2');
      expect(await store.boards.load('w2-b1')).toEqual({ snapshot: null, updates: [], lastUpdateId: 0 });
      expect(await store.votes.results('w2')).toEqual([]);
      expect(await store.facilitation.get('w2')).toBeNull();
    });

    it('[ST34] a workshop whose contents cannot all be written leaves nothing behind, and what was stored before stays', async () => {
      const store = await fresh();
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('before') }]);
      const nothingOf = async (id: string) => {
        expect(await store.workshops.get(id)).toBeNull();
        expect(await store.workshops.boards(id)).toEqual([]);
        expect(await store.people.invites(id)).toEqual([]);
        expect(await store.facilitation.get(id)).toBeNull();
        expect(await store.votes.results(id)).toEqual([]);
        expect(await store.workshops.codeInUse('XYZ234')).toBe(false);
      };
      // Its second board's id is one already in use (by w1): the first board must not stay.
      const clash = withContents('w2', 'XYZ234', 'never');
      clash.boards.push({ id: 'w1-b1', workshopId: 'w2', title: 'Second', position: 1 });
      await expect(store.workshops.create(clash)).rejects.toThrow();
      await nothingOf('w2');
      expect(await store.workshops.board('w2-b1')).toBeNull();
      expect(await boardText(store, 'w2-b1')).toBe('');
      // A vote on a board that is not the new workshop's (w1's board).
      const foreign = withContents('w2', 'XYZ234', 'never');
      foreign.contents.votes[0] = { ...foreign.contents.votes[0], boardId: 'w1-b1' };
      await expect(store.workshops.create(foreign)).rejects.toThrow();
      await nothingOf('w2');
      expect(await store.votes.results('w1')).toEqual([]);
      // A vote id already in use.
      await store.workshops.create(withContents('w3', 'QRS234', 'kept'));
      const again = withContents('w2', 'XYZ234', 'never');
      again.contents.votes[0] = { ...again.contents.votes[0], id: 'w3-v1', workshopId: 'w2' };
      await expect(store.workshops.create(again)).rejects.toThrow();
      await nothingOf('w2');
      // What was there before is as it was.
      expect(await boardText(store, 'w1-b1')).toBe('before');
      expect(await boardText(store, 'w3-b1')).toBe('kept');
      expect((await store.votes.results('w3')).map((v) => v.id)).toEqual(['w3-v1']);
    });

    const noSupport = { cards: 0, people: 0, withoutName: 0, missing: 0, votes: [] };
    const version = (boardId = 'w1-b1', agreedAt = 40): Omit<AgreedVersion, 'number'> => ({
      boardId,
      agreedAt,
      consentId: null,
      points: [
        {
          id: 'k1',
          text: 'Buses after 6pm',
          support: { ...noSupport, cards: 2, people: 1, withoutName: 1 },
          sources: [
            { id: 'c1', kind: 'card', text: 'No bus after 6', lane: 'problems' },
            { id: 'theme:t1', kind: 'theme', text: 'Getting there', lane: null, cards: 3 }
          ]
        }
      ]
    });
    /** A stand-in for the domain's summariseConsent(): counts each answer, everyone together. */
    const countAnswers = (entries: ConsentEntry[]): VoteSummary =>
      countAll(entries.map((e) => ({ participantId: e.participantId, itemId: `${e.pointId}:${e.answer}`, count: 1 })));
    const round = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      workshopId: 'w1',
      boardId: 'w1-b1',
      points: [
        { id: 'k1', text: 'Buses after 6pm' },
        { id: 'k2', text: 'Peer coaches' }
      ],
      openedAt: 10,
      closedAt: null,
      ...extra
    });

    it('[ST19] marks participants as representatives and keeps it with them while they are members; new people are not', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo', representative: true }, 'hash2');
      expect((await store.people.get('p1'))?.representative).toBe(false);
      expect((await store.people.get('p2'))?.representative).toBe(true);
      await store.people.setRepresentative('p1', true);
      await store.people.setRepresentative('p2', false);
      expect((await store.people.list('w1')).map((p) => [p.id, p.representative])).toEqual([
        ['p1', true],
        ['p2', false]
      ]);
      expect((await store.people.bySession('hash1'))?.representative).toBe(true);
      // Representatives are members: a role change away from member takes the mark off with it,
      // and back to member it does not return by itself.
      await store.people.setRole('p1', 'member');
      expect((await store.people.get('p1'))?.representative).toBe(true);
      await store.people.setRole('p1', 'observer');
      expect(await store.people.get('p1')).toMatchObject({ role: 'observer', representative: false });
      await store.people.setRole('p1', 'member');
      expect((await store.people.get('p1'))?.representative).toBe(false);
    });

    it('[ST20] numbers agreed versions 1, 2... per board and gives them back exactly, by board and number', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      const first = await store.keyPoints.agree('w1', version());
      const second = await store.keyPoints.agree('w1', { ...version('w1-b1', 50), consentId: 'r1' });
      const other = await store.keyPoints.agree('w2', version('w2-b1'));
      expect([first.number, second.number, other.number]).toEqual([1, 2, 1]);
      const kept = await store.keyPoints.versions('w1');
      expect(kept.map((v) => [v.boardId, v.number, v.agreedAt, v.consentId])).toEqual([
        ['w1-b1', 1, 40, null],
        ['w1-b1', 2, 50, 'r1']
      ]);
      expect(kept[0]).toEqual({ ...version(), number: 1, workshopId: 'w1' });
      // Copies: changing what came back changes nothing kept.
      kept[0].points[0].text = 'Changed';
      expect((await store.keyPoints.versions('w1'))[0].points[0].text).toBe('Buses after 6pm');
      await expect(store.keyPoints.agree('w1', version('no-such-board'))).rejects.toThrow();
    });

    it("[ST21] forgetting cards' words takes them out of every agreed version of that board, and nothing else", async () => {
      const store = await fresh();
      await store.keyPoints.agree('w1', version());
      await store.keyPoints.agree('w1', version());
      await store.keyPoints.forgetSources('w1-b1', ['c1', 'not-a-source']);
      for (const v of await store.keyPoints.versions('w1')) {
        expect(v.points[0].sources.map((s) => [s.id, s.text])).toEqual([
          ['c1', null],
          ['theme:t1', 'Getting there']
        ]);
        expect(v.points[0].text).toBe('Buses after 6pm');
      }
    });

    it('[ST22] opens consent rounds, at most one open per board, and finds them by id and among open rounds', async () => {
      const store = await fresh();
      await store.consent.open(round('r1'));
      await expect(store.consent.open(round('r2'))).rejects.toThrow();
      expect(await store.consent.get('r1')).toEqual(round('r1'));
      expect((await store.consent.openIn('w1')).map((r) => r.id)).toEqual(['r1']);
      expect(await store.consent.get('nope')).toBeNull();
      await expect(store.consent.open(round('r3', { boardId: 'no-such-board' }))).rejects.toThrow();
    });

    it("[ST23] keeps each person's answers while the round is open (one per point, changed or taken back), and none once closed", async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.consent.open(round('r1'));
      expect(await store.consent.setAnswer('r1', 'p1', 'k1', 'agree')).toBe(true);
      expect(await store.consent.setAnswer('r1', 'p1', 'k1', 'object')).toBe(true);
      expect(await store.consent.setAnswer('r1', 'p1', 'k2', 'live')).toBe(true);
      expect(await store.consent.setAnswer('r1', 'p2', 'k2', 'agree')).toBe(true);
      expect(await store.consent.answers('r1', 'p1')).toEqual({ k1: 'object', k2: 'live' });
      expect(await store.consent.setAnswer('r1', 'p2', 'k2', null)).toBe(true);
      expect(await store.consent.answers('r1', 'p2')).toEqual({});
      expect(await store.consent.voters('r1')).toEqual(['p1']);
      await store.consent.close('r1', 20, countAnswers);
      expect(await store.consent.setAnswer('r1', 'p1', 'k1', 'agree')).toBe(false);
      expect(await store.consent.setAnswer('nope', 'p1', 'k1', 'agree')).toBe(false);
    });

    it('[ST24] closing a round deletes its answers and keeps only the totals, once', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.consent.open(round('r1'));
      await store.consent.setAnswer('r1', 'p1', 'k1', 'agree');
      await store.consent.setAnswer('r1', 'p2', 'k1', 'agree');
      await store.consent.setAnswer('r1', 'p2', 'k2', 'object');
      let seen: ConsentEntry[] = [];
      const closed = await store.consent.close('r1', 20, (entries) => {
        seen = entries;
        return countAnswers(entries);
      });
      expect(seen.map((e) => `${e.participantId}/${e.pointId}/${e.answer}`).sort()).toEqual(['p1/k1/agree', 'p2/k1/agree', 'p2/k2/object']);
      expect(closed?.closedAt).toBe(20);
      expect(closed?.summary.tallies.map((t) => [t.itemId, t.votes]).sort()).toEqual([
        ['k1:agree', 2],
        ['k2:object', 1]
      ]);
      expect(JSON.stringify(closed)).not.toMatch(/p1|p2/);
      expect(await store.consent.answers('r1', 'p2')).toEqual({});
      expect(await store.consent.voters('r1')).toEqual([]);
      expect(await store.consent.close('r1', 30, countAnswers)).toBeNull();
      const results = await store.consent.results('w1');
      expect(results).toHaveLength(1);
      expect(results[0]).toEqual(closed);
      expect(await store.consent.openIn('w1')).toEqual([]);
      // The board can have a new round now.
      await store.consent.open(round('r2', { openedAt: 30 }));
    });

    it("[ST25] deleting a person deletes their answers, nobody else's", async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.consent.open(round('r1'));
      await store.consent.setAnswer('r1', 'p1', 'k1', 'agree');
      await store.consent.setAnswer('r1', 'p2', 'k1', 'live');
      await store.people.delete('p1');
      expect(await store.consent.voters('r1')).toEqual(['p2']);
      expect(await store.consent.answers('r1', 'p1')).toEqual({});
      await expect(store.consent.setAnswer('r1', 'p1', 'k1', 'agree')).rejects.toThrow();
    });

    it('[ST26] deleting a workshop deletes its agreed versions and consent rounds with their answers, and only its own', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p3', workshopId: 'w2' }, 'hash3');
      await store.keyPoints.agree('w1', version());
      await store.keyPoints.agree('w2', version('w2-b1'));
      await store.consent.open(round('r1'));
      await store.consent.setAnswer('r1', 'p1', 'k1', 'agree');
      await store.consent.open(round('x', { workshopId: 'w2', boardId: 'w2-b1' }));
      await store.consent.setAnswer('x', 'p3', 'k1', 'agree');
      await store.workshops.delete('w1');
      expect(await store.keyPoints.versions('w1')).toEqual([]);
      expect(await store.consent.get('r1')).toBeNull();
      expect(await store.consent.answers('r1', 'p1')).toEqual({});
      expect(await store.consent.results('w1')).toEqual([]);
      expect(await store.keyPoints.versions('w2')).toHaveLength(1);
      expect(await store.consent.answers('x', 'p3')).toEqual({ k1: 'agree' });
    });

    /** A workshop made from an archive with two agreed versions and a closed consent round on its board. */
    const withAgreed = (id: string, code: string) => {
      const base = withContents(id, code, 'imported words');
      const boardId = `${id}-b1`;
      const closedRound = {
        ...round(`${id}-r1`, { workshopId: id, boardId, openedAt: 21 }),
        closedAt: 25,
        summary: countAnswers([
          { participantId: 'a', pointId: 'k1', answer: 'agree' },
          { participantId: 'b', pointId: 'k1', answer: 'agree' },
          { participantId: 'c', pointId: 'k2', answer: 'object' }
        ])
      };
      return {
        ...base,
        contents: {
          ...base.contents,
          agreed: [
            { ...version(boardId, 30), consentId: closedRound.id, number: 1, workshopId: id },
            { ...version(boardId, 35), consentId: closedRound.id, number: 2, workshopId: id }
          ],
          consent: [closedRound]
        }
      };
    };

    it('[ST43] creates a workshop with agreed versions and closed consent rounds among its contents, kept exactly as given', async () => {
      const store = await fresh();
      const input = withAgreed('w2', 'XYZ234');
      await store.workshops.create(input);
      expect(await store.keyPoints.versions('w2')).toEqual(input.contents.agreed);
      const byKey = (t: { unit: string; itemId: string }[]) =>
        [...t].sort((a, b) => `${a.unit}/${a.itemId}`.localeCompare(`${b.unit}/${b.itemId}`));
      const results = await store.consent.results('w2');
      expect(results).toHaveLength(1);
      expect({ ...results[0], summary: { ...results[0].summary, tallies: byKey(results[0].summary.tallies) } }).toEqual({
        ...input.contents.consent[0],
        summary: { ...input.contents.consent[0].summary, tallies: byKey(input.contents.consent[0].summary.tallies) }
      });
      expect(await store.consent.get('w2-r1')).toMatchObject({ closedAt: 25, boardId: 'w2-b1', workshopId: 'w2' });
      // Closed from the start: nobody's answers exist, and none can be given.
      expect(await store.consent.openIn('w2')).toEqual([]);
      expect(await store.consent.voters('w2-r1')).toEqual([]);
      await store.people.add({ ...ann, id: 'p2', workshopId: 'w2' }, 'hash2');
      expect(await store.consent.setAnswer('w2-r1', 'p2', 'k1', 'agree')).toBe(false);
      expect(await store.consent.answers('w2-r1', 'p2')).toEqual({});
      expect(await store.consent.close('w2-r1', 90, countAnswers)).toBeNull();
      // Nothing of it reached the other workshop.
      expect(await store.keyPoints.versions('w1')).toEqual([]);
      expect(await store.consent.results('w1')).toEqual([]);
    });

    it('[ST44] agreeing again follows the numbers a workshop came with; a new round can open; deleting the workshop deletes them', async () => {
      const store = await fresh();
      await store.workshops.create(withAgreed('w2', 'XYZ234'));
      expect((await store.keyPoints.agree('w2', version('w2-b1', 50))).number).toBe(3);
      expect((await store.keyPoints.agree('w1', version('w1-b1', 50))).number).toBe(1);
      expect((await store.keyPoints.versions('w2')).map((v) => v.number)).toEqual([1, 2, 3]);
      await store.consent.open(round('w2-r2', { workshopId: 'w2', boardId: 'w2-b1', openedAt: 60 }));
      expect((await store.consent.openIn('w2')).map((r) => r.id)).toEqual(['w2-r2']);
      // A writer's request to remove their cards reaches versions that came with the workshop.
      await store.keyPoints.forgetSources('w2-b1', ['c1']);
      for (const v of await store.keyPoints.versions('w2')) expect(v.points[0].sources[0]).toMatchObject({ id: 'c1', text: null });
      await store.workshops.delete('w2');
      expect(await store.keyPoints.versions('w2')).toEqual([]);
      expect(await store.consent.results('w2')).toEqual([]);
      expect(await store.consent.get('w2-r1')).toBeNull();
      expect((await store.keyPoints.versions('w1')).map((v) => v.number)).toEqual([1]);
    });

    it('[ST45] agreed versions or rounds that cannot all be written leave nothing of the workshop behind', async () => {
      const store = await fresh();
      await store.workshops.create(withAgreed('w3', 'QRS234'));
      const nothingOf = async (id: string) => {
        expect(await store.workshops.get(id)).toBeNull();
        expect(await store.workshops.boards(id)).toEqual([]);
        expect(await store.votes.results(id)).toEqual([]);
        expect(await store.keyPoints.versions(id)).toEqual([]);
        expect(await store.consent.results(id)).toEqual([]);
        expect(await store.workshops.codeInUse('XYZ234')).toBe(false);
      };
      const bad = (change: (input: ReturnType<typeof withAgreed>) => void) => {
        const input = withAgreed('w2', 'XYZ234');
        change(input);
        return input;
      };
      for (const input of [
        // A version on another workshop's board, or said to be another workshop's.
        bad((i) => (i.contents.agreed[1] = { ...i.contents.agreed[1], boardId: 'w1-b1' })),
        bad((i) => (i.contents.agreed[1] = { ...i.contents.agreed[1], workshopId: 'w1' })),
        // Two versions with one number on one board.
        bad((i) => (i.contents.agreed[1] = { ...i.contents.agreed[1], number: 1 })),
        // A round on another workshop's board, one whose id is in use, one that is still open.
        bad((i) => (i.contents.consent[0] = { ...i.contents.consent[0], boardId: 'w3-b1' })),
        bad((i) => (i.contents.consent[0] = { ...i.contents.consent[0], id: 'w3-r1' })),
        bad((i) => (i.contents.consent[0] = { ...i.contents.consent[0], closedAt: null as unknown as number }))
      ]) {
        await expect(store.workshops.create(input)).rejects.toThrow();
        await nothingOf('w2');
      }
      // What was there before is as it was.
      expect((await store.keyPoints.versions('w3')).map((v) => [v.boardId, v.number])).toEqual([
        ['w3-b1', 1],
        ['w3-b1', 2]
      ]);
      expect((await store.consent.results('w3')).map((r) => r.id)).toEqual(['w3-r1']);
      expect(await store.keyPoints.versions('w1')).toEqual([]);
    });

    it('[ST46] keeps copies of the agreed versions and rounds it was given, and hands out copies', async () => {
      const store = await fresh();
      const input = withAgreed('w2', 'XYZ234');
      const want = structuredClone(input.contents);
      await store.workshops.create(input);
      input.contents.agreed[0].points[0].text = 'Changed after';
      input.contents.consent[0].summary.tallies[0].votes = 99;
      const versions = await store.keyPoints.versions('w2');
      expect(versions).toEqual(want.agreed);
      versions[0].points[0].sources[0].text = 'Changed';
      (await store.consent.results('w2'))[0].points[0].text = 'Changed';
      expect(await store.keyPoints.versions('w2')).toEqual(want.agreed);
      expect((await store.consent.results('w2'))[0].points).toEqual(want.consent[0].points);
      expect((await store.consent.results('w2'))[0].summary.tallies.map((t) => t.votes).sort()).toEqual(
        want.consent[0].summary.tallies.map((t) => t.votes).sort()
      );
    });

    const presentLink = (token: string, workshopId = 'w1', createdAt = 5) => ({ token, workshopId, createdAt, revokedAt: null });

    it('[ST67] keeps the present link a workshop is given, finds it by its token, and keeps the first when asked twice', async () => {
      const store = await fresh();
      expect(await store.present.current('w1')).toBeNull();
      expect(await store.present.ensure(presentLink('w1-present-token-xxxxxxxxx'))).toEqual(presentLink('w1-present-token-xxxxxxxxx'));
      // A second ensure (another request at the same moment) keeps the link that works.
      expect((await store.present.ensure(presentLink('w1-present-other-xxxxxxxxx', 'w1', 6))).token).toBe('w1-present-token-xxxxxxxxx');
      expect(await store.present.current('w1')).toEqual(presentLink('w1-present-token-xxxxxxxxx'));
      expect(await store.present.byToken('w1-present-token-xxxxxxxxx')).toEqual(presentLink('w1-present-token-xxxxxxxxx'));
      expect(await store.present.byToken('w1-present-other-xxxxxxxxx')).toBeNull();
      await expect(store.present.ensure(presentLink('nowhere-present-token-xxxx', 'no-such-workshop'))).rejects.toThrow();
    });

    it('[ST68] replacing the present link turns the old one off (it stays known, as turned off) and the new one works', async () => {
      const store = await fresh();
      await store.present.ensure(presentLink('w1-present-token-xxxxxxxxx'));
      await store.present.replace(presentLink('w1-present-newer-xxxxxxxxx', 'w1', 9));
      expect(await store.present.current('w1')).toEqual(presentLink('w1-present-newer-xxxxxxxxx', 'w1', 9));
      expect(await store.present.byToken('w1-present-token-xxxxxxxxx')).toEqual({
        ...presentLink('w1-present-token-xxxxxxxxx'),
        revokedAt: 9
      });
      // Replacing when none works just stores it; a token in use is refused, changing nothing.
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.present.replace(presentLink('w2-present-token-xxxxxxxxx', 'w2'));
      expect((await store.present.current('w2'))?.token).toBe('w2-present-token-xxxxxxxxx');
      await expect(store.present.replace(presentLink('w1-present-newer-xxxxxxxxx', 'w2', 10))).rejects.toThrow();
      expect((await store.present.current('w2'))?.token).toBe('w2-present-token-xxxxxxxxx');
      expect((await store.present.current('w1'))?.token).toBe('w1-present-newer-xxxxxxxxx');
    });

    it("[ST69] a present link is its own workshop's only", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.present.ensure(presentLink('w1-present-token-xxxxxxxxx'));
      await store.present.ensure(presentLink('w2-present-token-xxxxxxxxx', 'w2'));
      await store.present.replace(presentLink('w1-present-newer-xxxxxxxxx', 'w1', 9));
      expect((await store.present.current('w2'))?.token).toBe('w2-present-token-xxxxxxxxx');
      expect((await store.present.byToken('w2-present-token-xxxxxxxxx'))?.revokedAt).toBeNull();
    });

    it('[ST70] a present token is no invite or session, and an invite token is no present link', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.present.ensure(presentLink('w1-present-token-xxxxxxxxx'));
      expect(await store.people.invite('w1-present-token-xxxxxxxxx')).toBeNull();
      expect(await store.people.bySession('w1-present-token-xxxxxxxxx')).toBeNull();
      expect(await store.present.byToken('w1-member-token-xxxxxxxxxxxx')).toBeNull();
      expect(await store.present.byToken('hash1')).toBeNull();
    });

    it('[ST71] deleting a workshop deletes its present links, old and new, and only its own', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.present.ensure(presentLink('w1-present-token-xxxxxxxxx'));
      await store.present.replace(presentLink('w1-present-newer-xxxxxxxxx', 'w1', 9));
      await store.present.ensure(presentLink('w2-present-token-xxxxxxxxx', 'w2'));
      await store.workshops.delete('w1');
      expect(await store.present.current('w1')).toBeNull();
      expect(await store.present.byToken('w1-present-token-xxxxxxxxx')).toBeNull();
      expect(await store.present.byToken('w1-present-newer-xxxxxxxxx')).toBeNull();
      expect((await store.present.current('w2'))?.token).toBe('w2-present-token-xxxxxxxxx');
    });

    it('[ST72] hands out copies of present links', async () => {
      const store = await fresh();
      const given = presentLink('w1-present-token-xxxxxxxxx');
      const kept = await store.present.ensure(given);
      given.createdAt = 99;
      kept.revokedAt = 99;
      (await store.present.current('w1'))!.revokedAt = 99;
      (await store.present.byToken('w1-present-token-xxxxxxxxx'))!.revokedAt = 99;
      expect(await store.present.current('w1')).toEqual(presentLink('w1-present-token-xxxxxxxxx'));
    });

    // ---- Forums (migration 12) ----------------------------------------------------------------

    const forum = (id: string, level: ForumRecord['level'] = 'local', createdAt = 5): ForumRecord => ({
      id,
      name: `Forum ${id}`,
      level,
      parentId: null,
      createdAt
    });
    const forumLink = (token: string, forumId: string, kind: ForumLinkRecord['kind'] = 'facilitator', createdAt = 5): ForumLinkRecord => ({
      token,
      forumId,
      kind,
      createdAt,
      revokedAt: null
    });
    const backing = (people: number): PointBacking => ({
      cards: people + 1,
      people,
      withoutName: 1,
      earlier: 0,
      votes: { total: 9, byGroup: { member: 6, decisionMaker: 3, facilitator: null } }
    });
    const shared = (id: string, forumId: string, extra: Partial<SharedPointRecord> = {}): SharedPointRecord => ({
      id,
      forumId,
      workshopId: 'w1',
      workshopTitle: 'T',
      boardId: 'w1-b1',
      pointId: `k-${id}`,
      version: 1,
      text: `Point ${id}`,
      agreedAt: 7,
      backing: backing(4),
      origins: [],
      sharedAt: 8,
      withdrawnAt: null,
      ...extra
    });

    it('[ST73] keeps a forum with its links, finds a link by its token, and a forum token is no invite, session or present link', async () => {
      const store = await fresh();
      await store.forums.create(forum('f1'), [forumLink('f1-facilitator-token-xxxxxx', 'f1')]);
      expect(await store.forums.get('f1')).toEqual(forum('f1'));
      expect(await store.forums.get('nope')).toBeNull();
      expect(await store.forums.link('f1-facilitator-token-xxxxxx')).toEqual(forumLink('f1-facilitator-token-xxxxxx', 'f1'));
      expect(await store.forums.link('w1-fac-token-xxxxxxxxxxxxxxx')).toBeNull();
      expect(await store.people.invite('f1-facilitator-token-xxxxxx')).toBeNull();
      expect(await store.present.byToken('f1-facilitator-token-xxxxxx')).toBeNull();
      // The same id or token twice is refused, changing nothing.
      await expect(store.forums.create(forum('f1', 'national'), [])).rejects.toThrow();
      await expect(store.forums.create(forum('f2'), [forumLink('f1-facilitator-token-xxxxxx', 'f2')])).rejects.toThrow();
      expect(await store.forums.get('f2')).toBeNull();
      expect((await store.forums.get('f1'))?.level).toBe('local');
    });

    it('[ST74] adds links of both kinds, lists them oldest first, and turns one off', async () => {
      const store = await fresh();
      await store.forums.create(forum('f1', 'regional'), [forumLink('f1-facilitator-token-xxxxxx', 'f1')]);
      await store.forums.addLink(forumLink('f1-child-token-xxxxxxxxxxxx', 'f1', 'child', 6));
      await expect(store.forums.addLink(forumLink('f9-child-token-xxxxxxxxxxxx', 'no-such-forum', 'child'))).rejects.toThrow();
      expect((await store.forums.links('f1')).map((l) => [l.kind, l.token])).toEqual([
        ['facilitator', 'f1-facilitator-token-xxxxxx'],
        ['child', 'f1-child-token-xxxxxxxxxxxx']
      ]);
      await store.forums.revokeLink('f1-child-token-xxxxxxxxxxxx', 9);
      await store.forums.revokeLink('f1-child-token-xxxxxxxxxxxx', 12);
      expect((await store.forums.link('f1-child-token-xxxxxxxxxxxx'))?.revokedAt).toBe(9);
      expect((await store.forums.link('f1-facilitator-token-xxxxxx'))?.revokedAt).toBeNull();
    });

    it("[ST75] sets and clears a parent, and lists a forum's children oldest first", async () => {
      const store = await fresh();
      await store.forums.create(forum('r1', 'regional', 1), []);
      await store.forums.create(forum('l2', 'local', 3), []);
      await store.forums.create(forum('l1', 'local', 2), []);
      await store.forums.setParent('l2', 'r1');
      await store.forums.setParent('l1', 'r1');
      expect((await store.forums.children('r1')).map((f) => f.id)).toEqual(['l1', 'l2']);
      expect((await store.forums.get('l1'))?.parentId).toBe('r1');
      await expect(store.forums.setParent('l1', 'no-such-forum')).rejects.toThrow();
      await store.forums.setParent('l1', null);
      expect((await store.forums.children('r1')).map((f) => f.id)).toEqual(['l2']);
      expect((await store.forums.get('l1'))?.parentId).toBeNull();
    });

    it('[ST76] a workshop belongs to one forum at most; its forum is found from the workshop', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.forums.create(forum('f1'), []);
      await store.forums.create(forum('f2'), []);
      expect(await store.forums.addWorkshop({ forumId: 'f1', workshopId: 'w2', addedAt: 4 })).toBe(true);
      expect(await store.forums.addWorkshop({ forumId: 'f1', workshopId: 'w1', addedAt: 3 })).toBe(true);
      expect(await store.forums.addWorkshop({ forumId: 'f2', workshopId: 'w1', addedAt: 5 })).toBe(false);
      expect(await store.forums.forumOf('w1')).toBe('f1');
      expect(await store.forums.forumOf('nope')).toBeNull();
      expect((await store.forums.workshops('f1')).map((w) => w.workshopId)).toEqual(['w1', 'w2']);
      expect(await store.forums.workshops('f2')).toEqual([]);
      await store.workshops.create(workshopFixture('w3', 'QRS234'));
      await expect(store.forums.addWorkshop({ forumId: 'no-such-forum', workshopId: 'w3', addedAt: 5 })).rejects.toThrow();
      expect(await store.forums.forumOf('w3')).toBeNull();
    });

    it('[ST77] shares a point once while it is live, keeps it withdrawn (not gone), and shares it anew after', async () => {
      const store = await fresh();
      await store.forums.create(forum('f1'), []);
      expect(await store.forums.share(shared('s1', 'f1'))).toEqual(shared('s1', 'f1'));
      // The same agreed point again: the first is kept, nothing more is stored.
      expect((await store.forums.share(shared('s2', 'f1', { pointId: 'k-s1' }))).id).toBe('s1');
      expect((await store.forums.sharedBy(['f1'])).map((p) => p.id)).toEqual(['s1']);
      expect(await store.forums.withdraw('s1', 20)).toEqual(shared('s1', 'f1', { withdrawnAt: 20 }));
      expect((await store.forums.withdraw('s1', 30))?.withdrawnAt).toBe(20);
      expect(await store.forums.withdraw('nope', 30)).toBeNull();
      expect((await store.forums.share(shared('s3', 'f1', { pointId: 'k-s1', sharedAt: 21 }))).id).toBe('s3');
      expect((await store.forums.sharedBy(['f1'])).map((p) => [p.id, p.withdrawnAt])).toEqual([
        ['s1', 20],
        ['s3', null]
      ]);
      await expect(store.forums.share(shared('s4', 'no-such-forum'))).rejects.toThrow();
    });

    it('[ST78] reads shared points by forum and by id, with their backing and origins exactly as shared', async () => {
      const store = await fresh();
      await store.forums.create(forum('f1'), []);
      await store.forums.create(forum('f2'), []);
      await store.forums.create(forum('r1', 'regional'), []);
      await store.forums.share(shared('a', 'f1', { sharedAt: 1 }));
      await store.forums.share(shared('b', 'f2', { sharedAt: 2, backing: backing(11) }));
      await store.forums.share(shared('c', 'r1', { sharedAt: 3, origins: ['a', 'b'] }));
      expect((await store.forums.sharedBy(['f1', 'f2'])).map((p) => p.id)).toEqual(['a', 'b']);
      expect(await store.forums.sharedBy([])).toEqual([]);
      const byId = await store.forums.sharedPoints(['c', 'b', 'nope', 'b']);
      expect(byId.map((p) => p.id).sort()).toEqual(['b', 'c']);
      expect(byId.find((p) => p.id === 'b')?.backing).toEqual(backing(11));
      expect(byId.find((p) => p.id === 'c')?.origins).toEqual(['a', 'b']);
    });

    it("[ST79] keeps rolled-up cards' sources, replaces them in one step (merge, unmerge), and refuses a board that is not there", async () => {
      const store = await fresh();
      const rollup = (cardId: string, sources: string[], createdAt = 5) => ({
        boardId: 'w1-b1',
        cardId,
        workshopId: 'w1',
        sources,
        createdAt
      });
      await store.forums.replaceRollups([], [rollup('c1', ['a'], 1), rollup('c2', ['b'], 2)]);
      expect(await store.forums.rollups('w1')).toEqual([rollup('c1', ['a'], 1), rollup('c2', ['b'], 2)]);
      await store.forums.replaceRollups(
        [
          { boardId: 'w1-b1', cardId: 'c1' },
          { boardId: 'w1-b1', cardId: 'c2' }
        ],
        [rollup('m1', ['a', 'b'], 3)]
      );
      expect(await store.forums.rollups('w1')).toEqual([rollup('m1', ['a', 'b'], 3)]);
      await expect(
        store.forums.replaceRollups([{ boardId: 'w1-b1', cardId: 'm1' }], [{ ...rollup('x', ['a']), boardId: 'no-such-board' }])
      ).rejects.toThrow();
      // A refusal changes nothing: the merged card is still there.
      expect(await store.forums.rollups('w1')).toEqual([rollup('m1', ['a', 'b'], 3)]);
    });

    it('[ST80] deleting a workshop takes its place in a forum and its rolled-up cards, and leaves the points its forum shared', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.forums.create(forum('f1'), []);
      await store.forums.addWorkshop({ forumId: 'f1', workshopId: 'w1', addedAt: 1 });
      await store.forums.addWorkshop({ forumId: 'f1', workshopId: 'w2', addedAt: 2 });
      await store.forums.share(shared('s1', 'f1'));
      await store.forums.replaceRollups([], [{ boardId: 'w1-b1', cardId: 'c1', workshopId: 'w1', sources: ['s9'], createdAt: 1 }]);
      await store.workshops.delete('w1');
      expect(await store.forums.forumOf('w1')).toBeNull();
      expect((await store.forums.workshops('f1')).map((w) => w.workshopId)).toEqual(['w2']);
      expect(await store.forums.rollups('w1')).toEqual([]);
      expect((await store.forums.sharedPoints(['s1']))[0]).toMatchObject({ workshopId: 'w1', workshopTitle: 'T', text: 'Point s1' });
    });

    it('[ST81] hands out copies of forums, links, shared points and rolled-up cards', async () => {
      const store = await fresh();
      const given = forum('f1');
      await store.forums.create(given, [forumLink('f1-facilitator-token-xxxxxx', 'f1')]);
      given.name = 'Changed';
      (await store.forums.get('f1'))!.name = 'Changed';
      (await store.forums.link('f1-facilitator-token-xxxxxx'))!.revokedAt = 1;
      const point = shared('s1', 'f1');
      const kept = await store.forums.share(point);
      point.origins.push('x');
      kept.backing.people = 99;
      (await store.forums.sharedBy(['f1']))[0].text = 'Changed';
      const sources = ['a'];
      await store.forums.replaceRollups([], [{ boardId: 'w1-b1', cardId: 'c1', workshopId: 'w1', sources, createdAt: 1 }]);
      sources.push('b');
      (await store.forums.rollups('w1'))[0].sources.push('c');
      expect((await store.forums.get('f1'))?.name).toBe('Forum f1');
      expect((await store.forums.link('f1-facilitator-token-xxxxxx'))?.revokedAt).toBeNull();
      expect((await store.forums.sharedPoints(['s1']))[0]).toEqual(shared('s1', 'f1'));
      expect((await store.forums.rollups('w1'))[0].sources).toEqual(['a']);
    });

    // ---- The question's background and check, and the glossary (migration 9) ----------------

    const check = (words: number, at = 50): QuestionCheck => ({
      readingAge: 9.5,
      readingEase: 71.2,
      words,
      longSentences: 0,
      jargon: 0,
      acronyms: words % 2,
      plain: words % 2 === 0,
      checkedAt: at
    });
    const entry = (id: string, term: string, extra: Partial<GlossaryRecord> = {}): GlossaryRecord => ({
      id,
      workshopId: 'w1',
      term,
      explanation: `What ${term} means`,
      createdAt: 10,
      updatedAt: 10,
      ...extra
    });

    it('[ST47] replaces the question and its background with their check in one write; a new workshop answers with an empty background', async () => {
      const store = await fresh();
      expect(await store.workshops.get('w1')).toMatchObject({ question: 'Q?', context: '', questionCheck: null });
      await store.workshops.setQuestion('w1', {
        question: 'How can we help?',
        context: 'First paragraph.\n\nSecond one.',
        check: check(7)
      });
      expect(await store.workshops.get('w1')).toMatchObject({
        question: 'How can we help?',
        context: 'First paragraph.\n\nSecond one.',
        questionCheck: check(7)
      });
      // A workshop made with its background and check answers with them.
      await store.workshops.create({
        ...workshopFixture('w2', 'XYZ234'),
        workshop: { ...workshopFixture('w2', 'XYZ234').workshop, context: 'Why we ask', questionCheck: check(3) }
      });
      expect(await store.workshops.get('w2')).toMatchObject({ context: 'Why we ask', questionCheck: check(3) });
      expect((await store.workshops.byCode('XYZ234'))?.context).toBe('Why we ask');
    });

    it('[ST48] adds and changes glossary entries (a change keeps when it was made), oldest first, and stores the check with each write', async () => {
      const store = await fresh();
      expect(await store.glossary.list('w1')).toEqual([]);
      await store.glossary.put(entry('g1', 'CSTR', { createdAt: 10 }), check(4, 11));
      await store.glossary.put(entry('g2', 'L&D', { createdAt: 12, updatedAt: 12 }), check(5, 12));
      expect((await store.workshops.get('w1'))?.questionCheck).toEqual(check(5, 12));
      await store.glossary.put(entry('g1', 'CSTRs', { explanation: 'Changed', createdAt: 99, updatedAt: 20 }), check(6, 20));
      expect(await store.glossary.list('w1')).toEqual([
        entry('g1', 'CSTRs', { explanation: 'Changed', createdAt: 10, updatedAt: 20 }),
        entry('g2', 'L&D', { createdAt: 12, updatedAt: 12 })
      ]);
      expect((await store.workshops.get('w1'))?.questionCheck).toEqual(check(6, 20));
    });

    it('[ST49] refuses a second entry of one term (any case, spacing or apostrophe) and an entry of no workshop, changing nothing', async () => {
      const store = await fresh();
      await store.glossary.put(entry('g1', "Carer's allowance"), check(4));
      for (const again of ["CARER'S ALLOWANCE", 'carer’s   allowance', ' Carer\u2019s allowance ']) {
        await expect(store.glossary.put(entry('g2', again), check(9))).rejects.toThrow();
      }
      await expect(store.glossary.put(entry('g3', 'ICB', { workshopId: 'nowhere' }), check(9))).rejects.toThrow();
      expect((await store.glossary.list('w1')).map((e) => e.id)).toEqual(['g1']);
      expect(await store.glossary.list('nowhere')).toEqual([]);
      expect((await store.workshops.get('w1'))?.questionCheck).toEqual(check(4));
      // Changing an entry to its own term in another case is no second entry.
      await store.glossary.put(entry('g1', "CARER'S ALLOWANCE"), check(5));
      expect((await store.glossary.list('w1'))[0].term).toBe("CARER'S ALLOWANCE");
    });

    it("[ST50] takes an entry out with the check; another workshop's entry or an unknown one is not taken, and nothing changes", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.glossary.put(entry('g1', 'CSTR'), check(4));
      await store.glossary.put(entry('g2', 'CSTR', { workshopId: 'w2' }), check(4));
      expect(await store.glossary.remove('w1', 'nope', check(8))).toBe(false);
      expect(await store.glossary.remove('w2', 'g1', check(8))).toBe(false);
      expect((await store.workshops.get('w1'))?.questionCheck).toEqual(check(4));
      expect((await store.workshops.get('w2'))?.questionCheck).toEqual(check(4));
      expect(await store.glossary.remove('w1', 'g1', check(6))).toBe(true);
      expect(await store.glossary.list('w1')).toEqual([]);
      expect((await store.glossary.list('w2')).map((e) => e.id)).toEqual(['g2']);
      expect((await store.workshops.get('w1'))?.questionCheck).toEqual(check(6));
    });

    it('[ST51] deleting a workshop deletes its glossary, and no other', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.glossary.put(entry('g1', 'CSTR'), check(4));
      await store.glossary.put(entry('g2', 'ICB', { workshopId: 'w2' }), check(4));
      await store.workshops.delete('w1');
      expect(await store.glossary.list('w1')).toEqual([]);
      expect((await store.glossary.list('w2')).map((e) => e.term)).toEqual(['ICB']);
      // A new workshop under the same id starts with none.
      await store.workshops.create(workshopFixture('w1', 'ABC234'));
      expect(await store.glossary.list('w1')).toEqual([]);
    });

    it('[ST52] creates a workshop with a glossary among its contents; one that repeats a term or names another workshop leaves nothing behind', async () => {
      const store = await fresh();
      const withGlossary = (id: string, code: string, glossary: GlossaryRecord[]) => ({
        ...workshopFixture(id, code),
        contents: { boards: [], facilitation: null, votes: [], glossary }
      });
      const good = [entry('g1', 'CSTR', { workshopId: 'w2' }), entry('g2', 'L&D', { workshopId: 'w2', createdAt: 11 })];
      await store.workshops.create(withGlossary('w2', 'XYZ234', good));
      expect(await store.glossary.list('w2')).toEqual(good);
      for (const bad of [
        [entry('g1', 'ICB', { workshopId: 'w3' }), entry('g2', 'icb', { workshopId: 'w3' })],
        [entry('g1', 'ICB', { workshopId: 'w3' }), entry('g1', 'MDT', { workshopId: 'w3' })],
        [entry('g1', 'ICB', { workshopId: 'w1' })]
      ]) {
        await expect(store.workshops.create(withGlossary('w3', 'QRS234', bad))).rejects.toThrow();
        expect(await store.workshops.get('w3')).toBeNull();
        expect(await store.glossary.list('w3')).toEqual([]);
        expect(await store.workshops.codeInUse('QRS234')).toBe(false);
      }
      expect(await store.glossary.list('w1')).toEqual([]);
    });

    it('[ST53] hands out copies of glossary entries and checks', async () => {
      const store = await fresh();
      const given = entry('g1', 'CSTR');
      const givenCheck = check(4);
      await store.glossary.put(given, givenCheck);
      given.term = 'Changed after';
      givenCheck.words = 99;
      const listed = await store.glossary.list('w1');
      expect(listed[0].term).toBe('CSTR');
      listed[0].explanation = 'Changed';
      const w = (await store.workshops.get('w1'))!;
      expect(w.questionCheck?.words).toBe(4);
      w.questionCheck!.words = 77;
      expect((await store.glossary.list('w1'))[0].explanation).toBe('What CSTR means');
      expect((await store.workshops.get('w1'))?.questionCheck?.words).toBe(4);
    });

    it("[ST54] keeps each workshop's glossary apart: the same term in two workshops, each workshop's list its own", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.glossary.put(entry('g1', 'CSTR'), check(4));
      await store.glossary.put(entry('g1', 'CSTR', { workshopId: 'w2', explanation: 'In w2' }), check(5));
      expect((await store.glossary.list('w1')).map((e) => [e.workshopId, e.explanation])).toEqual([['w1', 'What CSTR means']]);
      expect((await store.glossary.list('w2')).map((e) => [e.workshopId, e.explanation])).toEqual([['w2', 'In w2']]);
      expect((await store.workshops.get('w1'))?.questionCheck).toEqual(check(4));
      expect((await store.workshops.get('w2'))?.questionCheck).toEqual(check(5));
    });

    const recommendation = (id: string, extra: Partial<Recommendation> = {}): Omit<Recommendation, 'number'> => ({
      id,
      workshopId: 'w1',
      text: `Recommendation ${id}`,
      addressedTo: 'Head of Probation, North East',
      source: null,
      createdAt: 10,
      createdBy: 'decisionMaker',
      ...extra
    });
    const timelineEntry = (recommendationId: string, at: number, explanation = 'Because', workshopId = 'w1') => ({
      recommendationId,
      workshopId,
      at,
      by: 'decisionMaker' as const,
      change: { kind: 'status' as const, status: 'piloting' as const, explanation, corrects: null }
    });

    it("[ST55] numbers a workshop's recommendations 1, 2... and lists them by number; refuses one for a workshop that is not there", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      expect(await store.outcomes.create(recommendation('r1'))).toMatchObject({ id: 'r1', number: 1 });
      expect(await store.outcomes.create(recommendation('x1', { workshopId: 'w2' }))).toMatchObject({ number: 1 });
      const source = { kind: 'keyPoint' as const, boardId: 'w1-b1', pointId: 'k1', version: 2, words: 'Paid peer roles' };
      expect(await store.outcomes.create(recommendation('r2', { source }))).toEqual({ ...recommendation('r2', { source }), number: 2 });
      expect((await store.outcomes.list('w1')).map((r) => [r.id, r.number])).toEqual([
        ['r1', 1],
        ['r2', 2]
      ]);
      expect(await store.outcomes.get('r2')).toMatchObject({
        source,
        addressedTo: 'Head of Probation, North East',
        createdBy: 'decisionMaker'
      });
      expect(await store.outcomes.get('nope')).toBeNull();
      await expect(store.outcomes.create(recommendation('r3', { workshopId: 'w9' }))).rejects.toThrow();
      await expect(store.outcomes.create(recommendation('r1'))).rejects.toThrow();
      expect(await store.outcomes.list('w9')).toEqual([]);
    });

    it('[ST56] appends timeline entries numbered 1, 2... only after the last one it was told of; a late writer gets null and writes nothing', async () => {
      const store = await fresh();
      await store.outcomes.create(recommendation('r1'));
      await store.outcomes.create(recommendation('r2'));
      expect(await store.outcomes.append(timelineEntry('r1', 20, 'First'), 0)).toMatchObject({ seq: 1, at: 20, by: 'decisionMaker' });
      expect(await store.outcomes.append(timelineEntry('r2', 21), 0)).toMatchObject({ seq: 1 });
      expect(await store.outcomes.append(timelineEntry('r1', 22, 'Second'), 1)).toMatchObject({ seq: 2 });
      // Someone else's change got there first: nothing is written.
      expect(await store.outcomes.append(timelineEntry('r1', 23, 'Late'), 1)).toBeNull();
      expect(await store.outcomes.append(timelineEntry('r1', 23, 'Ahead'), 5)).toBeNull();
      const timeline = await store.outcomes.timeline('w1');
      expect(timeline.map((e) => [e.recommendationId, e.seq, e.change.kind === 'status' ? e.change.explanation : ''])).toEqual([
        ['r1', 1, 'First'],
        ['r1', 2, 'Second'],
        ['r2', 1, 'Because']
      ]);
      expect(timeline[0]).toEqual({ ...timelineEntry('r1', 20, 'First'), seq: 1 });
    });

    it("[ST57] refuses an entry for a recommendation that is not there, or said to be another workshop's", async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.outcomes.create(recommendation('r1'));
      await expect(store.outcomes.append(timelineEntry('nope', 20), 0)).rejects.toThrow();
      await expect(store.outcomes.append(timelineEntry('r1', 20, 'x', 'w2'), 0)).rejects.toThrow();
      expect(await store.outcomes.timeline('w1')).toEqual([]);
      expect(await store.outcomes.timeline('w2')).toEqual([]);
    });

    it('[ST58] of two appends after the same entry at once, exactly one is kept', async () => {
      const store = await fresh();
      await store.outcomes.create(recommendation('r1'));
      const got = await Promise.all([
        store.outcomes.append(timelineEntry('r1', 20, 'A'), 0),
        store.outcomes.append(timelineEntry('r1', 20, 'B'), 0)
      ]);
      expect(got.filter((e) => e !== null)).toHaveLength(1);
      expect(await store.outcomes.timeline('w1')).toHaveLength(1);
    });

    it("[ST59] says when a workshop's recommendations last changed: made, or an entry appended", async () => {
      const store = await fresh();
      expect(await store.outcomes.lastChange('w1')).toBeNull();
      await store.outcomes.create(recommendation('r1', { createdAt: 50 }));
      expect(await store.outcomes.lastChange('w1')).toBe(50);
      await store.outcomes.append(timelineEntry('r1', 70), 0);
      expect(await store.outcomes.lastChange('w1')).toBe(70);
      await store.outcomes.create(recommendation('r2', { createdAt: 60 }));
      expect(await store.outcomes.lastChange('w1')).toBe(70);
    });

    it("[ST60] forgets the words of removed cards in the sources of that board's recommendations only", async () => {
      const store = await fresh();
      const card = (cardId: string, boardId = 'w1-b1') => ({ kind: 'card' as const, boardId, cardId, words: `words of ${cardId}` });
      const point = { kind: 'keyPoint' as const, boardId: 'w1-b1', pointId: 'c1', version: 1, words: 'a point' };
      await store.outcomes.create(recommendation('r1', { source: card('c1') }));
      await store.outcomes.create(recommendation('r2', { source: card('c2') }));
      await store.outcomes.create(recommendation('r3', { source: point }));
      await store.outcomes.create(recommendation('r4', { source: card('c1', 'other-board') }));
      await store.outcomes.forgetSources('w1-b1', ['c1']);
      const sources = (await store.outcomes.list('w1')).map((r) => r.source?.words);
      expect(sources).toEqual([null, 'words of c2', 'a point', 'words of c1']);
      // The recommendation's own words stay: they are its maker's.
      expect((await store.outcomes.get('r1'))?.text).toBe('Recommendation r1');
    });

    it("[ST61] keeps each person's last look at the outcomes, and forgets it with them", async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      expect(await store.outcomes.visit('p1')).toBeNull();
      await store.outcomes.setVisit('p1', { seenAt: 10, since: null });
      await store.outcomes.setVisit('p1', { seenAt: 20, since: 10 });
      expect(await store.outcomes.visit('p1')).toEqual({ seenAt: 20, since: 10 });
      await expect(store.outcomes.setVisit('nobody', { seenAt: 1, since: null })).rejects.toThrow();
      await store.people.delete('p1');
      expect(await store.outcomes.visit('p1')).toBeNull();
    });

    it('[ST62] deleting a workshop deletes its recommendations, timelines and visits, and nothing of another workshop', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ234'));
      await store.people.add(ann, 'hash1');
      await store.outcomes.setVisit('p1', { seenAt: 10, since: null });
      await store.outcomes.create(recommendation('r1'));
      await store.outcomes.append(timelineEntry('r1', 20), 0);
      await store.outcomes.create(recommendation('x1', { workshopId: 'w2' }));
      await store.outcomes.append(timelineEntry('x1', 21, 'kept', 'w2'), 0);
      await store.workshops.delete('w1');
      expect(await store.outcomes.list('w1')).toEqual([]);
      expect(await store.outcomes.timeline('w1')).toEqual([]);
      expect(await store.outcomes.get('r1')).toBeNull();
      expect(await store.outcomes.visit('p1')).toBeNull();
      expect(await store.outcomes.lastChange('w1')).toBeNull();
      expect((await store.outcomes.list('w2')).map((r) => r.id)).toEqual(['x1']);
      expect((await store.outcomes.timeline('w2')).map((e) => e.seq)).toEqual([1]);
    });

    it('[ST63] keeps which workshop one follows and its group, and lists a group oldest first', async () => {
      const store = await fresh();
      expect(await store.workshops.get('w1')).toMatchObject({ after: null, group: null });
      const next = (id: string, code: string, after: string, createdAt: number) => {
        const f = workshopFixture(id, code);
        return { ...f, workshop: { ...f.workshop, createdAt, after, group: 'w1' } };
      };
      await store.workshops.create(next('w3', 'XYZ345', 'w2', 30));
      await store.workshops.create(next('w2', 'XYZ234', 'w1', 20));
      await store.workshops.create(workshopFixture('w4', 'XYZ456'));
      expect(await store.workshops.get('w2')).toMatchObject({ after: 'w1', group: 'w1' });
      expect((await store.workshops.group('w1')).map((w) => w.id)).toEqual(['w1', 'w2', 'w3']);
      expect((await store.workshops.group('w4')).map((w) => w.id)).toEqual(['w4']);
      expect(await store.workshops.group('nope')).toEqual([]);
    });

    it("[ST64] says when a workshop's boards last changed: their latest compaction or first snapshot", async () => {
      const store = await fresh();
      expect(await store.boards.lastChange('w1')).toBeNull();
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('one') }]);
      // Appends alone are not counted: a board's changes count once its room folds them into its snapshot.
      expect(await store.boards.lastChange('w1')).toBeNull();
      const before = Date.now();
      const loaded = await store.boards.load('w1-b1');
      const doc = new Y.Doc();
      for (const u of loaded.updates) Y.applyUpdate(doc, u);
      await store.boards.compact('w1-b1', Y.encodeStateAsUpdate(doc));
      const at = await store.boards.lastChange('w1');
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Date.now());
      const f = workshopFixture('w2', 'XYZ234');
      await store.workshops.create({
        ...f,
        contents: { boards: [{ boardId: 'w2-b1', snapshot: Y.encodeStateAsUpdate(doc) }], facilitation: null, votes: [] }
      });
      expect(await store.boards.lastChange('w2')).toBeGreaterThanOrEqual(before);
    });

    it('[ST65] hands out copies of recommendations, entries and visits', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      const source = { kind: 'card' as const, boardId: 'w1-b1', cardId: 'c1', words: 'card words' };
      const made = await store.outcomes.create(recommendation('r1', { source }));
      made.text = 'Changed';
      (made.source as { words: string }).words = 'Changed';
      const appended = (await store.outcomes.append(timelineEntry('r1', 20), 0))!;
      (appended.change as { explanation: string }).explanation = 'Changed';
      const listed = await store.outcomes.list('w1');
      listed[0].addressedTo = 'Changed';
      (await store.outcomes.timeline('w1'))[0].at = 0;
      await store.outcomes.setVisit('p1', { seenAt: 10, since: null });
      (await store.outcomes.visit('p1'))!.seenAt = 0;
      expect(await store.outcomes.get('r1')).toMatchObject({
        text: 'Recommendation r1',
        addressedTo: 'Head of Probation, North East',
        source
      });
      expect((await store.outcomes.timeline('w1'))[0]).toMatchObject({ at: 20, change: { explanation: 'Because' } });
      expect(await store.outcomes.visit('p1')).toEqual({ seenAt: 10, since: null });
    });

    // ---- Several writers on one board (issue 14: several server processes) ----------------------

    /** One writer's edit: a key of its own in the map `m`, so a merge keeps everyone's exactly. */
    const edit = (doc: Y.Doc, key: string): Uint8Array => {
      let captured: Uint8Array | null = null;
      doc.once('update', (u: Uint8Array) => (captured = u));
      doc.getMap('m').set(key, key);
      return captured!;
    };
    const keysOf = (stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): string[] => {
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      return [...doc.getMap('m').keys()].sort();
    };

    it('[ST110] compaction keeps every stored update, also those its snapshot does not hold (another writer stored them)', async () => {
      const store = await fresh();
      const mine = new Y.Doc();
      const theirs = new Y.Doc();
      // Another process stores its edit first; this one has not received it yet.
      await store.boards.append([{ boardId: 'w1-b1', update: edit(theirs, 'theirs-1') }]);
      await store.boards.append([{ boardId: 'w1-b1', update: edit(mine, 'mine-1') }]);
      await store.boards.compact('w1-b1', Y.encodeStateAsUpdate(mine));
      expect(keysOf(await store.boards.load('w1-b1'))).toEqual(['mine-1', 'theirs-1']);
      // A later compaction by the other writer, which never saw this one's edit, keeps it too.
      await store.boards.append([{ boardId: 'w1-b1', update: edit(theirs, 'theirs-2') }]);
      await store.boards.compact('w1-b1', Y.encodeStateAsUpdate(theirs));
      const loaded = await store.boards.load('w1-b1');
      expect(keysOf(loaded)).toEqual(['mine-1', 'theirs-1', 'theirs-2']);
      // Folded updates are gone from the log (they are in the snapshot).
      expect(loaded.updates).toEqual([]);
      expect(await store.boards.pendingCount('w1-b1')).toBe(0);
    });

    it('[ST113] of two saves of the facilitation state from the same version at once, exactly one wins', async () => {
      const store = await fresh();
      const other = opened!.another ? await opened!.another() : store;
      try {
        for (const expected of [0, 1]) {
          const saves = await Promise.allSettled([
            store.facilitation.save('w1', `{"by":"a","from":${expected}}`, expected),
            other.facilitation.save('w1', `{"by":"b","from":${expected}}`, expected)
          ]);
          const won = saves.filter((s) => s.status === 'fulfilled');
          expect(won).toHaveLength(1);
          expect(won[0].value).toBe(expected + 1);
          const lost = saves.find((s) => s.status === 'rejected') as PromiseRejectedResult;
          expect(lost.reason).toBeInstanceOf(VersionConflict);
          const kept = await other.facilitation.get('w1');
          expect(kept?.version).toBe(expected + 1);
          expect(JSON.parse(kept!.json)).toMatchObject({ from: expected });
        }
      } finally {
        if (other !== store) await other.close();
      }
    });

    if (severalWriters) {
      it('[ST111] two stores on one database appending at once while both compact lose nothing committed, and a load never misses a committed update', async () => {
        const a = await fresh();
        const b = await opened!.another!();
        try {
          const docA = new Y.Doc();
          const docB = new Y.Doc();
          const committed = new Set<string>();
          const writer = async (store: Store, doc: Y.Doc, name: string) => {
            for (let i = 0; i < 40; i++) {
              const key = `${name}-${i}`;
              await store.boards.append([{ boardId: 'w1-b1', update: edit(doc, key) }]);
              committed.add(key);
              // Each compacts now and then from its own document alone, as a process does.
              if (i % 7 === 3) await store.boards.compact('w1-b1', Y.encodeStateAsUpdate(doc));
            }
          };
          const reader = async () => {
            for (let i = 0; i < 15; i++) {
              const before = [...committed];
              const seen = new Set(keysOf(await b.boards.load('w1-b1')));
              const missing = before.filter((k) => !seen.has(k));
              expect(missing).toEqual([]);
            }
          };
          await Promise.all([writer(a, docA, 'a'), writer(b, docB, 'b'), reader()]);
          const all = keysOf(await a.boards.load('w1-b1'));
          expect(all).toHaveLength(80);
          expect(all).toEqual([...committed].sort());
        } finally {
          await b.close();
        }
      });
    }
    const timeOf = (participantId = 'p1', extra: Partial<InvolvementRecord> = {}): InvolvementRecord => ({
      participantId,
      workshopId: 'w1',
      name: 'Ann Smith',
      choice: 'payment',
      createdAt: 3,
      ...extra
    });

    it('[ST90] keeps an involvement record for a participant of its workshop only, once', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await expect(store.involvement.add(timeOf('nobody'))).rejects.toThrow();
      await expect(store.involvement.add(timeOf('p1', { workshopId: 'w2' }))).rejects.toThrow();
      await store.involvement.add(timeOf());
      await expect(store.involvement.add(timeOf('p1', { name: 'Again' }))).rejects.toThrow();
      expect(await store.involvement.get('p1')).toEqual({ ...timeOf(), intervals: [] });
      expect(await store.involvement.get('p2')).toBeNull();
      expect(await store.involvement.list('w1')).toEqual([{ ...timeOf(), intervals: [] }]);
    });

    it('[ST91] opens an interval only for someone with a record, one at a time, and closes it never before its start', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.involvement.add(timeOf());
      expect(await store.involvement.open('p2', 10)).toBe(false);
      expect(await store.involvement.open('p1', 10)).toBe(true);
      expect(await store.involvement.open('p1', 11)).toBe(false);
      await store.involvement.seen(['p1', 'p2'], 40);
      expect((await store.involvement.get('p1'))!.intervals).toEqual([{ start: 10, end: null, seenAt: 40 }]);
      expect(await store.involvement.close('p1', 70)).toBe(true);
      expect(await store.involvement.close('p1', 80)).toBe(false);
      expect(await store.involvement.open('p1', 100)).toBe(true);
      expect(await store.involvement.close('p1', 90)).toBe(true);
      expect((await store.involvement.get('p1'))!.intervals).toEqual([
        { start: 10, end: 70, seenAt: 40 },
        { start: 100, end: 100, seenAt: 100 }
      ]);
      expect(await store.involvement.get('p2')).toBeNull();
    });

    it('[ST92] closes intervals left open (a restart) where they were last seen', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.involvement.add(timeOf());
      await store.involvement.open('p1', 10);
      await store.involvement.seen(['p1'], 55);
      expect(await store.involvement.closeStale()).toBe(1);
      expect(await store.involvement.closeStale()).toBe(0);
      expect((await store.involvement.get('p1'))!.intervals).toEqual([{ start: 10, end: 55, seenAt: 55 }]);
    });

    it("[ST141] closes only the open intervals last seen before the moment given: another live process's stay open", async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.involvement.add(timeOf());
      await store.involvement.add(timeOf('p2', { name: 'Bo' }));
      await store.involvement.open('p1', 10);
      await store.involvement.open('p2', 10);
      await store.involvement.seen(['p1'], 20); // a process that died after this
      await store.involvement.seen(['p2'], 100); // a live one, beating
      expect(await store.involvement.closeStale(100)).toBe(1);
      expect((await store.involvement.get('p1'))!.intervals).toEqual([{ start: 10, end: 20, seenAt: 20 }]);
      expect((await store.involvement.get('p2'))!.intervals).toEqual([{ start: 10, end: null, seenAt: 100 }]);
      expect(await store.involvement.closeStale(100)).toBe(0);
      expect(await store.involvement.closeStale(101)).toBe(1);
    });

    it('[ST93] clearing deletes the record and its intervals, and nothing else; a cleared person gets no new intervals', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.involvement.add(timeOf());
      await store.involvement.add(timeOf('p2', { name: 'Bo Jones', choice: 'voucher', createdAt: 4 }));
      await store.involvement.open('p1', 10);
      await store.involvement.open('p2', 10);
      expect(await store.involvement.clear('p1')).toBe(true);
      expect(await store.involvement.clear('p1')).toBe(false);
      expect(await store.involvement.get('p1')).toBeNull();
      expect(await store.involvement.open('p1', 20)).toBe(false);
      expect(await store.involvement.get('p1')).toBeNull();
      expect((await store.involvement.list('w1')).map((r) => [r.participantId, r.intervals.length])).toEqual([['p2', 1]]);
      expect((await store.people.get('p1'))?.name).toBe('Ann');
    });

    it('[ST94] records go with their person (deleted) and with their workshop, and lists stay per workshop', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'XYZ789'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', name: 'Bo' }, 'hash2');
      await store.people.add({ ...ann, id: 'p3', workshopId: 'w2', name: 'Cy' }, 'hash3');
      await store.involvement.add(timeOf());
      await store.involvement.add(timeOf('p2', { createdAt: 4 }));
      await store.involvement.add(timeOf('p3', { workshopId: 'w2' }));
      await store.involvement.open('p2', 10);
      await store.people.delete('p1');
      expect(await store.involvement.get('p1')).toBeNull();
      expect((await store.involvement.list('w1')).map((r) => r.participantId)).toEqual(['p2']);
      await store.workshops.delete('w1');
      expect(await store.involvement.get('p2')).toBeNull();
      expect(await store.involvement.list('w1')).toEqual([]);
      expect((await store.involvement.list('w2')).map((r) => r.participantId)).toEqual(['p3']);
    });

    it('[ST95] hands out copies of involvement records', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      await store.involvement.add(timeOf());
      await store.involvement.open('p1', 10);
      const got = (await store.involvement.get('p1'))!;
      got.name = 'Changed';
      got.intervals[0].start = 0;
      (await store.involvement.list('w1'))[0].intervals.pop();
      expect(await store.involvement.get('p1')).toEqual({ ...timeOf(), intervals: [{ start: 10, end: null, seenAt: 10 }] });
    });

    const meeting = (id = 'm1', extra: Partial<MeetingRecord> = {}): MeetingRecord => ({
      id,
      forumId: 'fm',
      body: 'NHS England Health and Justice board',
      date: '2027-03-14',
      createdAt: 7,
      ...extra
    });
    const meetingPoint = (id: string, position: number, meetingId = 'm1'): MeetingPointRecord => ({
      meetingId,
      id,
      position,
      text: `Point ${id}`,
      provenance: '{"groups":[]}',
      agreed: null,
      boardSaid: null
    });
    const withForum = async () => {
      const store = await fresh();
      await store.forums.create({ id: 'fm', name: 'National forum', level: 'national', parentId: null, createdAt: 1 }, []);
      return store;
    };

    it("[ST96] keeps a meeting with its points in order, only for a forum that exists, and lists a forum's by date", async () => {
      const store = await withForum();
      await expect(store.meetings.create(meeting('mx', { forumId: 'nope' }), [])).rejects.toThrow();
      expect(await store.meetings.get('mx')).toBeNull();
      await store.meetings.create(meeting(), [meetingPoint('p2', 1), meetingPoint('p1', 0)]);
      await store.meetings.create(meeting('m0', { date: '2027-01-02' }), []);
      expect(await store.meetings.get('m1')).toEqual(meeting());
      expect((await store.meetings.points('m1')).map((p) => p.id)).toEqual(['p1', 'p2']);
      expect((await store.meetings.list('fm')).map((m) => m.id)).toEqual(['m0', 'm1']);
    });

    it("[ST97] sets and clears a point's agreed words and what the board said, each on its own; an unknown point is refused", async () => {
      const store = await withForum();
      await store.meetings.create(meeting(), [meetingPoint('p1', 0)]);
      expect(await store.meetings.setPoint('m1', 'p1', { agreed: 'Pay peer mentors' })).toBe(true);
      expect(await store.meetings.setPoint('m1', 'p1', { boardSaid: 'Funded from April' })).toBe(true);
      expect((await store.meetings.points('m1'))[0]).toMatchObject({ agreed: 'Pay peer mentors', boardSaid: 'Funded from April' });
      expect(await store.meetings.setPoint('m1', 'p1', { agreed: null })).toBe(true);
      expect((await store.meetings.points('m1'))[0]).toMatchObject({ agreed: null, boardSaid: 'Funded from April' });
      expect(await store.meetings.setPoint('m1', 'nope', { agreed: 'x' })).toBe(false);
    });

    it("[ST98] keeps comments on a meeting's points, anonymous ones with no person; a named one goes with its writer", async () => {
      const store = await withForum();
      await store.people.add(ann, 'hash1');
      await store.meetings.create(meeting(), [meetingPoint('p1', 0)]);
      const comment = (id: string, participantId: string | null, createdAt: number): MeetingCommentRecord => ({
        id,
        meetingId: 'm1',
        pointId: 'p1',
        participantId,
        name: participantId ? 'Ann' : null,
        text: `Comment ${id}`,
        createdAt
      });
      await expect(store.meetings.addComment({ ...comment('cx', null, 1), pointId: 'nope' })).rejects.toThrow();
      await store.meetings.addComment(comment('c2', null, 9));
      await store.meetings.addComment(comment('c1', 'p1', 8));
      expect((await store.meetings.comments('m1')).map((c) => [c.id, c.participantId, c.name])).toEqual([
        ['c1', 'p1', 'Ann'],
        ['c2', null, null]
      ]);
      await store.people.delete('p1');
      expect((await store.meetings.comments('m1')).map((c) => c.id)).toEqual(['c2']);
    });

    it('[ST99] hands out copies of meetings, points and comments', async () => {
      const store = await withForum();
      await store.meetings.create(meeting(), [meetingPoint('p1', 0)]);
      (await store.meetings.get('m1'))!.body = 'Changed';
      (await store.meetings.points('m1'))[0].text = 'Changed';
      expect((await store.meetings.get('m1'))!.body).toBe('NHS England Health and Justice board');
      expect((await store.meetings.points('m1'))[0].text).toBe('Point p1');
    });

    it('[ST140] an append refuses the entries marked unlessLocked for a board locked in the stored state, with their authors and removals, and keeps the rest', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'ABC235'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', workshopId: 'w2' }, 'hash2');
      const refused: string[] = [];
      // Not locked yet: stored.
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('before'), unlessLocked: true }], [], [], refused);
      expect(refused).toEqual([]);
      await store.facilitation.save('w1', JSON.stringify({ phaseIndex: 0, lockedBoards: ['w1-b1'] }), 0);
      const last = await store.boards.append(
        [
          { boardId: 'w1-b1', update: textUpdate('refused'), unlessLocked: true },
          { boardId: 'w2-b1', update: textUpdate('kept'), unlessLocked: true }
        ],
        [
          { boardId: 'w1-b1', cardId: 'c1', participantId: 'p1', createdAt: 5 },
          { boardId: 'w2-b1', cardId: 'c2', participantId: 'p2', createdAt: 5 }
        ],
        [{ kind: 'removed', record: removal('c9') }],
        refused
      );
      expect(refused).toEqual(['w1-b1']);
      expect(last).toBeGreaterThan(0);
      expect((await store.boards.load('w1-b1')).updates).toHaveLength(1);
      expect((await store.boards.load('w2-b1')).updates).toHaveLength(1);
      expect((await store.boards.authors('w1')).map((a) => a.cardId)).toEqual([]);
      expect((await store.boards.authors('w2')).map((a) => a.cardId)).toEqual(['c2']);
      expect(await store.removed.list('w1')).toEqual([]);
      // A facilitator's update (not marked) goes to a locked board.
      const again: string[] = [];
      await store.boards.append([{ boardId: 'w1-b1', update: textUpdate('facilitator') }], [], [], again);
      expect(again).toEqual([]);
      expect((await store.boards.load('w1-b1')).updates).toHaveLength(2);
    });

    it('[ST142] an append with no Removed cards refuses a locked board too, and only a state whose lockedBoards lists the board locks it', async () => {
      const store = await fresh();
      await store.workshops.create(workshopFixture('w2', 'ABC235'));
      await store.people.add(ann, 'hash1');
      await store.people.add({ ...ann, id: 'p2', workshopId: 'w2' }, 'hash2');
      const stored = async (workshopId: string, boardId: string, state: string, version: number) => {
        await store.facilitation.save(workshopId, state, version);
        const refused: string[] = [];
        const before = (await store.boards.load(boardId)).updates.length;
        await store.boards.append(
          [{ boardId, update: textUpdate(`edit ${version}`), unlessLocked: true }],
          [{ boardId, cardId: `c${version}`, participantId: workshopId === 'w1' ? 'p1' : 'p2', createdAt: 5 }],
          [],
          refused
        );
        return { refused, stored: (await store.boards.load(boardId)).updates.length - before };
      };
      expect(await stored('w1', 'w1-b1', JSON.stringify({ lockedBoards: ['w1-b1'] }), 0)).toEqual({ refused: ['w1-b1'], stored: 0 });
      expect((await store.boards.authors('w1')).map((a) => a.cardId)).toEqual([]);
      // Another board's id, an id it merely starts, a list that is not a list, state nobody can read: not locked.
      expect(await stored('w2', 'w2-b1', JSON.stringify({ lockedBoards: ['w2-b2', 'w2-b'] }), 0)).toEqual({ refused: [], stored: 1 });
      expect(await stored('w2', 'w2-b1', JSON.stringify({ lockedBoards: 'w2-b1' }), 1)).toEqual({ refused: [], stored: 1 });
      expect(await stored('w2', 'w2-b1', '{"lockedBoards": ["w2-b1"', 2)).toEqual({ refused: [], stored: 1 });
      expect(await stored('w2', 'w2-b1', JSON.stringify(['w2-b1']), 3)).toEqual({ refused: [], stored: 1 });
      expect((await store.boards.authors('w2')).map((a) => a.cardId).sort()).toEqual(['c0', 'c1', 'c2', 'c3']);
    });

    it('[ST13] hands out copies: changing a returned record changes nothing stored', async () => {
      const store = await fresh();
      await store.people.add(ann, 'hash1');
      const p = (await store.people.get('p1'))!;
      p.name = 'Changed';
      const w = (await store.workshops.get('w1'))!;
      w.title = 'Changed';
      expect((await store.people.get('p1'))?.name).toBe('Ann');
      expect((await store.workshops.get('w1'))?.title).toBe('T');
    });
  });
}
