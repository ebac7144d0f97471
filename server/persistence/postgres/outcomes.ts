// Recommendations and their timelines in Postgres. A recommendation is numbered under a lock on
// its workshop; a timeline entry is appended only if the timeline's last entry is still the one
// its writer saw, and of two writers at once the primary key lets one in (ON CONFLICT DO NOTHING
// answers the other "moved on"). A trigger refuses any UPDATE of an entry, as in SQLite.
import type pg from 'pg';
import type { RecommendationSource, Visit } from '../../../src/lib/domain/outcomes';
import type { OutcomeStore } from '../types';
import { LOCK, first, lock, sql, transaction } from './db';
import { type RecommendationRow, type EntryRow, toRecommendation, toEntry } from '../rows/outcomes';

const q = {
  nextNumber: sql<{ n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM recommendations WHERE workshop_id = $1'),
  insert: sql(
    `INSERT INTO recommendations (id, workshop_id, number, text, addressed_to, source, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
  ),
  get: sql<RecommendationRow>('SELECT * FROM recommendations WHERE id = $1'),
  list: sql<RecommendationRow>('SELECT * FROM recommendations WHERE workshop_id = $1 ORDER BY number'),
  append: sql(
    `INSERT INTO recommendation_entries (recommendation_id, seq, workshop_id, at, by_role, change)
     SELECT $1, $2::int + 1, $3, $4, $5, $6
     WHERE (SELECT COALESCE(MAX(seq), 0) FROM recommendation_entries WHERE recommendation_id = $1) = $2::int
     ON CONFLICT (recommendation_id, seq) DO NOTHING`
  ),
  timeline: sql<EntryRow>(
    `SELECT e.* FROM recommendation_entries e JOIN recommendations r ON r.id = e.recommendation_id
     WHERE e.workshop_id = $1 ORDER BY r.number, e.seq`
  ),
  lastChange: sql<{ at: number | null }>(
    `SELECT MAX(at) AS at FROM (
       SELECT created_at AS at FROM recommendations WHERE workshop_id = $1
       UNION ALL SELECT at FROM recommendation_entries WHERE workshop_id = $1) t`
  ),
  withSources: sql<RecommendationRow>(
    'SELECT r.* FROM recommendations r JOIN boards b ON b.workshop_id = r.workshop_id WHERE b.id = $1 AND r.source IS NOT NULL FOR UPDATE OF r'
  ),
  setSource: sql('UPDATE recommendations SET source = $2 WHERE id = $1'),
  visit: sql<{ seen_at: number; since: number | null }>('SELECT seen_at, since FROM outcome_visits WHERE participant_id = $1'),
  setVisit: sql(
    `INSERT INTO outcome_visits (participant_id, seen_at, since) VALUES ($1, $2, $3)
     ON CONFLICT (participant_id) DO UPDATE SET seen_at = excluded.seen_at, since = excluded.since`
  )
};

export function postgresOutcomes(pool: pg.Pool): OutcomeStore {
  return {
    create: (rec) =>
      transaction(pool, async (c) => {
        await lock(c, LOCK.recommendation, rec.workshopId);
        const number = (await first(q.nextNumber(c, [rec.workshopId])))!.n;
        await q.insert(c, [
          rec.id,
          rec.workshopId,
          number,
          rec.text,
          rec.addressedTo,
          rec.source ? JSON.stringify(rec.source) : null,
          rec.createdAt,
          rec.createdBy
        ]);
        return toRecommendation((await first(q.get(c, [rec.id])))!);
      }),
    async get(id) {
      const row = await first(q.get(pool, [id]));
      return row ? toRecommendation(row) : null;
    },
    list: async (workshopId) => (await q.list(pool, [workshopId])).rows.map(toRecommendation),
    async append(entry, afterSeq) {
      const rec = await first(q.get(pool, [entry.recommendationId]));
      if (!rec) throw new Error(`no recommendation ${entry.recommendationId}`);
      if (rec.workshop_id !== entry.workshopId)
        throw new Error(`recommendation ${entry.recommendationId} is not workshop ${entry.workshopId}'s`);
      const result = await q.append(pool, [
        entry.recommendationId,
        afterSeq,
        entry.workshopId,
        entry.at,
        entry.by,
        JSON.stringify(entry.change)
      ]);
      if (result.rowCount !== 1) return null;
      return { ...structuredClone(entry), seq: afterSeq + 1 };
    },
    timeline: async (workshopId) => (await q.timeline(pool, [workshopId])).rows.map(toEntry),
    lastChange: async (workshopId) => (await first(q.lastChange(pool, [workshopId])))?.at ?? null,
    forgetSources: (boardId, cardIds) =>
      transaction(pool, async (c) => {
        const gone = new Set(cardIds);
        for (const row of (await q.withSources(c, [boardId])).rows) {
          const source = JSON.parse(row.source!) as RecommendationSource;
          if (source.kind !== 'card' || source.boardId !== boardId || !gone.has(source.cardId) || source.words === null) continue;
          await q.setSource(c, [row.id, JSON.stringify({ ...source, words: null })]);
        }
      }),
    async visit(participantId): Promise<Visit | null> {
      const row = await first(q.visit(pool, [participantId]));
      return row ? { seenAt: row.seen_at, since: row.since } : null;
    },
    setVisit: async (participantId, visit) => void (await q.setVisit(pool, [participantId, visit.seenAt, visit.since]))
  };
}
