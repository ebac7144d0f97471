// Involvement records in SQLite, on the main connection (synchronous = FULL: durable when the
// promise resolves). Two tables of their own, referring to the participant and nothing they
// wrote; both go with the person (their foreign keys cascade) and with the workshop.
import type Database from 'better-sqlite3';
import type { ThanksChoice } from '../../../src/lib/domain/involvement';
import type { AttendanceInterval, InvolvementRecord, InvolvementStore, InvolvementWithTime } from '../types';

interface RecordRow {
  participant_id: string;
  workshop_id: string;
  name: string;
  choice: ThanksChoice;
  created_at: number;
}

interface IntervalRow {
  participant_id: string;
  started_at: number;
  ended_at: number | null;
  seen_at: number;
}

const toRecord = (r: RecordRow): InvolvementRecord => ({
  participantId: r.participant_id,
  workshopId: r.workshop_id,
  name: r.name,
  choice: r.choice,
  createdAt: r.created_at
});

const toInterval = (r: IntervalRow): AttendanceInterval => ({ start: r.started_at, end: r.ended_at, seenAt: r.seen_at });

export function sqliteInvolvement(db: Database.Database): { involvement: InvolvementStore } {
  const q = {
    add: db.prepare(
      `INSERT INTO involvement_records (participant_id, workshop_id, name, choice, created_at)
       SELECT @participantId, @workshopId, @name, @choice, @createdAt
       FROM participants WHERE id = @participantId AND workshop_id = @workshopId`
    ),
    get: db.prepare<[string], RecordRow>('SELECT * FROM involvement_records WHERE participant_id = ?'),
    list: db.prepare<[string], RecordRow>('SELECT * FROM involvement_records WHERE workshop_id = ? ORDER BY created_at, rowid'),
    intervalsOf: db.prepare<[string], IntervalRow>(
      'SELECT * FROM attendance_intervals WHERE participant_id = ? ORDER BY started_at, rowid'
    ),
    intervalsIn: db.prepare<[string], IntervalRow>(
      `SELECT a.* FROM attendance_intervals a JOIN involvement_records r ON r.participant_id = a.participant_id
       WHERE r.workshop_id = ? ORDER BY a.started_at, a.rowid`
    ),
    // Only for someone with a record (the foreign key would refuse anyone else too), and only
    // when none is open (the partial unique index holds that).
    open: db.prepare(
      `INSERT OR IGNORE INTO attendance_intervals (participant_id, started_at, ended_at, seen_at)
       SELECT participant_id, @at, NULL, @at FROM involvement_records WHERE participant_id = @participantId`
    ),
    seen: db.prepare(
      'UPDATE attendance_intervals SET seen_at = MAX(started_at, @at) WHERE participant_id = @participantId AND ended_at IS NULL'
    ),
    close: db.prepare(
      'UPDATE attendance_intervals SET ended_at = MAX(started_at, @at) WHERE participant_id = @participantId AND ended_at IS NULL'
    ),
    closeStale: db.prepare('UPDATE attendance_intervals SET ended_at = seen_at WHERE ended_at IS NULL AND seen_at < ?'),
    clear: db.prepare('DELETE FROM involvement_records WHERE participant_id = ?')
  };
  const add = (record: InvolvementRecord) => {
    if (q.add.run(record).changes !== 1) throw new Error(`participant ${record.participantId} of ${record.workshopId} does not exist`);
  };
  const seen = db.transaction((ids: readonly string[], at: number) => {
    for (const participantId of ids) q.seen.run({ participantId, at });
  });
  const clear = db.transaction((participantId: string) => {
    // The intervals go with the record (their foreign key cascades); said here too, for clarity.
    db.prepare('DELETE FROM attendance_intervals WHERE participant_id = ?').run(participantId);
    return q.clear.run(participantId).changes > 0;
  });
  return {
    involvement: {
      add: async (record) => add(record),
      async get(participantId) {
        const r = q.get.get(participantId);
        return r ? { ...toRecord(r), intervals: q.intervalsOf.all(participantId).map(toInterval) } : null;
      },
      async list(workshopId) {
        const byPerson = new Map<string, AttendanceInterval[]>();
        for (const i of q.intervalsIn.all(workshopId)) {
          const list = byPerson.get(i.participant_id) ?? [];
          list.push(toInterval(i));
          byPerson.set(i.participant_id, list);
        }
        return q.list
          .all(workshopId)
          .map((r): InvolvementWithTime => ({ ...toRecord(r), intervals: byPerson.get(r.participant_id) ?? [] }));
      },
      open: async (participantId, at) => q.open.run({ participantId, at }).changes === 1,
      seen: async (ids, at) => seen(ids, at),
      close: async (participantId, at) => q.close.run({ participantId, at }).changes > 0,
      // No limit: every open interval (Number.MAX_SAFE_INTEGER is past any moment stored).
      closeStale: async (seenBefore = Number.MAX_SAFE_INTEGER) => q.closeStale.run(seenBefore).changes,
      clear: async (participantId) => clear(participantId)
    }
  };
}
