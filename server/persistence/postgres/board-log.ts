// The board log in Postgres. An append is one transaction: the updates and card authors (one
// statement for the whole batch, with the lock check) and the Removed cards they caused; a board
// or person deleted while their edits waited is skipped inside the statements, so one deletion
// never fails the transaction carrying everyone else's edits. An edit is durable once its
// transaction commits (synchronous_commit on), so durable() has nothing left to wait for.
import type pg from 'pg';
import type { BoardLog, StoredBoard } from '../types';
import { foldBoard } from '../fold';
import { LOCK, bytes, first, lock, sql, transaction, type Queryable } from './db';

const q = {
  // An append's updates and card authors, with the lock check [ST140], in one statement: one round
  // trip, and when no Removed cards come with it, its own transaction (synchronous_commit on, so
  // the answer is the durable moment). `locks` takes FOR SHARE on the state rows of the boards
  // whose entries are marked unlessLocked ($3), in workshop order, before anything is decided for
  // them: every entry of such a board waits on `locks` (the NOT EXISTS reads it to the end unless
  // it finds the board locked, and a row is read only once locked). So a lock another process is
  // saving at this moment (an UPDATE of the row) either committed before that read, and is seen
  // (Postgres re-reads a row it waited for), or waits for this statement to commit: the edit is
  // then stored before the lock, as if it had arrived a moment earlier. Either way no process
  // stores an edit to a board that was locked before the edit's commit. WITH ORDINALITY keeps the
  // batch's order in the ids handed out. Answers the ids stored and the boards refused.
  append: sql<{ id: number | null; refused: string | null }>(
    `WITH locks AS (
       SELECT b.id AS board_id, roundtable_board_locked(s.state, b.id) AS locked
       FROM boards b JOIN workshop_state s ON s.workshop_id = b.workshop_id
       WHERE b.id = ANY($3::text[]) ORDER BY s.workshop_id FOR SHARE OF s
     ), stored AS (
       INSERT INTO board_updates (board_id, data)
       SELECT u.board_id, u.data FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS u(board_id, data, n)
       WHERE EXISTS (SELECT 1 FROM boards b WHERE b.id = u.board_id)
         AND NOT EXISTS (SELECT 1 FROM locks l WHERE l.board_id = u.board_id AND l.locked)
       ORDER BY u.n
       RETURNING id
     ), authors AS (
       INSERT INTO card_authors (board_id, card_id, participant_id, created_at)
       SELECT a.board_id, a.card_id, a.participant_id, a.created_at
       FROM unnest($4::text[], $5::text[], $6::text[], $7::bigint[]) AS a(board_id, card_id, participant_id, created_at)
       WHERE EXISTS (SELECT 1 FROM boards b WHERE b.id = a.board_id) AND EXISTS (SELECT 1 FROM participants p WHERE p.id = a.participant_id)
         AND NOT EXISTS (SELECT 1 FROM locks l WHERE l.board_id = a.board_id AND l.locked)
       ON CONFLICT (board_id, card_id) DO NOTHING
     )
     SELECT id, NULL AS refused FROM stored
     UNION ALL
     SELECT NULL, board_id FROM locks WHERE locked`
  ),
  // A card removed again replaces its earlier record, and goes to the end of the board's list.
  keepRemoved: sql(
    `INSERT INTO removed_cards (board_id, card_id, card, author_id, removed_by, removed_at)
     SELECT $1, $2, $3, $4, $5, $6
     WHERE EXISTS (SELECT 1 FROM boards WHERE id = $1) AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM participants WHERE id = $4))
     ON CONFLICT (board_id, card_id) DO UPDATE SET card = excluded.card, author_id = excluded.author_id,
       removed_by = excluded.removed_by, removed_at = excluded.removed_at,
       seq = nextval(pg_get_serial_sequence('removed_cards', 'seq'))`
  ),
  tellAuthor: sql(
    `INSERT INTO card_notices (participant_id, board_id, card_id, kind, created_at)
     SELECT $1, $2, $3, 'removed', $4
     WHERE EXISTS (SELECT 1 FROM boards WHERE id = $2) AND EXISTS (SELECT 1 FROM participants WHERE id = $1)
     ON CONFLICT (participant_id, board_id, card_id, kind) DO UPDATE SET created_at = excluded.created_at`
  ),
  dropRemoved: sql('DELETE FROM removed_cards WHERE board_id = $1 AND card_id = $2'),
  dropRemovedNotices: sql("DELETE FROM card_notices WHERE board_id = $1 AND card_id = $2 AND kind = 'removed'"),
  upsertSnapshot: sql(
    `INSERT INTO board_snapshots (board_id, data, upto_id, updated_at) SELECT $1, $2, $3, $4
     WHERE EXISTS (SELECT 1 FROM boards WHERE id = $1)
     ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, upto_id = excluded.upto_id, updated_at = excluded.updated_at`
  ),
  deleteFolded: sql('DELETE FROM board_updates WHERE id = ANY($1::bigint[])'),
  snapshotToFold: sql<{ data: Buffer; upto_id: number }>('SELECT data, upto_id FROM board_snapshots WHERE board_id = $1'),
  updatesToFold: sql<{ id: number; data: Buffer }>('SELECT id, data FROM board_updates WHERE board_id = $1 ORDER BY id'),
  firstSnapshot: sql('INSERT INTO board_snapshots (board_id, data, upto_id, updated_at) VALUES ($1, $2, 0, $3)'),
  // One statement, so it reads one moment of the tables: never a snapshot from before a
  // compaction with the updates left after it. Every update stored is unfolded (compaction
  // deletes what it folds), whatever its id.
  load: sql<{ snapshot: boolean; id: number; data: Buffer }>(
    `SELECT true AS snapshot, upto_id AS id, data FROM board_snapshots WHERE board_id = $1
     UNION ALL
     SELECT false AS snapshot, id, data FROM board_updates WHERE board_id = $1
     ORDER BY snapshot DESC, id`
  ),
  pendingCount: sql<{ n: number }>('SELECT COUNT(*) AS n FROM board_updates WHERE board_id = $1'),
  authors: sql<{ board_id: string; card_id: string; participant_id: string; created_at: number }>(
    'SELECT a.* FROM card_authors a JOIN boards b ON b.id = a.board_id WHERE b.workshop_id = $1'
  ),
  authorsOfBoard: sql<{ card_id: string; participant_id: string }>('SELECT card_id, participant_id FROM card_authors WHERE board_id = $1'),
  removedOfBoard: sql<{ card_id: string }>('SELECT card_id FROM removed_cards WHERE board_id = $1 ORDER BY removed_at, seq'),
  lastChange: sql<{ at: number | null }>(
    'SELECT MAX(s.updated_at) AS at FROM board_snapshots s JOIN boards b ON b.id = s.board_id WHERE b.workshop_id = $1'
  )
};

