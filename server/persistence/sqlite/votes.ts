// Dot votes in SQLite. Ballots live in vote_ballots only while their vote is open; close() turns
// them into totals (vote_groups, vote_tallies) and deletes them in one transaction. secure_delete
// overwrites the deleted rows, and the session layer empties the write-ahead log straight after,
// so no ballot stays on disk beside its voter's id.
//
// A vote is the second hot write path (a forum of 1,000 casting within seconds), so ballots are
// written as board updates are: on the log connection (synchronous = NORMAL: a commit costs
// microseconds and never waits for the disk), made durable by durable(), one fdatasync of the
// write-ahead log off the event loop shared by every commit before it (wal-sync.ts). Everything
// else here is on the main connection (synchronous = FULL: durable when the promise resolves).
import type Database from 'better-sqlite3';
import {
  VOTING_ROLES,
  type BallotEntry,
  type GroupSummary,
  type TallyRow,
  type VoteSubject,
  type VoteSummary
} from '../../../src/lib/domain/votes';
import type { ClosedVoteRecord, VoteRecord, VoteStore } from '../types';
import type { WalSync } from './wal-sync';

interface VoteRow {
  id: string;
  workshop_id: string;
  board_id: string;
  subject: string;
  items: string;
  votes_per_person: number;
  max_per_item: number;
  opened_at: number;
  closed_at: number | null;
  labels: string | null;
}
interface GroupRow {
  role: string;
  eligible: number;
  voters: number;
  shown: string;
}
interface TallyRowRaw {
  unit: string;
  item_id: string;
  votes: number;
  backers: number;
}

const toVote = (r: VoteRow): VoteRecord => ({
  id: r.id,
  workshopId: r.workshop_id,
  boardId: r.board_id,
  subject: JSON.parse(r.subject) as VoteSubject,
  items: JSON.parse(r.items) as string[],
  votesPerPerson: r.votes_per_person,
  maxPerItem: r.max_per_item,
  openedAt: r.opened_at,
  closedAt: r.closed_at
});

const roleOrder = (role: string) => (VOTING_ROLES as readonly string[]).indexOf(role);

/**
 * Writes a vote that is already closed, with its totals and labels, on `db`, for a transaction
 * there that creates its workshop (from an archive). No ballot is ever written this way.
 */
export function closedVoteWriter(db: Database.Database): (vote: ClosedVoteRecord) => void {
  const insert = db.prepare(
    `INSERT INTO votes (id, workshop_id, board_id, subject, items, votes_per_person, max_per_item, opened_at, closed_at, labels)
     VALUES (@id, @workshopId, @boardId, @subject, @items, @votesPerPerson, @maxPerItem, @openedAt, @closedAt, @labels)`
  );
  const group = db.prepare(
    'INSERT INTO vote_groups (vote_id, role, eligible, voters, shown) VALUES (@voteId, @role, @eligible, @voters, @shown)'
  );
  const tally = db.prepare(
    'INSERT INTO vote_tallies (vote_id, unit, item_id, votes, backers) VALUES (@voteId, @unit, @itemId, @votes, @backers)'
  );
  return (v) => {
    insert.run({
      id: v.id,
      workshopId: v.workshopId,
      boardId: v.boardId,
      subject: JSON.stringify(v.subject),
      items: JSON.stringify(v.items),
      votesPerPerson: v.votesPerPerson,
      maxPerItem: v.maxPerItem,
      openedAt: v.openedAt,
      closedAt: v.closedAt,
      labels: JSON.stringify(v.labels)
    });
    for (const g of v.summary.groups) group.run({ voteId: v.id, role: g.role, eligible: g.eligible, voters: g.voters, shown: g.shown });
    for (const t of v.summary.tallies) tally.run({ voteId: v.id, unit: t.unit, itemId: t.itemId, votes: t.votes, backers: t.backers });
  };
}

