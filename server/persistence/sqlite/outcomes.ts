// Recommendations and their timelines in SQLite, on the main connection (synchronous = FULL:
// durable when the promise resolves). A timeline entry is one row, numbered per recommendation;
// append() numbers it in the same transaction that checks the last number, and a trigger refuses
// any UPDATE of an entry, so nothing in a timeline is ever rewritten. Nothing here names anyone:
// an entry keeps the role that made it.
import type Database from 'better-sqlite3';
import type { Recommendation, RecommendationSource, Visit } from '../../../src/lib/domain/outcomes';
import type { OutcomeStore, TimelineEntryRecord } from '../types';
import { type RecommendationRow, type EntryRow, toRecommendation, toEntry } from '../rows/outcomes';

export function sqliteOutcomes(db: Database.Database): OutcomeStore {
  const q = {
    nextNumber: db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM recommendations WHERE workshop_id = ?'),
    insert: db.prepare(
      `INSERT INTO recommendations (id, workshop_id, number, text, addressed_to, source, created_at, created_by)
       VALUES (@id, @workshopId, @number, @text, @addressedTo, @source, @createdAt, @createdBy)`
    ),
    get: db.prepare<[string], RecommendationRow>('SELECT * FROM recommendations WHERE id = ?'),
    list: db.prepare<[string], RecommendationRow>('SELECT * FROM recommendations WHERE workshop_id = ? ORDER BY number'),
    lastSeq: db.prepare<[string], { seq: number }>(
      'SELECT COALESCE(MAX(seq), 0) AS seq FROM recommendation_entries WHERE recommendation_id = ?'
    ),
    insertEntry: db.prepare(
      `INSERT INTO recommendation_entries (recommendation_id, seq, workshop_id, at, by_role, change)
       VALUES (@recommendationId, @seq, @workshopId, @at, @by, @change)`
    ),
    timeline: db.prepare<[string], EntryRow>(
      `SELECT e.* FROM recommendation_entries e JOIN recommendations r ON r.id = e.recommendation_id
       WHERE e.workshop_id = ? ORDER BY r.number, e.seq`
    ),
    lastChange: db.prepare<[string, string], { at: number | null }>(
      `SELECT MAX(at) AS at FROM (
         SELECT created_at AS at FROM recommendations WHERE workshop_id = ?
         UNION ALL SELECT at FROM recommendation_entries WHERE workshop_id = ?)`
    ),
    withSources: db.prepare<[string], RecommendationRow>(
      'SELECT r.* FROM recommendations r JOIN boards b ON b.workshop_id = r.workshop_id WHERE b.id = ? AND r.source IS NOT NULL'
    ),
    setSource: db.prepare('UPDATE recommendations SET source = @source WHERE id = @id'),
    visit: db.prepare<[string], { seen_at: number; since: number | null }>(
      'SELECT seen_at, since FROM outcome_visits WHERE participant_id = ?'
    ),
    setVisit: db.prepare(
      `INSERT INTO outcome_visits (participant_id, seen_at, since) VALUES (@participantId, @seenAt, @since)
       ON CONFLICT(participant_id) DO UPDATE SET seen_at = excluded.seen_at, since = excluded.since`
    )
  };

  const create = db.transaction((rec: Omit<Recommendation, 'number'>): Recommendation => {
    const number = q.nextNumber.get(rec.workshopId)!.n;
    q.insert.run({
      id: rec.id,
      workshopId: rec.workshopId,
      number,
      text: rec.text,
      addressedTo: rec.addressedTo,
      source: rec.source ? JSON.stringify(rec.source) : null,
      createdAt: rec.createdAt,
      createdBy: rec.createdBy
    });
    return toRecommendation(q.get.get(rec.id)!);
  });

  const append = db.transaction((entry: Omit<TimelineEntryRecord, 'seq'>, afterSeq: number): TimelineEntryRecord | null => {
    const rec = q.get.get(entry.recommendationId);
    if (!rec) throw new Error(`no recommendation ${entry.recommendationId}`);
    if (rec.workshop_id !== entry.workshopId)
      throw new Error(`recommendation ${entry.recommendationId} is not workshop ${entry.workshopId}'s`);
    if (q.lastSeq.get(entry.recommendationId)!.seq !== afterSeq) return null;
    const stored = { ...entry, seq: afterSeq + 1 };
    q.insertEntry.run({ ...stored, change: JSON.stringify(entry.change) });
    return stored;
  });

  const forgetSources = db.transaction((boardId: string, cardIds: readonly string[]) => {
    const gone = new Set(cardIds);
    for (const row of q.withSources.all(boardId)) {
      const source = JSON.parse(row.source!) as RecommendationSource;
      if (source.kind !== 'card' || source.boardId !== boardId || !gone.has(source.cardId) || source.words === null) continue;
      q.setSource.run({ id: row.id, source: JSON.stringify({ ...source, words: null }) });
    }
  });

  return {
    create: async (rec) => create(rec),
    async get(id) {
      const row = q.get.get(id);
      return row ? toRecommendation(row) : null;
    },
    list: async (workshopId) => q.list.all(workshopId).map(toRecommendation),
    append: async (entry, afterSeq) => append(entry, afterSeq),
    timeline: async (workshopId) => q.timeline.all(workshopId).map(toEntry),
    lastChange: async (workshopId) => q.lastChange.get(workshopId, workshopId)?.at ?? null,
    forgetSources: async (boardId, cardIds) => forgetSources(boardId, cardIds),
    async visit(participantId): Promise<Visit | null> {
      const row = q.visit.get(participantId);
      return row ? { seenAt: row.seen_at, since: row.since } : null;
    },
    setVisit: async (participantId, visit) => void q.setVisit.run({ participantId, seenAt: visit.seenAt, since: visit.since })
  };
}
