// Each workshop's glossary in Postgres. Every write stores the workshop's new plain words check in
// the same transaction, since the glossary is part of what the check counts as explained.
import type pg from 'pg';
import { termKey } from '../../../src/lib/domain/glossary';
import type { GlossaryRecord, GlossaryStore } from '../types';
import { sql, transaction, type Queryable } from './db';
import { type GlossaryRow, toEntry } from '../rows/glossary';

const q = {
  insert: sql(
    `INSERT INTO glossary_terms (workshop_id, id, term, term_key, explanation, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`
  ),
  list: sql<GlossaryRow>(
    'SELECT workshop_id, id, term, explanation, created_at, updated_at FROM glossary_terms WHERE workshop_id = $1 ORDER BY created_at, id COLLATE "C"'
  ),
  // An entry's createdAt stays as it was when it is changed.
  put: sql(
    `INSERT INTO glossary_terms (workshop_id, id, term, term_key, explanation, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (workshop_id, id) DO UPDATE SET term = excluded.term, term_key = excluded.term_key,
       explanation = excluded.explanation, updated_at = excluded.updated_at`
  ),
  remove: sql('DELETE FROM glossary_terms WHERE workshop_id = $1 AND id = $2'),
  setCheck: sql('UPDATE workshops SET question_check = $2 WHERE id = $1')
};

const row = (e: GlossaryRecord) => [e.workshopId, e.id, e.term, termKey(e.term), e.explanation, e.createdAt, e.updatedAt];

/** Writes one entry as it is, inside the transaction creating its workshop (from an archive). */
export async function writeGlossaryEntry(c: Queryable, e: GlossaryRecord): Promise<void> {
  await q.insert(c, row(e));
}

export function postgresGlossary(pool: pg.Pool): { glossary: GlossaryStore } {
  return {
    glossary: {
      list: async (workshopId) => (await q.list(pool, [workshopId])).rows.map(toEntry),
      put: (e, check) =>
        transaction(pool, async (c) => {
          if ((await q.setCheck(c, [e.workshopId, JSON.stringify(check)])).rowCount !== 1) {
            throw new Error(`workshop ${e.workshopId} does not exist`);
          }
          await q.put(c, row(e));
        }),
      remove: (workshopId, termId, check) =>
        transaction(pool, async (c) => {
          if (!(await q.remove(c, [workshopId, termId])).rowCount) return false;
          await q.setCheck(c, [workshopId, JSON.stringify(check)]);
          return true;
        })
    }
  };
}
