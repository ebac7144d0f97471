// The board log in SQLite: appends and compaction on the log connection (no fsync per commit;
// durable() syncs the write-ahead log once for every commit before it), reads on the main one.
// An append also carries the card authors and the Removed cards its updates caused, so a card
// someone deleted is kept in the very transaction that deletes it.
import type Database from 'better-sqlite3';
import type { BoardLog, CardAuthorRecord, RemovalChange, StoredBoard } from '../types';
import type { WalSync } from './wal-sync';
import { foldBoard } from '../fold';
import { lockedIn } from '../locked';

type Batch = ReadonlyArray<{ boardId: string; update: Uint8Array; unlessLocked?: boolean }>;

/**
 * Writes a new board's first snapshot on `db`, for a transaction there that creates the board
 * (a workshop made from an archive): nothing can be appending to a board that did not exist.
 */
export function firstSnapshotWriter(db: Database.Database): (boardId: string, snapshot: Uint8Array) => void {
  const insert = db.prepare('INSERT INTO board_snapshots (board_id, data, upto_id, updated_at) VALUES (@boardId, @data, 0, @now)');
  return (boardId, snapshot) => void insert.run({ boardId, data: snapshot, now: Date.now() });
}

export function sqliteBoardLog(db: Database.Database, log: Database.Database, committed: () => void, wal: WalSync): BoardLog {
  const q = {
    append: log.prepare('INSERT INTO board_updates (board_id, data) VALUES (@boardId, @data)'),
    insertAuthor: log.prepare(
      'INSERT OR IGNORE INTO card_authors (board_id, card_id, participant_id, created_at) VALUES (@boardId, @cardId, @participantId, @createdAt)'
    ),
    // The same, skipping a board or person deleted while their edits waited for this batch: the
    // slower path, taken only when the fast one hit a missing board or person (see append).
    appendIfBoard: log.prepare(
      'INSERT INTO board_updates (board_id, data) SELECT @boardId, @data WHERE EXISTS (SELECT 1 FROM boards WHERE id = @boardId)'
    ),
    insertAuthorIfThere: log.prepare(
      `INSERT OR IGNORE INTO card_authors (board_id, card_id, participant_id, created_at)
       SELECT @boardId, @cardId, @participantId, @createdAt
       WHERE EXISTS (SELECT 1 FROM boards WHERE id = @boardId) AND EXISTS (SELECT 1 FROM participants WHERE id = @participantId)`
    ),
    // Removed cards and their authors' notices, written with the deletion that caused them.
    keepRemoved: log.prepare(
      `INSERT OR REPLACE INTO removed_cards (board_id, card_id, card, author_id, removed_by, removed_at)
       VALUES (@boardId, @cardId, @card, @authorId, @removedBy, @removedAt)`
    ),
    tellAuthor: log.prepare(
      `INSERT OR REPLACE INTO card_notices (participant_id, board_id, card_id, kind, created_at)
       VALUES (@authorId, @boardId, @cardId, 'removed', @removedAt)`
    ),
    keepRemovedIfThere: log.prepare(
      `INSERT OR REPLACE INTO removed_cards (board_id, card_id, card, author_id, removed_by, removed_at)
       SELECT @boardId, @cardId, @card, @authorId, @removedBy, @removedAt
       WHERE EXISTS (SELECT 1 FROM boards WHERE id = @boardId)
         AND (@authorId IS NULL OR EXISTS (SELECT 1 FROM participants WHERE id = @authorId))`
    ),
    tellAuthorIfThere: log.prepare(
      `INSERT OR REPLACE INTO card_notices (participant_id, board_id, card_id, kind, created_at)
       SELECT @authorId, @boardId, @cardId, 'removed', @removedAt
       WHERE EXISTS (SELECT 1 FROM boards WHERE id = @boardId) AND EXISTS (SELECT 1 FROM participants WHERE id = @authorId)`
    ),
    // The board's stored facilitation state, read inside the append (one writer: nothing saves a
    // lock between this read and the commit) [ST140].
    stateOfBoard: log.prepare<[string], { state: string }>(
      'SELECT s.state FROM boards b JOIN workshop_state s ON s.workshop_id = b.workshop_id WHERE b.id = ?'
    ),
    dropRemoved: log.prepare('DELETE FROM removed_cards WHERE board_id = @boardId AND card_id = @cardId'),
    dropRemovedNotices: log.prepare("DELETE FROM card_notices WHERE board_id = @boardId AND card_id = @cardId AND kind = 'removed'"),
    upsertSnapshot: log.prepare(
      `INSERT INTO board_snapshots (board_id, data, upto_id, updated_at) VALUES (@boardId, @data, @uptoId, @now)
       ON CONFLICT(board_id) DO UPDATE SET data = excluded.data, upto_id = excluded.upto_id, updated_at = excluded.updated_at`
    ),
    deleteUpdate: log.prepare('DELETE FROM board_updates WHERE id = ?'),
    snapshotToFold: log.prepare<[string], { data: Buffer; upto_id: number }>(
      'SELECT data, upto_id FROM board_snapshots WHERE board_id = ?'
    ),
    updatesToFold: log.prepare<[string], { id: number; data: Buffer }>('SELECT id, data FROM board_updates WHERE board_id = ? ORDER BY id'),
    snapshot: db.prepare<[string], { data: Buffer; upto_id: number }>('SELECT data, upto_id FROM board_snapshots WHERE board_id = ?'),
    updates: db.prepare<[string], { id: number; data: Buffer }>('SELECT id, data FROM board_updates WHERE board_id = ? ORDER BY id'),
    pendingCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM board_updates WHERE board_id = ?'),
    authors: db.prepare<[string], { board_id: string; card_id: string; participant_id: string; created_at: number }>(
      'SELECT a.* FROM card_authors a JOIN boards b ON b.id = a.board_id WHERE b.workshop_id = ?'
    ),
    authorsOfBoard: db.prepare<[string], { card_id: string; participant_id: string }>(
      'SELECT card_id, participant_id FROM card_authors WHERE board_id = ?'
    ),
    removedOfBoard: db.prepare<[string], { card_id: string }>(
      'SELECT card_id FROM removed_cards WHERE board_id = ? ORDER BY removed_at, rowid'
    ),
    lastChange: db.prepare<[string], { at: number | null }>(
      'SELECT MAX(s.updated_at) AS at FROM board_snapshots s JOIN boards b ON b.id = s.board_id WHERE b.workshop_id = ?'
    )
  };

  type Statements = { append: Database.Statement; insertAuthor: Database.Statement; keep: Database.Statement; tell: Database.Statement };
  const fast: Statements = { append: q.append, insertAuthor: q.insertAuthor, keep: q.keepRemoved, tell: q.tellAuthor };
  const careful: Statements = {
    append: q.appendIfBoard,
    insertAuthor: q.insertAuthorIfThere,
    keep: q.keepRemovedIfThere,
    tell: q.tellAuthorIfThere
  };

  const appendWith = (st: Statements) =>
    log.transaction(
      (all: Batch, allAuthors: ReadonlyArray<CardAuthorRecord>, allRemovals: ReadonlyArray<RemovalChange>, refused?: string[]) => {
        const skip = new Set<string>();
        for (const { boardId, unlessLocked } of all) {
          if (!unlessLocked || skip.has(boardId)) continue;
          const row = q.stateOfBoard.get(boardId);
          if (row && lockedIn(row.state, boardId)) skip.add(boardId);
        }
        const batch = skip.size ? all.filter((b) => !skip.has(b.boardId)) : all;
        const authors = skip.size ? allAuthors.filter((a) => !skip.has(a.boardId)) : allAuthors;
        const removals = skip.size
          ? allRemovals.filter((c) => !skip.has(c.kind === 'dropped' ? c.boardId : c.record.boardId))
          : allRemovals;
        // Pushed only once this attempt got this far: the careful retry reads the same state again.
        if (refused) refused.length = 0;
        refused?.push(...skip);
        let last = 0;
        for (const { boardId, update } of batch) {
          const r = st.append.run({ boardId, data: update });
          if (r.changes) last = Number(r.lastInsertRowid);
        }
        for (const a of authors) st.insertAuthor.run(a);
        // After the authors: a card written and removed by someone else within one batch has both.
        for (const change of removals) {
          if (change.kind === 'dropped') {
            q.dropRemoved.run({ boardId: change.boardId, cardId: change.cardId });
            q.dropRemovedNotices.run({ boardId: change.boardId, cardId: change.cardId });
            continue;
          }
          const r = change.record;
          const row = {
            boardId: r.boardId,
            cardId: r.cardId,
            card: JSON.stringify(r.card),
            authorId: r.authorId,
            removedBy: r.removedBy,
            removedAt: r.removedAt
          };
          st.keep.run(row);
          if (r.authorId !== null) st.tell.run(row);
        }
        return last;
      }
    );
  const appendFast = appendWith(fast);
  const appendCareful = appendWith(careful);
  /**
   * One deletion must never fail the transaction that carries everyone else's edits: when the fast
   * path meets a board or person deleted while their edits waited (a foreign key), the whole batch
   * is written again skipping those (the failed transaction left nothing behind).
   */
  const appendTx = (
    batch: Batch,
    authors: ReadonlyArray<CardAuthorRecord>,
    removals: ReadonlyArray<RemovalChange>,
    refused?: string[]
  ): number => {
    const start = refused?.length ?? 0;
    const mine: string[] = [];
    try {
      return appendFast(batch, authors, removals, mine);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
      return appendCareful(batch, authors, removals, mine);
    } finally {
      refused?.splice(start, refused.length - start, ...mine);
    }
  };

  // On the log connection too: a compaction replaces updates by a snapshot of them in one
  // transaction, so if a power cut undoes it before the next sync, the updates are still there.
  // The log connection is the board log's one writer, and this runs without yielding, so nothing
  // is appended between reading the updates and deleting exactly those.
  const compactTx = log.transaction((boardId: string, snapshot: Uint8Array) => {
    const snap = q.snapshotToFold.get(boardId);
    const rows = q.updatesToFold.all(boardId);
    const data = foldBoard(
      snapshot,
      snap ? new Uint8Array(snap.data) : null,
      rows.map((r) => new Uint8Array(r.data))
    );
    const uptoId = Math.max(snap?.upto_id ?? 0, ...rows.map((r) => r.id));
    q.upsertSnapshot.run({ boardId, data, uptoId, now: Date.now() });
    for (const r of rows) q.deleteUpdate.run(r.id);
  });

  const loadTx = db.transaction((boardId: string): StoredBoard => {
    const snap = q.snapshot.get(boardId);
    const rows = q.updates.all(boardId);
    return {
      snapshot: snap ? new Uint8Array(snap.data) : null,
      updates: rows.map((r) => new Uint8Array(r.data)),
      lastUpdateId: rows.length ? rows[rows.length - 1].id : (snap?.upto_id ?? 0)
    };
  });

  return {
    async append(batch, authors = [], removals = [], refused) {
      if (!batch.length && !authors.length && !removals.length) return 0;
      const last = appendTx(batch, authors, removals, refused);
      committed();
      return last;
    },
    durable: () => wal.durable(),
    load: async (boardId) => loadTx(boardId),
    async compact(boardId, snapshot) {
      compactTx(boardId, snapshot);
    },
    pendingCount: async (boardId) => q.pendingCount.get(boardId)?.n ?? 0,
    cardRecords: async (boardId) => ({
      authors: q.authorsOfBoard.all(boardId).map((r) => ({ cardId: r.card_id, participantId: r.participant_id })),
      removed: q.removedOfBoard.all(boardId).map((r) => r.card_id)
    }),
    lastChange: async (workshopId) => q.lastChange.get(workshopId)?.at ?? null,
    authors: async (workshopId) =>
      q.authors
        .all(workshopId)
        .map((r) => ({ boardId: r.board_id, cardId: r.card_id, participantId: r.participant_id, createdAt: r.created_at }))
  };
}
