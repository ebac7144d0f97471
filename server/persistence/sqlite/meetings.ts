// Board meetings in SQLite, on the main connection (synchronous = FULL). A meeting and its points
// are written in one transaction; comments refer to their point (and, when named, their writer:
// they go with the person).
import type Database from 'better-sqlite3';
import type { MeetingPointRecord, MeetingRecord, MeetingStore } from '../types';
import { type MeetingRow, type PointRow, type CommentRow, toMeeting, toPoint, toComment } from '../rows/meetings';

export function sqliteMeetings(db: Database.Database): { meetings: MeetingStore } {
  const q = {
    insert: db.prepare('INSERT INTO meetings (id, forum_id, body, date, created_at) VALUES (@id, @forumId, @body, @date, @createdAt)'),
    insertPoint: db.prepare(
      `INSERT INTO meeting_points (meeting_id, id, position, text, provenance, agreed, board_said)
       VALUES (@meetingId, @id, @position, @text, @provenance, @agreed, @boardSaid)`
    ),
    get: db.prepare<[string], MeetingRow>('SELECT * FROM meetings WHERE id = ?'),
    list: db.prepare<[string], MeetingRow>('SELECT * FROM meetings WHERE forum_id = ? ORDER BY date, created_at, rowid'),
    points: db.prepare<[string], PointRow>('SELECT * FROM meeting_points WHERE meeting_id = ? ORDER BY position'),
    point: db.prepare<[string, string], PointRow>('SELECT * FROM meeting_points WHERE meeting_id = ? AND id = ?'),
    update: db.prepare('UPDATE meeting_points SET agreed = @agreed, board_said = @boardSaid WHERE meeting_id = @meetingId AND id = @id'),
    addComment: db.prepare(
      `INSERT INTO meeting_comments (id, meeting_id, point_id, participant_id, name, text, created_at)
       VALUES (@id, @meetingId, @pointId, @participantId, @name, @text, @createdAt)`
    ),
    comments: db.prepare<[string], CommentRow>('SELECT * FROM meeting_comments WHERE meeting_id = ? ORDER BY created_at, rowid')
  };
  const create = db.transaction((m: MeetingRecord, points: MeetingPointRecord[]) => {
    q.insert.run(m);
    for (const p of points) q.insertPoint.run(p);
  });
  const setPoint = db.transaction((meetingId: string, id: string, change: { agreed?: string | null; boardSaid?: string | null }) => {
    const p = q.point.get(meetingId, id);
    if (!p) return false;
    q.update.run({
      meetingId,
      id,
      agreed: change.agreed === undefined ? p.agreed : change.agreed,
      boardSaid: change.boardSaid === undefined ? p.board_said : change.boardSaid
    });
    return true;
  });
  return {
    meetings: {
      create: async (m, points) => create(m, points),
      get: async (id) => {
        const r = q.get.get(id);
        return r ? toMeeting(r) : null;
      },
      list: async (forumId) => q.list.all(forumId).map(toMeeting),
      points: async (meetingId) => q.points.all(meetingId).map(toPoint),
      setPoint: async (meetingId, id, change) => setPoint(meetingId, id, change),
      addComment: async (c) => void q.addComment.run(c),
      comments: async (meetingId) => q.comments.all(meetingId).map(toComment)
    }
  };
}
