// Present links in Postgres. One works per workshop at a time (a partial unique index); ensuring
// and renewing hold a lock on the workshop, so two processes asked at once keep one working link.
import type pg from 'pg';
import type { PresentLinkStore } from '../types';
import { LOCK, first, lock, sql, transaction } from './db';
import { type PresentRow, toLink } from '../rows/present';

const q = {
  current: sql<PresentRow>(
    'SELECT token, workshop_id, created_at, revoked_at FROM present_links WHERE workshop_id = $1 AND revoked_at IS NULL'
  ),
  byToken: sql<PresentRow>('SELECT token, workshop_id, created_at, revoked_at FROM present_links WHERE token = $1'),
  insert: sql('INSERT INTO present_links (token, workshop_id, created_at, revoked_at) VALUES ($1, $2, $3, $4)'),
  revoke: sql('UPDATE present_links SET revoked_at = $2 WHERE workshop_id = $1 AND revoked_at IS NULL')
};

export function postgresPresentLinks(pool: pg.Pool): { present: PresentLinkStore } {
  return {
    present: {
      async current(workshopId) {
        const r = await first(q.current(pool, [workshopId]));
        return r ? toLink(r) : null;
      },
      async byToken(token) {
        const r = await first(q.byToken(pool, [token]));
        return r ? toLink(r) : null;
      },
      ensure: (link) =>
        transaction(pool, async (c) => {
          await lock(c, LOCK.workshop, link.workshopId);
          const working = await first(q.current(c, [link.workshopId]));
          if (working) return toLink(working);
          await q.insert(c, [link.token, link.workshopId, link.createdAt, link.revokedAt]);
          return { ...link };
        }),
      replace: (link) =>
        transaction(pool, async (c) => {
          await lock(c, LOCK.workshop, link.workshopId);
          await q.revoke(c, [link.workshopId, link.createdAt]);
          await q.insert(c, [link.token, link.workshopId, link.createdAt, link.revokedAt]);
        })
    }
  };
}
