// Board meetings' rows as SQLite and Postgres both store them (the same columns), and the records the store
// contract answers with: one mapping for both stores.
import type { MeetingCommentRecord, MeetingPointRecord, MeetingRecord } from '../types';

export interface MeetingRow {
  id: string;
  forum_id: string;
  body: string;
  date: string;
  created_at: number;
}
export interface PointRow {
  meeting_id: string;
  id: string;
  position: number;
  text: string;
  provenance: string;
  agreed: string | null;
  board_said: string | null;
}
export interface CommentRow {
  id: string;
  meeting_id: string;
  point_id: string;
  participant_id: string | null;
  name: string | null;
  text: string;
  created_at: number;
}

export const toMeeting = (r: MeetingRow): MeetingRecord => ({
  id: r.id,
  forumId: r.forum_id,
  body: r.body,
  date: r.date,
  createdAt: r.created_at
});
export const toPoint = (r: PointRow): MeetingPointRecord => ({
  meetingId: r.meeting_id,
  id: r.id,
  position: r.position,
  text: r.text,
  provenance: r.provenance,
  agreed: r.agreed,
  boardSaid: r.board_said
});
export const toComment = (r: CommentRow): MeetingCommentRecord => ({
  id: r.id,
  meetingId: r.meeting_id,
  pointId: r.point_id,
  participantId: r.participant_id,
  name: r.name,
  text: r.text,
  createdAt: r.created_at
});
