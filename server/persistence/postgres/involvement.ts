// Involvement records in Postgres (migration 3, SQLite's 13). Two tables of their own, referring to
// the participant and nothing they wrote; both go with the person (their foreign keys cascade) and
// with the workshop. At most one interval is open per person (a partial unique index), so two
// processes opening one at once store one.
import type pg from 'pg';
import type { ThanksChoice } from '../../../src/lib/domain/involvement';
import type { AttendanceInterval, InvolvementRecord, InvolvementStore, InvolvementWithTime } from '../types';
import { first, sql, transaction } from './db';

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

const RECORD = 'participant_id, workshop_id, name, choice, created_at';
const q = {
  add: sql(
    `INSERT INTO involvement_records (participant_id, workshop_id, name, choice, created_at)
     SELECT $1, $2, $3, $4, $5 FROM participants WHERE id = $1 AND workshop_id = $2`
  ),
  get: sql<RecordRow>(`SELECT ${RECORD} FROM involvement_records WHERE participant_id = $1`),
  list: sql<RecordRow>(`SELECT ${RECORD} FROM involvement_records WHERE workshop_id = $1 ORDER BY created_at, seq`),
  intervalsOf: sql<IntervalRow>(
    'SELECT participant_id, started_at, ended_at, seen_at FROM attendance_intervals WHERE participant_id = $1 ORDER BY started_at, seq'
  ),
  intervalsIn: sql<IntervalRow>(
    `SELECT a.participant_id, a.started_at, a.ended_at, a.seen_at FROM attendance_intervals a
     JOIN involvement_records r ON r.participant_id = a.participant_id WHERE r.workshop_id = $1 ORDER BY a.started_at, a.seq`
  ),
  open: sql(
    `INSERT INTO attendance_intervals (participant_id, started_at, ended_at, seen_at)
     SELECT participant_id, $2, NULL, $2 FROM involvement_records WHERE participant_id = $1
     ON CONFLICT (participant_id) WHERE ended_at IS NULL DO NOTHING`
  ),
  seen: sql(
    `UPDATE attendance_intervals SET seen_at = GREATEST(started_at, $2)
     WHERE participant_id = ANY($1::text[]) AND ended_at IS NULL`
  ),
  close: sql('UPDATE attendance_intervals SET ended_at = GREATEST(started_at, $2) WHERE participant_id = $1 AND ended_at IS NULL'),
  closeStale: sql('UPDATE attendance_intervals SET ended_at = seen_at WHERE ended_at IS NULL AND seen_at < $1'),
  clearIntervals: sql('DELETE FROM attendance_intervals WHERE participant_id = $1'),
  clear: sql('DELETE FROM involvement_records WHERE participant_id = $1')
};

export function postgresInvolvement(pool: pg.Pool): { involvement: InvolvementStore } {
  return {
    involvement: {
      async add(record) {
        const result = await q.add(pool, [record.participantId, record.workshopId, record.name, record.choice, record.createdAt]);
        if (result.rowCount !== 1) throw new Error(`participant ${record.participantId} of ${record.workshopId} does not exist`);
      },
      async get(participantId) {
        const r = await first(q.get(pool, [participantId]));
        if (!r) return null;
        return { ...toRecord(r), intervals: (await q.intervalsOf(pool, [participantId])).rows.map(toInterval) };
      },
      async list(workshopId) {
        const byPerson = new Map<string, AttendanceInterval[]>();
        for (const i of (await q.intervalsIn(pool, [workshopId])).rows) {
          const list = byPerson.get(i.participant_id) ?? [];
          list.push(toInterval(i));
          byPerson.set(i.participant_id, list);
        }
        return (await q.list(pool, [workshopId])).rows.map((r): InvolvementWithTime => ({
          ...toRecord(r),
          intervals: byPerson.get(r.participant_id) ?? []
        }));
      },
      open: async (participantId, at) => (await q.open(pool, [participantId, at])).rowCount === 1,
      async seen(ids, at) {
        if (ids.length) await q.seen(pool, [[...ids], at]);
      },
      close: async (participantId, at) => ((await q.close(pool, [participantId, at])).rowCount ?? 0) > 0,
      closeStale: async (seenBefore = Number.MAX_SAFE_INTEGER) => (await q.closeStale(pool, [seenBefore])).rowCount ?? 0,
      clear: (participantId) =>
        transaction(pool, async (c) => {
          await q.clearIntervals(c, [participantId]);
          return ((await q.clear(c, [participantId])).rowCount ?? 0) > 0;
        })
    }
  };
}
