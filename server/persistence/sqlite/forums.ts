// Forums in SQLite, on the main connection (synchronous = FULL: durable when the promise
// resolves): forums, their links, their workshops, the key points they share up and rolled-up
// cards' sources. A workshop's place in a forum and its rolled-up cards are deleted with it (their
// foreign keys cascade); the points it shared are the forum's and stay (migration 12).
import type Database from 'better-sqlite3';
import type { ForumLinkRecord, ForumRecord, ForumStore, RollupCardRecord, SharedPointRecord } from '../types';
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

export function sqliteForums(db: Database.Database): { forums: ForumStore } {
  const q = {
    insertForum: db.prepare(
      'INSERT INTO forums (id, name, level, parent_id, created_at) VALUES (@id, @name, @level, @parentId, @createdAt)'
    ),
    get: db.prepare<[string], ForumRow>('SELECT * FROM forums WHERE id = ?'),
    children: db.prepare<[string], ForumRow>('SELECT * FROM forums WHERE parent_id = ? ORDER BY created_at, rowid'),
    setParent: db.prepare('UPDATE forums SET parent_id = @parentId WHERE id = @forumId'),
    insertLink: db.prepare(
      'INSERT INTO forum_links (token, forum_id, kind, created_at, revoked_at) VALUES (@token, @forumId, @kind, @createdAt, @revokedAt)'
    ),
    link: db.prepare<[string], LinkRow>('SELECT * FROM forum_links WHERE token = ?'),
    links: db.prepare<[string], LinkRow>('SELECT * FROM forum_links WHERE forum_id = ? ORDER BY created_at, rowid'),
    revokeLink: db.prepare('UPDATE forum_links SET revoked_at = @at WHERE token = @token AND revoked_at IS NULL'),
    insertWorkshop: db.prepare(
      'INSERT INTO forum_workshops (workshop_id, forum_id, added_at) VALUES (@workshopId, @forumId, @addedAt) ON CONFLICT (workshop_id) DO NOTHING'
    ),
    workshops: db.prepare<[string], WorkshopRow>('SELECT * FROM forum_workshops WHERE forum_id = ? ORDER BY added_at, rowid'),
    forumOf: db.prepare<[string], { forum_id: string }>('SELECT forum_id FROM forum_workshops WHERE workshop_id = ?'),
    liveShare: db.prepare<{ forumId: string; boardId: string; pointId: string; version: number }, SharedRow>(
      `SELECT * FROM shared_points WHERE forum_id = @forumId AND board_id = @boardId AND point_id = @pointId
       AND version = @version AND withdrawn_at IS NULL`
    ),
    insertShared: db.prepare(
      `INSERT INTO shared_points (id, forum_id, workshop_id, workshop_title, board_id, point_id, version, text, agreed_at,
         backing, origins, shared_at, withdrawn_at)
       VALUES (@id, @forumId, @workshopId, @workshopTitle, @boardId, @pointId, @version, @text, @agreedAt,
         @backing, @origins, @sharedAt, @withdrawnAt)`
    ),
    shared: db.prepare<[string], SharedRow>('SELECT * FROM shared_points WHERE id = ?'),
    withdraw: db.prepare('UPDATE shared_points SET withdrawn_at = @at WHERE id = @id AND withdrawn_at IS NULL'),
    sharedBy: db.prepare<[string], SharedRow>(
      'SELECT * FROM shared_points WHERE forum_id IN (SELECT value FROM json_each(?)) ORDER BY shared_at, rowid'
    ),
    sharedIn: db.prepare<[string], SharedRow>('SELECT * FROM shared_points WHERE id IN (SELECT value FROM json_each(?))'),
    rollups: db.prepare<[string], RollupRow>('SELECT * FROM rollup_cards WHERE workshop_id = ? ORDER BY created_at'),
    deleteRollup: db.prepare('DELETE FROM rollup_cards WHERE board_id = @boardId AND card_id = @cardId'),
    insertRollup: db.prepare(
      `INSERT OR REPLACE INTO rollup_cards (board_id, card_id, workshop_id, sources, created_at)
       VALUES (@boardId, @cardId, @workshopId, @sources, @createdAt)`
    )
  };
  const create = db.transaction((forum: ForumRecord, links: ForumLinkRecord[]) => {
    q.insertForum.run(forum);
    for (const l of links) q.insertLink.run({ ...l, forumId: forum.id });
  });
  const share = db.transaction((p: SharedPointRecord): SharedPointRecord => {
    const live = q.liveShare.get({ forumId: p.forumId, boardId: p.boardId, pointId: p.pointId, version: p.version });
    if (live) return toShared(live);
    q.insertShared.run({ ...p, backing: JSON.stringify(p.backing), origins: JSON.stringify(p.origins) });
    return structuredClone(p);
  });
  const withdraw = db.transaction((id: string, at: number) => {
    q.withdraw.run({ id, at });
    const row = q.shared.get(id);
    return row ? toShared(row) : null;
  });
  const replaceRollups = db.transaction((remove: ReadonlyArray<{ boardId: string; cardId: string }>, add: readonly RollupCardRecord[]) => {
    for (const r of remove) q.deleteRollup.run({ boardId: r.boardId, cardId: r.cardId });
    for (const r of add) q.insertRollup.run({ ...r, sources: JSON.stringify(r.sources) });
  });
  return {
    forums: {
      create: async (forum, links) => void create(forum, links),
      async get(id) {
        const row = q.get.get(id);
        return row ? toForum(row) : null;
      },
      children: async (forumId) => q.children.all(forumId).map(toForum),
      setParent: async (forumId, parentId) => void q.setParent.run({ forumId, parentId }),
      addLink: async (link) => void q.insertLink.run(link),
      async link(token) {
        const row = q.link.get(token);
        return row ? toLink(row) : null;
      },
      links: async (forumId) => q.links.all(forumId).map(toLink),
      revokeLink: async (token, at) => void q.revokeLink.run({ token, at }),
      addWorkshop: async (link) => q.insertWorkshop.run(link).changes === 1,
      workshops: async (forumId) => q.workshops.all(forumId).map(toWorkshop),
      forumOf: async (workshopId) => q.forumOf.get(workshopId)?.forum_id ?? null,
      share: async (point) => share(point),
      withdraw: async (id, at) => withdraw(id, at),
      sharedBy: async (forumIds) => q.sharedBy.all(JSON.stringify(forumIds)).map(toShared),
      sharedPoints: async (ids) => q.sharedIn.all(JSON.stringify([...new Set(ids)])).map(toShared),
      rollups: async (workshopId) => q.rollups.all(workshopId).map(toRollup),
      replaceRollups: async (remove, add) => void replaceRollups(remove, add)
    }
  };
}