export function sqliteVotes(db: Database.Database, log: Database.Database, committed: () => void, wal: WalSync): VoteStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO votes (id, workshop_id, board_id, subject, items, votes_per_person, max_per_item, opened_at)
       VALUES (@id, @workshopId, @boardId, @subject, @items, @votesPerPerson, @maxPerItem, @openedAt)`
    ),
    get: db.prepare<[string], VoteRow>('SELECT * FROM votes WHERE id = ?'),
    openIn: db.prepare<[string], VoteRow>('SELECT * FROM votes WHERE workshop_id = ? AND closed_at IS NULL ORDER BY opened_at, rowid'),
    closedIn: db.prepare<[string], VoteRow>(
      'SELECT * FROM votes WHERE workshop_id = ? AND closed_at IS NOT NULL ORDER BY opened_at, rowid'
    ),
    ballot: db.prepare<[string, string], { item_id: string; count: number }>(
      'SELECT item_id, count FROM vote_ballots WHERE vote_id = ? AND participant_id = ?'
    ),
    ballots: db.prepare<[string], { participant_id: string; item_id: string; count: number }>(
      'SELECT participant_id, item_id, count FROM vote_ballots WHERE vote_id = ?'
    ),
    voters: db.prepare<[string], { participant_id: string }>('SELECT DISTINCT participant_id FROM vote_ballots WHERE vote_id = ?'),
    upsert: log.prepare(
      `INSERT INTO vote_ballots (vote_id, participant_id, item_id, count)
       SELECT @voteId, @participantId, @itemId, @count WHERE EXISTS (SELECT 1 FROM votes WHERE id = @voteId AND closed_at IS NULL)
       ON CONFLICT(vote_id, participant_id, item_id) DO UPDATE SET count = excluded.count`
    ),
    remove: log.prepare(
      `DELETE FROM vote_ballots WHERE vote_id = @voteId AND participant_id = @participantId AND item_id = @itemId
       AND EXISTS (SELECT 1 FROM votes WHERE id = @voteId AND closed_at IS NULL)`
    ),
    isOpen: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM votes WHERE id = ? AND closed_at IS NULL'),
    markClosed: db.prepare('UPDATE votes SET closed_at = @closedAt, labels = @labels WHERE id = @voteId AND closed_at IS NULL'),
    deleteBallots: db.prepare('DELETE FROM vote_ballots WHERE vote_id = ?'),
    insertGroup: db.prepare(
      'INSERT INTO vote_groups (vote_id, role, eligible, voters, shown) VALUES (@voteId, @role, @eligible, @voters, @shown)'
    ),
    insertTally: db.prepare(
      'INSERT INTO vote_tallies (vote_id, unit, item_id, votes, backers) VALUES (@voteId, @unit, @itemId, @votes, @backers)'
    ),
    groups: db.prepare<[string], GroupRow>('SELECT role, eligible, voters, shown FROM vote_groups WHERE vote_id = ?'),
    tallies: db.prepare<[string], TallyRowRaw>('SELECT unit, item_id, votes, backers FROM vote_tallies WHERE vote_id = ?')
  };

  const closedRecord = (row: VoteRow): ClosedVoteRecord => ({
    ...toVote(row),
    closedAt: row.closed_at!,
    labels: row.labels ? (JSON.parse(row.labels) as Record<string, string | null>) : {},
    summary: {
      groups: q.groups
        .all(row.id)
        .map((g): GroupSummary => ({
          role: g.role as GroupSummary['role'],
          eligible: g.eligible,
          voters: g.voters,
          shown: g.shown as GroupSummary['shown']
        }))
        .sort((a, b) => roleOrder(a.role) - roleOrder(b.role)),
      tallies: q.tallies
        .all(row.id)
        .map((t): TallyRow => ({ unit: t.unit as TallyRow['unit'], itemId: t.item_id, votes: t.votes, backers: t.backers }))
    }
  });

  const close = db.transaction(
    (
      voteId: string,
      closedAt: number,
      labels: Record<string, string | null>,
      summarise: (ballots: BallotEntry[]) => VoteSummary
    ): ClosedVoteRecord | null => {
      if (!q.isOpen.get(voteId)) return null;
      const ballots = q.ballots.all(voteId).map((b) => ({ participantId: b.participant_id, itemId: b.item_id, count: b.count }));
      const summary = summarise(ballots);
      q.markClosed.run({ voteId, closedAt, labels: JSON.stringify(labels) });
      for (const g of summary.groups) q.insertGroup.run({ voteId, ...g });
      for (const t of summary.tallies) q.insertTally.run({ voteId, ...t });
      q.deleteBallots.run(voteId);
      return closedRecord(q.get.get(voteId)!);
    }
  );

  return {
    open: async (v) =>
      void q.insert.run({
        id: v.id,
        workshopId: v.workshopId,
        boardId: v.boardId,
        subject: JSON.stringify(v.subject),
        items: JSON.stringify(v.items),
        votesPerPerson: v.votesPerPerson,
        maxPerItem: v.maxPerItem,
        openedAt: v.openedAt
      }),
    async get(voteId) {
      const row = q.get.get(voteId);
      return row ? toVote(row) : null;
    },
    openIn: async (workshopId) => q.openIn.all(workshopId).map(toVote),
    async ballot(voteId, participantId) {
      const out: Record<string, number> = {};
      for (const r of q.ballot.all(voteId, participantId)) out[r.item_id] = r.count;
      return out;
    },
    async setVotes(voteId, participantId, itemId, count) {
      const args = { voteId, participantId, itemId, count };
      const changes = (count > 0 ? q.upsert : q.remove).run(args).changes;
      if (changes) committed();
      return count > 0 ? changes === 1 : q.isOpen.get(voteId) !== undefined;
    },
    durable: () => wal.durable(),
    voters: async (voteId) => q.voters.all(voteId).map((r) => r.participant_id),
    close: async (voteId, closedAt, labels, summarise) => close(voteId, closedAt, labels, summarise),
    results: async (workshopId) => q.closedIn.all(workshopId).map(closedRecord)
  };
}
