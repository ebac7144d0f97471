// Dot votes in Postgres. Ballots live in vote_ballots only while their vote is open; close() turns
// them into totals (vote_groups, vote_tallies) and deletes them in one transaction. A ballot is
// written only while its vote's row is held open (FOR SHARE), and closing takes that row FOR
// UPDATE, so with several processes no ballot can land in a vote that has just closed.
import type pg from 'pg';
import {
  VOTING_ROLES,
  type BallotEntry,
  type GroupSummary,
  type TallyRow,
  type VoteSubject,
  type VoteSummary
} from '../../../src/lib/domain/votes';
import type { ClosedVoteRecord, VoteRecord, VoteStore } from '../types';
import { first, sql, transaction, type Queryable } from './db';

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

const VOTE = 'id, workshop_id, board_id, subject, items, votes_per_person, max_per_item, opened_at, closed_at, labels';

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

const q = {
  insert: sql(
    `INSERT INTO votes (id, workshop_id, board_id, subject, items, votes_per_person, max_per_item, opened_at, closed_at, labels)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
  ),
  get: sql<VoteRow>(`SELECT ${VOTE} FROM votes WHERE id = $1`),
  openIn: sql<VoteRow>(`SELECT ${VOTE} FROM votes WHERE workshop_id = $1 AND closed_at IS NULL ORDER BY opened_at, seq`),
  closedIn: sql<VoteRow>(`SELECT ${VOTE} FROM votes WHERE workshop_id = $1 AND closed_at IS NOT NULL ORDER BY opened_at, seq`),
  ballot: sql<{ item_id: string; count: number }>('SELECT item_id, count FROM vote_ballots WHERE vote_id = $1 AND participant_id = $2'),
  ballots: sql<{ participant_id: string; item_id: string; count: number }>(
    'SELECT participant_id, item_id, count FROM vote_ballots WHERE vote_id = $1'
  ),
  voters: sql<{ participant_id: string }>('SELECT DISTINCT participant_id FROM vote_ballots WHERE vote_id = $1 ORDER BY participant_id'),
  upsert: sql(
    `INSERT INTO vote_ballots (vote_id, participant_id, item_id, count)
     SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM votes WHERE id = $1 AND closed_at IS NULL FOR SHARE)
     ON CONFLICT (vote_id, participant_id, item_id) DO UPDATE SET count = excluded.count`
  ),
  remove: sql(
    `DELETE FROM vote_ballots WHERE vote_id = $1 AND participant_id = $2 AND item_id = $3
     AND EXISTS (SELECT 1 FROM votes WHERE id = $1 AND closed_at IS NULL FOR SHARE)`
  ),
  isOpen: sql('SELECT 1 FROM votes WHERE id = $1 AND closed_at IS NULL'),
  lockOpen: sql('SELECT 1 FROM votes WHERE id = $1 AND closed_at IS NULL FOR UPDATE'),
  markClosed: sql('UPDATE votes SET closed_at = $2, labels = $3 WHERE id = $1 AND closed_at IS NULL'),
  deleteBallots: sql('DELETE FROM vote_ballots WHERE vote_id = $1'),
  insertGroup: sql('INSERT INTO vote_groups (vote_id, role, eligible, voters, shown) VALUES ($1, $2, $3, $4, $5)'),
  insertTally: sql('INSERT INTO vote_tallies (vote_id, unit, item_id, votes, backers) VALUES ($1, $2, $3, $4, $5)'),
  groups: sql<{ role: string; eligible: number; voters: number; shown: string }>(
    'SELECT role, eligible, voters, shown FROM vote_groups WHERE vote_id = $1'
  ),
  tallies: sql<{ unit: string; item_id: string; votes: number; backers: number }>(
    'SELECT unit, item_id, votes, backers FROM vote_tallies WHERE vote_id = $1 ORDER BY unit COLLATE "C", item_id COLLATE "C"'
  )
};

async function writeTotals(c: Queryable, voteId: string, summary: VoteSummary): Promise<void> {
  for (const g of summary.groups) await q.insertGroup(c, [voteId, g.role, g.eligible, g.voters, g.shown]);
  for (const t of summary.tallies) await q.insertTally(c, [voteId, t.unit, t.itemId, t.votes, t.backers]);
}

/** Writes a vote that is already closed, with its totals and labels, inside the transaction creating its workshop (from an archive). */
export async function writeClosedVote(c: Queryable, v: ClosedVoteRecord): Promise<void> {
  await q.insert(c, [
    v.id,
    v.workshopId,
    v.boardId,
    JSON.stringify(v.subject),
    JSON.stringify(v.items),
    v.votesPerPerson,
    v.maxPerItem,
    v.openedAt,
    v.closedAt,
    JSON.stringify(v.labels)
  ]);
  await writeTotals(c, v.id, v.summary);
}

async function closedRecord(db: Queryable, row: VoteRow): Promise<ClosedVoteRecord> {
  const [groups, tallies] = [await q.groups(db, [row.id]), await q.tallies(db, [row.id])];
  return {
    ...toVote(row),
    closedAt: row.closed_at!,
    labels: row.labels ? (JSON.parse(row.labels) as Record<string, string | null>) : {},
    summary: {
      groups: groups.rows
        .map((g): GroupSummary => ({
          role: g.role as GroupSummary['role'],
          eligible: g.eligible,
          voters: g.voters,
          shown: g.shown as GroupSummary['shown']
        }))
        .sort((a, b) => roleOrder(a.role) - roleOrder(b.role)),
      tallies: tallies.rows.map((t): TallyRow => ({
        unit: t.unit as TallyRow['unit'],
        itemId: t.item_id,
        votes: t.votes,
        backers: t.backers
      }))
    }
  };
}

export function postgresVotes(pool: pg.Pool): VoteStore {
  return {
    open: async (v) =>
      void (await q.insert(pool, [
        v.id,
        v.workshopId,
        v.boardId,
        JSON.stringify(v.subject),
        JSON.stringify(v.items),
        v.votesPerPerson,
        v.maxPerItem,
        v.openedAt,
        null,
        null
      ])),
    async get(voteId) {
      const row = await first(q.get(pool, [voteId]));
      return row ? toVote(row) : null;
    },
    openIn: async (workshopId) => (await q.openIn(pool, [workshopId])).rows.map(toVote),
    async ballot(voteId, participantId) {
      const out: Record<string, number> = {};
      for (const r of (await q.ballot(pool, [voteId, participantId])).rows) out[r.item_id] = r.count;
      return out;
    },
    async setVotes(voteId, participantId, itemId, count) {
      if (count > 0) return (await q.upsert(pool, [voteId, participantId, itemId, count])).rowCount === 1;
      if ((await q.remove(pool, [voteId, participantId, itemId])).rowCount) return true;
      return (await q.isOpen(pool, [voteId])).rowCount! > 0;
    },
    // Each setVotes() resolved once its commit was flushed.
    durable: async () => undefined,
    voters: async (voteId) => (await q.voters(pool, [voteId])).rows.map((r) => r.participant_id),
    close: (voteId, closedAt, labels, summarise) =>
      transaction(pool, async (c) => {
        if (!(await q.lockOpen(c, [voteId])).rowCount) return null;
        const ballots: BallotEntry[] = (await q.ballots(c, [voteId])).rows.map((b) => ({
          participantId: b.participant_id,
          itemId: b.item_id,
          count: b.count
        }));
        const summary = summarise(ballots);
        await q.markClosed(c, [voteId, closedAt, JSON.stringify(labels)]);
        await writeTotals(c, voteId, summary);
        await q.deleteBallots(c, [voteId]);
        return closedRecord(c, (await first(q.get(c, [voteId])))!);
      }),
    async results(workshopId) {
      const rows = (await q.closedIn(pool, [workshopId])).rows;
      const out: ClosedVoteRecord[] = [];
      for (const row of rows) out.push(await closedRecord(pool, row));
      return out;
    }
  };
}
