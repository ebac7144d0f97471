// Agreed key points and consent rounds in SQLite, on the main connection (synchronous = FULL:
// durable when the promise resolves). An agreed version is one row holding its points as JSON
// (words, sources with their words then, support counts: nothing that names anyone). A consent
// round keeps each person's answers in consent_answers only while it is open; close() turns them
// into totals (the round's `summary`, as JSON) and deletes them in one transaction, and the
// session layer empties the write-ahead log straight after, as for votes.
import type Database from 'better-sqlite3';
import type { AgreedPoint } from '../../../src/lib/domain/agreed';
import type { ConsentAnswer, ConsentEntry } from '../../../src/lib/domain/consent';
import type { VoteSummary } from '../../../src/lib/domain/votes';
import type { AgreedVersionRecord, ClosedConsentRecord, ConsentStore, KeyPointStore } from '../types';
import { type AgreedRow, type ConsentRow, toAgreed, toConsent, toClosed } from '../rows/keypoints';

/**
 * Writes an agreed version under the number it has (a workshop made from an archive), inside the
 * caller's transaction (workshops.create's): a number the board already has fails the primary key.
 */
export function agreedVersionWriter(db: Database.Database): (version: AgreedVersionRecord) => void {
  const insert = db.prepare(
    `INSERT INTO agreed_keypoints (board_id, number, workshop_id, agreed_at, points, consent_id)
     VALUES (@boardId, @number, @workshopId, @agreedAt, @points, @consentId)`
  );
  return (v) =>
    void insert.run({
      boardId: v.boardId,
      number: v.number,
      workshopId: v.workshopId,
      agreedAt: v.agreedAt,
      points: JSON.stringify(v.points),
      consentId: v.consentId
    });
}

/**
 * Writes a consent round that is already closed, with its totals (a workshop made from an
 * archive), inside the caller's transaction: it never had answers, and a round that is not
 * closed is refused, so none can be given to it.
 */
export function closedConsentWriter(db: Database.Database): (round: ClosedConsentRecord) => void {
  const insert = db.prepare(
    `INSERT INTO consent_rounds (id, workshop_id, board_id, points, opened_at, closed_at, summary)
     VALUES (@id, @workshopId, @boardId, @points, @openedAt, @closedAt, @summary)`
  );
  return (r) => {
    if (typeof r.closedAt !== 'number') throw new Error(`consent round ${r.id} is not closed`);
    insert.run({
      id: r.id,
      workshopId: r.workshopId,
      boardId: r.boardId,
      points: JSON.stringify(r.points),
      openedAt: r.openedAt,
      closedAt: r.closedAt,
      summary: JSON.stringify(r.summary)
    });
  };
}

