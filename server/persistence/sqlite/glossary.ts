// Each workshop's glossary in SQLite, on the main connection (synchronous = FULL: durable when the
// promise resolves). Every write stores the workshop's new plain words check in the same
// transaction, since the glossary is part of what the check counts as explained.
import type Database from 'better-sqlite3';
import { termKey } from '../../../src/lib/domain/glossary';
import type { QuestionCheck } from '../../../src/lib/domain/question';
import type { GlossaryRecord, GlossaryStore } from '../types';
import { type GlossaryRow, toEntry } from '../rows/glossary';

/** Writes one entry as it is, inside the caller's transaction (a workshop made from an archive). */
export function glossaryWriter(db: Database.Database): (entry: GlossaryRecord) => void {
  const insert = db.prepare(
    `INSERT INTO glossary_terms (workshop_id, id, term, term_key, explanation, created_at, updated_at)
     VALUES (@workshopId, @id, @term, @key, @explanation, @createdAt, @updatedAt)`
  );
  return (e) => void insert.run({ ...e, key: termKey(e.term) });
}

export function sqliteGlossary(db: Database.Database): { glossary: GlossaryStore } {
  const q = {
    list: db.prepare<[string], GlossaryRow>('SELECT * FROM glossary_terms WHERE workshop_id = ? ORDER BY created_at, id'),
    // An entry's createdAt stays as it was when it is changed.
    put: db.prepare(
      `INSERT INTO glossary_terms (workshop_id, id, term, term_key, explanation, created_at, updated_at)
       VALUES (@workshopId, @id, @term, @key, @explanation, @createdAt, @updatedAt)
       ON CONFLICT(workshop_id, id) DO UPDATE SET term = excluded.term, term_key = excluded.term_key,
         explanation = excluded.explanation, updated_at = excluded.updated_at`
    ),
    remove: db.prepare('DELETE FROM glossary_terms WHERE workshop_id = @workshopId AND id = @termId'),
    setCheck: db.prepare('UPDATE workshops SET question_check = @check WHERE id = @workshopId')
  };
  const put = db.transaction((e: GlossaryRecord, check: QuestionCheck) => {
    // The workshop first: an entry of a workshop that does not exist fails its foreign key anyway.
    if (q.setCheck.run({ workshopId: e.workshopId, check: JSON.stringify(check) }).changes !== 1) {
      throw new Error(`workshop ${e.workshopId} does not exist`);
    }
    q.put.run({ ...e, key: termKey(e.term) });
  });
  const remove = db.transaction((workshopId: string, termId: string, check: QuestionCheck) => {
    if (q.remove.run({ workshopId, termId }).changes === 0) return false;
    q.setCheck.run({ workshopId, check: JSON.stringify(check) });
    return true;
  });
  return {
    glossary: {
      list: async (workshopId) => q.list.all(workshopId).map(toEntry),
      put: async (entry, check) => put(entry, check),
      remove: async (workshopId, termId, check) => remove(workshopId, termId, check)
    }
  };
}
