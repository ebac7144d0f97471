// Forums' rows as SQLite and Postgres both store them (the same columns), and the records the store
// contract answers with: one mapping for both stores.
import type { ForumLevel, PointBacking } from '../../../src/lib/domain/forums';
import type { ForumLinkRecord, ForumRecord, ForumWorkshopRecord, RollupCardRecord, SharedPointRecord } from '../types';

export interface ForumRow {
  id: string;
  name: string;
  level: string;
  parent_id: string | null;
  created_at: number;
}
export interface LinkRow {
  token: string;
  forum_id: string;
  kind: string;
  created_at: number;
  revoked_at: number | null;
}
export interface WorkshopRow {
  forum_id: string;
  workshop_id: string;
  added_at: number;
}
export interface SharedRow {
  id: string;
  forum_id: string;
  workshop_id: string;
  workshop_title: string;
  board_id: string;
  point_id: string;
  version: number;
  text: string;
  agreed_at: number;
  backing: string;
  origins: string;
  shared_at: number;
  withdrawn_at: number | null;
}
export interface RollupRow {
  board_id: string;
  card_id: string;
  workshop_id: string;
  sources: string;
  created_at: number;
}

export const toForum = (r: ForumRow): ForumRecord => ({
  id: r.id,
  name: r.name,
  level: r.level as ForumLevel,
  parentId: r.parent_id,
  createdAt: r.created_at
});
export const toLink = (r: LinkRow): ForumLinkRecord => ({
  token: r.token,
  forumId: r.forum_id,
  kind: r.kind as ForumLinkRecord['kind'],
  createdAt: r.created_at,
  revokedAt: r.revoked_at
});
export const toWorkshop = (r: WorkshopRow): ForumWorkshopRecord => ({
  forumId: r.forum_id,
  workshopId: r.workshop_id,
  addedAt: r.added_at
});
export const toShared = (r: SharedRow): SharedPointRecord => ({
  id: r.id,
  forumId: r.forum_id,
  workshopId: r.workshop_id,
  workshopTitle: r.workshop_title,
  boardId: r.board_id,
  pointId: r.point_id,
  version: r.version,
  text: r.text,
  agreedAt: r.agreed_at,
  backing: JSON.parse(r.backing) as PointBacking,
  origins: JSON.parse(r.origins) as string[],
  sharedAt: r.shared_at,
  withdrawnAt: r.withdrawn_at
});
export const toRollup = (r: RollupRow): RollupCardRecord => ({
  boardId: r.board_id,
  cardId: r.card_id,
  workshopId: r.workshop_id,
  sources: JSON.parse(r.sources) as string[],
  createdAt: r.created_at
});