export function sqliteKeyPoints(db: Database.Database): { keyPoints: KeyPointStore; consent: ConsentStore } {
  const q = {
    nextNumber: db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM agreed_keypoints WHERE board_id = ?'),
    insertAgreed: db.prepare(
      `INSERT INTO agreed_keypoints (board_id, number, workshop_id, agreed_at, points, consent_id)
       VALUES (@boardId, @number, @workshopId, @agreedAt, @points, @consentId)`
    ),
    agreed: db.prepare<[string], AgreedRow>('SELECT * FROM agreed_keypoints WHERE workshop_id = ? ORDER BY board_id, number'),
    agreedOfBoard: db.prepare<[string], AgreedRow>('SELECT * FROM agreed_keypoints WHERE board_id = ? ORDER BY number'),
    updatePoints: db.prepare('UPDATE agreed_keypoints SET points = @points WHERE board_id = @boardId AND number = @number'),

    insertConsent: db.prepare(
      'INSERT INTO consent_rounds (id, workshop_id, board_id, points, opened_at) VALUES (@id, @workshopId, @boardId, @points, @openedAt)'
    ),
    consent: db.prepare<[string], ConsentRow>('SELECT * FROM consent_rounds WHERE id = ?'),
    openIn: db.prepare<[string], ConsentRow>(
      'SELECT * FROM consent_rounds WHERE workshop_id = ? AND closed_at IS NULL ORDER BY opened_at, rowid'
    ),
    closedIn: db.prepare<[string], ConsentRow>(
      'SELECT * FROM consent_rounds WHERE workshop_id = ? AND closed_at IS NOT NULL ORDER BY opened_at, rowid'
    ),
    isOpen: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM consent_rounds WHERE id = ? AND closed_at IS NULL'),
    answers: db.prepare<[string, string], { point_id: string; answer: string }>(
      'SELECT point_id, answer FROM consent_answers WHERE consent_id = ? AND participant_id = ?'
    ),
    allAnswers: db.prepare<[string], { participant_id: string; point_id: string; answer: string }>(
      'SELECT participant_id, point_id, answer FROM consent_answers WHERE consent_id = ?'
    ),
    voters: db.prepare<[string], { participant_id: string }>('SELECT DISTINCT participant_id FROM consent_answers WHERE consent_id = ?'),
    upsert: db.prepare(
      `INSERT INTO consent_answers (consent_id, participant_id, point_id, answer) VALUES (@consentId, @participantId, @pointId, @answer)
       ON CONFLICT(consent_id, participant_id, point_id) DO UPDATE SET answer = excluded.answer`
    ),
    remove: db.prepare(
      'DELETE FROM consent_answers WHERE consent_id = @consentId AND participant_id = @participantId AND point_id = @pointId'
    ),
    markClosed: db.prepare('UPDATE consent_rounds SET closed_at = @closedAt, summary = @summary WHERE id = @id AND closed_at IS NULL'),
    deleteAnswers: db.prepare('DELETE FROM consent_answers WHERE consent_id = ?')
  };

  const agree = db.transaction((workshopId: string, v: Omit<AgreedVersionRecord, 'number' | 'workshopId'>): AgreedVersionRecord => {
    const number = q.nextNumber.get(v.boardId)!.n;
    q.insertAgreed.run({
      boardId: v.boardId,
      number,
      workshopId,
      agreedAt: v.agreedAt,
      points: JSON.stringify(v.points),
      consentId: v.consentId
    });
    return { ...v, workshopId, number };
  });

  const forgetSources = db.transaction((boardId: string, cardIds: readonly string[]) => {
    const gone = new Set(cardIds);
    for (const row of q.agreedOfBoard.all(boardId)) {
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
      if (changed) q.updatePoints.run({ boardId, number: row.number, points: JSON.stringify(points) });
    }
  });

  const setAnswer = db.transaction((consentId: string, participantId: string, pointId: string, answer: ConsentAnswer | null): boolean => {
    if (!q.isOpen.get(consentId)) return false;
    if (answer === null) q.remove.run({ consentId, participantId, pointId });
    else q.upsert.run({ consentId, participantId, pointId, answer });
    return true;
  });

  const close = db.transaction(
    (consentId: string, closedAt: number, summarise: (entries: ConsentEntry[]) => VoteSummary): ClosedConsentRecord | null => {
      if (!q.isOpen.get(consentId)) return null;
      const entries = q.allAnswers
        .all(consentId)
        .map((a) => ({ participantId: a.participant_id, pointId: a.point_id, answer: a.answer as ConsentAnswer }));
      const summary = summarise(entries);
      q.markClosed.run({ id: consentId, closedAt, summary: JSON.stringify(summary) });
      q.deleteAnswers.run(consentId);
      return toClosed(q.consent.get(consentId)!);
    }
  );

  return {
    keyPoints: {
      agree: async (workshopId, version) => agree(workshopId, version),
      versions: async (workshopId) => q.agreed.all(workshopId).map(toAgreed),
      forgetSources: async (boardId, cardIds) => forgetSources(boardId, cardIds)
    },
    consent: {
      open: async (r) =>
        void q.insertConsent.run({
          id: r.id,
          workshopId: r.workshopId,
          boardId: r.boardId,
          points: JSON.stringify(r.points),
          openedAt: r.openedAt
        }),
      async get(id) {
        const row = q.consent.get(id);
        return row ? toConsent(row) : null;
      },
      openIn: async (workshopId) => q.openIn.all(workshopId).map(toConsent),
      async answers(consentId, participantId) {
        const out: Record<string, ConsentAnswer> = {};
        for (const r of q.answers.all(consentId, participantId)) out[r.point_id] = r.answer as ConsentAnswer;
        return out;
      },
      setAnswer: async (consentId, participantId, pointId, answer) => setAnswer(consentId, participantId, pointId, answer),
      voters: async (consentId) => q.voters.all(consentId).map((r) => r.participant_id),
      close: async (consentId, closedAt, summarise) => close(consentId, closedAt, summarise),
      results: async (workshopId) => q.closedIn.all(workshopId).map(toClosed)
    }
  };
}