/** Writes a new board's first snapshot inside the transaction that creates the board (a workshop made from an archive). */
export async function writeFirstSnapshot(c: Queryable, boardId: string, snapshot: Uint8Array): Promise<void> {
  await q.firstSnapshot(c, [boardId, bytes(snapshot), Date.now()]);
}

export function postgresBoardLog(pool: pg.Pool): BoardLog {
  return {
    async append(all, allAuthors = [], allRemovals = [], refused) {
      if (!all.length && !allAuthors.length && !allRemovals.length) return 0;
      // Updates and authors in one statement; only Removed cards (rare) need a transaction around it.
      const store = async (c: Queryable) => {
        const rows = (
          await q.append(c, [
            all.map((b) => b.boardId),
            all.map((b) => bytes(b.update)),
            [...new Set(all.filter((b) => b.unlessLocked).map((b) => b.boardId))],
            allAuthors.map((a) => a.boardId),
            allAuthors.map((a) => a.cardId),
            allAuthors.map((a) => a.participantId),
            allAuthors.map((a) => a.createdAt)
          ])
        ).rows;
        let last = 0;
        const skip = new Set<string>();
        for (const r of rows) {
          if (r.refused !== null) skip.add(r.refused);
          else if (r.id !== null && r.id > last) last = r.id;
        }
        refused?.push(...skip);
        return { last, skip };
      };
      if (!allRemovals.length) return (await store(pool)).last;
      return transaction(pool, async (c) => {
        const { last, skip } = await store(c);
        // After the authors: a card written and removed by someone else within one batch has both.
        for (const change of allRemovals) {
          const boardId = change.kind === 'dropped' ? change.boardId : change.record.boardId;
          if (skip.has(boardId)) continue;
          if (change.kind === 'dropped') {
            await q.dropRemoved(c, [change.boardId, change.cardId]);
            await q.dropRemovedNotices(c, [change.boardId, change.cardId]);
            continue;
          }
          const r = change.record;
          await q.keepRemoved(c, [r.boardId, r.cardId, JSON.stringify(r.card), r.authorId, r.removedBy, r.removedAt]);
          if (r.authorId !== null) await q.tellAuthor(c, [r.authorId, r.boardId, r.cardId, r.removedAt]);
        }
        return last;
      });
    },
    // The commit was the durable moment: Postgres answered COMMIT only once its WAL was flushed.
    durable: async () => undefined,
    async load(boardId): Promise<StoredBoard> {
      const rows = (await q.load(pool, [boardId])).rows;
      const snap = rows[0]?.snapshot ? rows[0] : null;
      const updates = snap ? rows.slice(1) : rows;
      return {
        snapshot: snap ? new Uint8Array(snap.data) : null,
        updates: updates.map((r) => new Uint8Array(r.data)),
        lastUpdateId: updates.length ? updates[updates.length - 1].id : (snap?.id ?? 0)
      };
    },
    // Under the board's advisory lock (another process compacting the same board waits), from the
    // rows in the database: each statement here sees every update committed before it began, and
    // an update committed after the read below is not deleted, so it is kept for the next one.
    async compact(boardId, snapshot) {
      await transaction(pool, async (c) => {
        await lock(c, LOCK.board, boardId);
        const snap = await first(q.snapshotToFold(c, [boardId]));
        const rows = (await q.updatesToFold(c, [boardId])).rows;
        const data = foldBoard(
          snapshot,
          snap ? new Uint8Array(snap.data) : null,
          rows.map((r) => new Uint8Array(r.data))
        );
        const uptoId = Math.max(snap?.upto_id ?? 0, ...rows.map((r) => r.id));
        await q.upsertSnapshot(c, [boardId, bytes(data), uptoId, Date.now()]);
        if (rows.length) await q.deleteFolded(c, [rows.map((r) => r.id)]);
      });
    },
    pendingCount: async (boardId) => (await first(q.pendingCount(pool, [boardId])))?.n ?? 0,
    async cardRecords(boardId) {
      const [authors, removed] = await Promise.all([q.authorsOfBoard(pool, [boardId]), q.removedOfBoard(pool, [boardId])]);
      return {
        authors: authors.rows.map((r) => ({ cardId: r.card_id, participantId: r.participant_id })),
        removed: removed.rows.map((r) => r.card_id)
      };
    },
    lastChange: async (workshopId) => (await first(q.lastChange(pool, [workshopId])))?.at ?? null,
    authors: async (workshopId) =>
      (await q.authors(pool, [workshopId])).rows.map((r) => ({
        boardId: r.board_id,
        cardId: r.card_id,
        participantId: r.participant_id,
        createdAt: r.created_at
      }))
  };
}
