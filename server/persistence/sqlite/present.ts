// Present links in SQLite, on the main connection (synchronous = FULL: durable when the promise
// resolves). One works per workshop at a time (a partial unique index); renewing turns it off and
// adds another in one transaction. Deleted with the workshop (its foreign key cascades).
import type Database from 'better-sqlite3';
import type { PresentLinkRecord, PresentLinkStore } from '../types';
import { type PresentRow, toLink } from '../rows/present';

export function sqlitePresentLinks(db: Database.Database): { present: PresentLinkStore } {
  const q = {
    current: db.prepare<[string], PresentRow>('SELECT * FROM present_links WHERE workshop_id = ? AND revoked_at IS NULL'),
    byToken: db.prepare<[string], PresentRow>('SELECT * FROM present_links WHERE token = ?'),
    insert: db.prepare(
      'INSERT INTO present_links (token, workshop_id, created_at, revoked_at) VALUES (@token, @workshopId, @createdAt, @revokedAt)'
    ),
    revoke: db.prepare('UPDATE present_links SET revoked_at = @at WHERE workshop_id = @workshopId AND revoked_at IS NULL')
  };
  const ensure = db.transaction((link: PresentLinkRecord): PresentLinkRecord => {
    const working = q.current.get(link.workshopId);
    if (working) return toLink(working);
    q.insert.run(link);
    return { ...link };
  });
  const replace = db.transaction((link: PresentLinkRecord) => {
    q.revoke.run({ workshopId: link.workshopId, at: link.createdAt });
    q.insert.run(link);
  });
  return {
    present: {
      async current(workshopId) {
        const row = q.current.get(workshopId);
        return row ? toLink(row) : null;
      },
      async byToken(token) {
        const row = q.byToken.get(token);
        return row ? toLink(row) : null;
      },
      ensure: async (link) => ensure(link),
      replace: async (link) => void replace(link)
    }
  };
}
