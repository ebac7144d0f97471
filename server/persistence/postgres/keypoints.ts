// Agreed key points and consent rounds in Postgres. An agreed version is numbered inside its
// transaction under a lock on its board, so two processes agreeing at once get 1 and 2, never
// both 1. A consent round's answers exist only while it is open: an answer is written only while
// the round's row is held open (FOR SHARE), and close() takes it FOR UPDATE, turns the answers into
// totals and deletes them in one transaction.
import type pg from 'pg';
import type { AgreedPoint } from '../../../src/lib/domain/agreed';
import type { ConsentAnswer, ConsentEntry } from '../../../src/lib/domain/consent';

import type { AgreedVersionRecord, ClosedConsentRecord, ConsentStore, KeyPointStore } from '../types';
import { LOCK, first, lock, sql, transaction, type Queryable } from './db';
import { type AgreedRow, type ConsentRow, toAgreed, toConsent, toClosed } from '../rows/keypoints';

const CONSENT = 'id, workshop_id, board_id, points, opened_at, closed_at, summary';

const q = {
  nextNumber: sql<{ n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM agreed_keypoints WHERE board_id = $1'),
  insertAgreed: sql(
    'INSERT INTO agreed_keypoints (board_id, number, workshop_id, agreed_at, points, consent_id) VALUES ($1, $2, $3, $4, $5, $6)'
  ),
  agreed: sql<AgreedRow>('SELECT * FROM agreed_keypoints WHERE workshop_id = $1 ORDER BY board_id COLLATE "C", number'),
  agreedOfBoard: sql<AgreedRow>('SELECT * FROM agreed_keypoints WHERE board_id = $1 ORDER BY number FOR UPDATE'),
  updatePoints: sql('UPDATE agreed_keypoints SET points = $3 WHERE board_id = $1 AND number = $2'),

  insertConsent: sql(
    'INSERT INTO consent_rounds (id, workshop_id, board_id, points, opened_at, closed_at, summary) VALUES ($1, $2, $3, $4, $5, $6, $7)'
  ),
  consent: sql<ConsentRow>(`SELECT ${CONSENT} FROM consent_rounds WHERE id = $1`),
  openIn: sql<ConsentRow>(`SELECT ${CONSENT} FROM consent_rounds WHERE workshop_id = $1 AND closed_at IS NULL ORDER BY opened_at, seq`),
  closedIn: sql<ConsentRow>(
    `SELECT ${CONSENT} FROM consent_rounds WHERE workshop_id = $1 AND closed_at IS NOT NULL ORDER BY opened_at, seq`
  ),
  holdOpen: sql('SELECT 1 FROM consent_rounds WHERE id = $1 AND closed_at IS NULL FOR SHARE'),
  lockOpen: sql('SELECT 1 FROM consent_rounds WHERE id = $1 AND closed_at IS NULL FOR UPDATE'),
  answers: sql<{ point_id: string; answer: string }>(
    'SELECT point_id, answer FROM consent_answers WHERE consent_id = $1 AND participant_id = $2'
  ),
  allAnswers: sql<{ participant_id: string; point_id: string; answer: string }>(
    'SELECT participant_id, point_id, answer FROM consent_answers WHERE consent_id = $1'
  ),
  voters: sql<{ participant_id: string }>(
    'SELECT DISTINCT participant_id FROM consent_answers WHERE consent_id = $1 ORDER BY participant_id'
  ),
  upsert: sql(
    `INSERT INTO consent_answers (consent_id, participant_id, point_id, answer) VALUES ($1, $2, $3, $4)
     ON CONFLICT (consent_id, participant_id, point_id) DO UPDATE SET answer = excluded.answer`
  ),
  remove: sql('DELETE FROM consent_answers WHERE consent_id = $1 AND participant_id = $2 AND point_id = $3'),
  markClosed: sql('UPDATE consent_rounds SET closed_at = $2, summary = $3 WHERE id = $1 AND closed_at IS NULL'),
  deleteAnswers: sql('DELETE FROM consent_answers WHERE consent_id = $1')
};

/** Writes an agreed version under the number it has, inside the transaction creating its workshop (from an archive). */
export async function writeAgreedVersion(c: Queryable, v: AgreedVersionRecord): Promise<void> {
  await q.insertAgreed(c, [v.boardId, v.number, v.workshopId, v.agreedAt, JSON.stringify(v.points), v.consentId]);
}

/** Writes a consent round that is already closed, with its totals, inside the transaction creating its workshop; an open one is refused. */
export async function writeClosedConsent(c: Queryable, r: ClosedConsentRecord): Promise<void> {
  if (typeof r.closedAt !== 'number') throw new Error(`consent round ${r.id} is not closed`);
  await q.insertConsent(c, [r.id, r.workshopId, r.boardId, JSON.stringify(r.points), r.openedAt, r.closedAt, JSON.stringify(r.summary)]);
}

export function postgresKeyPoints(pool: pg.Pool): { keyPoints: KeyPointStore; consent: ConsentStore } {
  return {
    keyPoints: {
      agree: (workshopId, v) =>
        transaction(pool, async (c) => {
          await lock(c, LOCK.board, v.boardId);
          const number = (await first(q.nextNumber(c, [v.boardId])))!.n;
          await q.insertAgreed(c, [v.boardId, number, workshopId, v.agreedAt, JSON.stringify(v.points), v.consentId]);
          return { ...structuredClone(v), workshopId, number };
        }),
      versions: async (workshopId) => (await q.agreed(pool, [workshopId])).rows.map(toAgreed),
      forgetSources: (boardId, cardIds) =>
        transaction(pool, async (c) => {
          const gone = new Set(cardIds);
          for (const row of (await q.agreedOfBoard(c, [boardId])).rows) {
            const points = JSON.parse(row.points) as AgreedPoint[];
            let changed = false;
            for (const p of points) {
              for (const s of p.sources) {
                if (s.kind === 'card' && gone.has(s.id) && s.text !== null) {
                  s.text = null;
                  changed = true;
                }
              }
            }
            if (changed) await q.updatePoints(c, [boardId, row.number, JSON.stringify(points)]);
          }
        })
    },
    consent: {
      open: async (r) =>
        void (await q.insertConsent(pool, [r.id, r.workshopId, r.boardId, JSON.stringify(r.points), r.openedAt, null, null])),
      async get(id) {
        const row = await first(q.consent(pool, [id]));
        return row ? toConsent(row) : null;
      },
      openIn: async (workshopId) => (await q.openIn(pool, [workshopId])).rows.map(toConsent),
      async answers(consentId, participantId) {
        const out: Record<string, ConsentAnswer> = {};
        for (const r of (await q.answers(pool, [consentId, participantId])).rows) out[r.point_id] = r.answer as ConsentAnswer;
        return out;
      },
      setAnswer: (consentId, participantId, pointId, answer) =>
        transaction(pool, async (c) => {
          if (!(await q.holdOpen(c, [consentId])).rowCount) return false;
          if (answer === null) await q.remove(c, [consentId, participantId, pointId]);
          else await q.upsert(c, [consentId, participantId, pointId, answer]);
          return true;
        }),
      voters: async (consentId) => (await q.voters(pool, [consentId])).rows.map((r) => r.participant_id),
      close: (consentId, closedAt, summarise) =>
        transaction(pool, async (c) => {
          if (!(await q.lockOpen(c, [consentId])).rowCount) return null;
          const entries: ConsentEntry[] = (await q.allAnswers(c, [consentId])).rows.map((a) => ({
            participantId: a.participant_id,
            pointId: a.point_id,
            answer: a.answer as ConsentAnswer
          }));
          const summary = summarise(entries);
          await q.markClosed(c, [consentId, closedAt, JSON.stringify(summary)]);
          await q.deleteAnswers(c, [consentId]);
          return toClosed((await first(q.consent(c, [consentId])))!);
        }),
      results: async (workshopId) => (await q.closedIn(pool, [workshopId])).rows.map(toClosed)
    }
  };
}
