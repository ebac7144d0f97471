// Forums in Postgres (migration 2, SQLite's 12): forums, their links, their workshops, the key
// points they share up and rolled-up cards' sources. A workshop's place in a forum and its
// rolled-up cards are deleted with it (their foreign keys cascade); the points it shared are the
// forum's and stay. Sharing the same agreed point twice at once keeps one (the partial unique
// index on live shares decides, and the loser is handed the winner's record).
import type pg from 'pg';
import type { ForumStore } from '../types';
import { first, sql, transaction } from './db';
import {
  type ForumRow,
  type LinkRow,
  type WorkshopRow,
  type SharedRow,
  type RollupRow,
  toForum,
  toLink,
  toWorkshop,
  toShared,
  toRollup
} from '../rows/forums';

const FORUM = 'id, name, level, parent_id, created_at';
const LINK = 'token, forum_id, kind, created_at, revoked_at';
const SHARED =
  'id, forum_id, workshop_id, workshop_title, board_id, point_id, version, text, agreed_at, backing, origins, shared_at, withdrawn_at';

const q = {
  insertForum: sql('INSERT INTO forums (id, name, level, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)'),
  get: sql<ForumRow>(`SELECT ${FORUM} FROM forums WHERE id = $1`),
  children: sql<ForumRow>(`SELECT ${FORUM} FROM forums WHERE parent_id = $1 ORDER BY created_at, seq`),
  setParent: sql('UPDATE forums SET parent_id = $2 WHERE id = $1'),
  insertLink: sql('INSERT INTO forum_links (token, forum_id, kind, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)'),
  link: sql<LinkRow>(`SELECT ${LINK} FROM forum_links WHERE token = $1`),
  links: sql<LinkRow>(`SELECT ${LINK} FROM forum_links WHERE forum_id = $1 ORDER BY created_at, seq`),
  revokeLink: sql('UPDATE forum_links SET revoked_at = $2 WHERE token = $1 AND revoked_at IS NULL'),
  insertWorkshop: sql(
    'INSERT INTO forum_workshops (workshop_id, forum_id, added_at) VALUES ($1, $2, $3) ON CONFLICT (workshop_id) DO NOTHING'
  ),
  workshops: sql<WorkshopRow>('SELECT forum_id, workshop_id, added_at FROM forum_workshops WHERE forum_id = $1 ORDER BY added_at, seq'),
  forumOf: sql<{ forum_id: string }>('SELECT forum_id FROM forum_workshops WHERE workshop_id = $1'),
  liveShare: sql<SharedRow>(
    `SELECT ${SHARED} FROM shared_points WHERE forum_id = $1 AND board_id = $2 AND point_id = $3 AND version = $4 AND withdrawn_at IS NULL`
  ),
  insertShared: sql(
    `INSERT INTO shared_points (id, forum_id, workshop_id, workshop_title, board_id, point_id, version, text, agreed_at,
       backing, origins, shared_at, withdrawn_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (forum_id, board_id, point_id, version) WHERE withdrawn_at IS NULL DO NOTHING`
  ),
  shared: sql<SharedRow>(`SELECT ${SHARED} FROM shared_points WHERE id = $1`),
  withdraw: sql('UPDATE shared_points SET withdrawn_at = $2 WHERE id = $1 AND withdrawn_at IS NULL'),
  sharedBy: sql<SharedRow>(`SELECT ${SHARED} FROM shared_points WHERE forum_id = ANY($1::text[]) ORDER BY shared_at, seq`),
  sharedIn: sql<SharedRow>(`SELECT ${SHARED} FROM shared_points WHERE id = ANY($1::text[])`),
  rollups: sql<RollupRow>(
    'SELECT board_id, card_id, workshop_id, sources, created_at FROM rollup_cards WHERE workshop_id = $1 ORDER BY created_at, board_id COLLATE "C", card_id COLLATE "C"'
  ),
  deleteRollup: sql('DELETE FROM rollup_cards WHERE board_id = $1 AND card_id = $2'),
  insertRollup: sql(
    `INSERT INTO rollup_cards (board_id, card_id, workshop_id, sources, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (board_id, card_id) DO UPDATE SET workshop_id = excluded.workshop_id, sources = excluded.sources, created_at = excluded.created_at`
  )
};

export function postgresForums(pool: pg.Pool): { forums: ForumStore } {
  return {
    forums: {
      create: (forum, links) =>
        transaction(pool, async (c) => {
          await q.insertForum(c, [forum.id, forum.name, forum.level, forum.parentId, forum.createdAt]);
          for (const l of links) await q.insertLink(c, [l.token, forum.id, l.kind, l.createdAt, l.revokedAt]);
        }),
      async get(id) {
        const row = await first(q.get(pool, [id]));
        return row ? toForum(row) : null;
      },
      children: async (forumId) => (await q.children(pool, [forumId])).rows.map(toForum),
      setParent: async (forumId, parentId) => void (await q.setParent(pool, [forumId, parentId])),
      addLink: async (l) => void (await q.insertLink(pool, [l.token, l.forumId, l.kind, l.createdAt, l.revokedAt])),
      async link(token) {
        const row = await first(q.link(pool, [token]));
        return row ? toLink(row) : null;
      },
      links: async (forumId) => (await q.links(pool, [forumId])).rows.map(toLink),
      revokeLink: async (token, at) => void (await q.revokeLink(pool, [token, at])),
      addWorkshop: async (w) => (await q.insertWorkshop(pool, [w.workshopId, w.forumId, w.addedAt])).rowCount === 1,
      workshops: async (forumId) => (await q.workshops(pool, [forumId])).rows.map(toWorkshop),
      forumOf: async (workshopId) => (await first(q.forumOf(pool, [workshopId])))?.forum_id ?? null,
      share: (p) =>
        transaction(pool, async (c) => {
          const inserted = await q.insertShared(c, [
            p.id,
            p.forumId,
            p.workshopId,
            p.workshopTitle,
            p.boardId,
            p.pointId,
            p.version,
            p.text,
            p.agreedAt,
            JSON.stringify(p.backing),
            JSON.stringify(p.origins),
            p.sharedAt,
            p.withdrawnAt
          ]);
          if (inserted.rowCount === 1) return structuredClone(p);
          return toShared((await first(q.liveShare(c, [p.forumId, p.boardId, p.pointId, p.version])))!);
        }),
      withdraw: (id, at) =>
        transaction(pool, async (c) => {
          await q.withdraw(c, [id, at]);
          const row = await first(q.shared(c, [id]));
          return row ? toShared(row) : null;
        }),
      sharedBy: async (forumIds) => (await q.sharedBy(pool, [[...forumIds]])).rows.map(toShared),
      sharedPoints: async (ids) => (await q.sharedIn(pool, [[...new Set(ids)]])).rows.map(toShared),
      rollups: async (workshopId) => (await q.rollups(pool, [workshopId])).rows.map(toRollup),
      replaceRollups: (remove, add) =>
        transaction(pool, async (c) => {
          for (const r of remove) await q.deleteRollup(c, [r.boardId, r.cardId]);
          for (const r of add) await q.insertRollup(c, [r.boardId, r.cardId, r.workshopId, JSON.stringify(r.sources), r.createdAt]);
        })
    }
  };
}
