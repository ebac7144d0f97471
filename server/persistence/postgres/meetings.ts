// Board meetings in Postgres (migration 4, SQLite's 14): a forum's meeting, its points as they
// stood and members' comments. Deleted with their forum; a named comment with its writer. A
// point's change is one UPDATE, so two changes at once each keep the field they did not touch.
import type pg from 'pg';
import type { MeetingStore } from '../types';
import { first, sql, transaction } from './db';
import { type MeetingRow, type PointRow, type CommentRow, toMeeting, toPoint, toComment } from '../rows/meetings';

const MEETING = 'id, forum_id, body, date, created_at';
const POINT = 'meeting_id, id, position, text, provenance, agreed, board_said';
const COMMENT = 'id, meeting_id, point_id, participant_id, name, text, created_at';

const q = {
  insert: sql('INSERT INTO meetings (id, forum_id, body, date, created_at) VALUES ($1, $2, $3, $4, $5)'),
  insertPoint: sql(
    'INSERT INTO meeting_points (meeting_id, id, position, text, provenance, agreed, board_said) VALUES ($1, $2, $3, $4, $5, $6, $7)'
  ),
  get: sql<MeetingRow>(`SELECT ${MEETING} FROM meetings WHERE id = $1`),
  list: sql<MeetingRow>(`SELECT ${MEETING} FROM meetings WHERE forum_id = $1 ORDER BY date COLLATE "C", created_at, seq`),
  points: sql<PointRow>(`SELECT ${POINT} FROM meeting_points WHERE meeting_id = $1 ORDER BY position`),
  // $3/$5 say whether to change agreed / board_said at all (undefined leaves it), $4/$6 the new value.
  update: sql(
    `UPDATE meeting_points SET agreed = CASE WHEN $3::boolean THEN $4 ELSE agreed END,
       board_said = CASE WHEN $5::boolean THEN $6 ELSE board_said END
     WHERE meeting_id = $1 AND id = $2`
  ),
  addComment: sql(
    'INSERT INTO meeting_comments (id, meeting_id, point_id, participant_id, name, text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)'
  ),
  comments: sql<CommentRow>(`SELECT ${COMMENT} FROM meeting_comments WHERE meeting_id = $1 ORDER BY created_at, seq`)
};

export function postgresMeetings(pool: pg.Pool): { meetings: MeetingStore } {
  return {
    meetings: {
      create: (m, points) =>
        transaction(pool, async (c) => {
          await q.insert(c, [m.id, m.forumId, m.body, m.date, m.createdAt]);
          for (const p of points) await q.insertPoint(c, [p.meetingId, p.id, p.position, p.text, p.provenance, p.agreed, p.boardSaid]);
        }),
      async get(id) {
        const r = await first(q.get(pool, [id]));
        return r ? toMeeting(r) : null;
      },
      list: async (forumId) => (await q.list(pool, [forumId])).rows.map(toMeeting),
      points: async (meetingId) => (await q.points(pool, [meetingId])).rows.map(toPoint),
      async setPoint(meetingId, id, change) {
        const result = await q.update(pool, [
          meetingId,
          id,
          change.agreed !== undefined,
          change.agreed ?? null,
          change.boardSaid !== undefined,
          change.boardSaid ?? null
        ]);
        return result.rowCount === 1;
      },
      addComment: async (c) =>
        void (await q.addComment(pool, [c.id, c.meetingId, c.pointId, c.participantId, c.name, c.text, c.createdAt])),
      comments: async (meetingId) => (await q.comments(pool, [meetingId])).rows.map(toComment)
    }
  };
}
